# Structs may hold functions and tuples of other structs.
struct Activation
    f
end
(a::Activation)(x) = a.f.(x)
struct Chain2
    layers
end
function (c::Chain2)(x)
    for l in c.layers
        x = l(x)
    end
    x
end
relu1(x) = max(x, 0.0)
c = Chain2((Activation(relu1), Activation(x -> 2x)))
println(c([-1.0, 3.0]))        # expect: [0.0, 6.0]
println(Activation(abs)([-2, 2]))  # expect: [2, 2]
