# An abstract type with concrete layers and a generic fallback.
abstract type Layer end
struct Double <: Layer end
struct AddN <: Layer
    n::Int
end
struct Neg <: Layer end
apply(::Double, x) = 2x
apply(a::AddN, x) = x + a.n
apply(l::Layer, x) = -x
name(l::Layer) = "layer"
name(::Double) = "double"
function run_all(layers, x)
    for l in layers
        x = apply(l, x)
    end
    x
end
println(run_all((Double(), AddN(3), Double()), 1))  # expect: 10
println(run_all((Neg(), AddN(1)), 5))               # expect: -4
println(name(AddN(1)), " ", name(Double()))     # expect: layer double
println(Double <: Layer)                        # expect: true
