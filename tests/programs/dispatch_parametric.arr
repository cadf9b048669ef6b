# Dispatch on the parameters of a parametric struct.
struct Duo{T}
    a::T
    b::T
end
total(d::Duo{Int}) = "ints: $(d.a + d.b)"
total(d::Duo{T}) where {T<:AbstractFloat} = "floats: $(d.a + d.b)"
total(d::Duo) = "other"
println(total(Duo(1, 2)))          # expect: ints: 3
println(total(Duo(1.5, 2.0)))      # expect: floats: 3.5
println(total(Duo(1f0, 2f0)))      # expect: floats: 3.0
println(total(Duo("a", "b")))      # expect: other
println(typeof(Duo(1, 2)))         # expect: Duo{Int64}
println(typeof(Duo(1f0, 2f0)))     # expect: Duo{Float32}
param(::Duo{T}) where {T} = T
println(param(Duo(:x, :y)))        # expect: Symbol
