# Gradients through while loops with data-dependent trip counts, structs and tuples.
function newton_sqrt(a)
    x = a
    while abs(x * x - a) > 1e-12
        x = (x + a / x) / 2
    end
    x
end
println(abs(gradient(newton_sqrt, 4.0)[1] - 0.25) < 1e-12)   # expect: true

struct Particle
    pos::Float64
    vel::Float64
end
energy(p) = p.vel^2 / 2 + 9.81 * p.pos
println(gradient(energy, Particle(2.0, 3.0)))  # expect: ((pos = 9.81, vel = 3.0),)

function clipped(x)
    x > 1.0 && return 1.0
    x < -1.0 && return -1.0
    x^3
end
println(gradient(clipped, 0.5))                # expect: (0.75,)
println(gradient(clipped, 2.0))                # expect: (0.0,)
println(withgradient(x -> x * sin(x), 0.0))    # expect: (val = 0.0, grad = (0.0,))
println(gradient((t, k) -> t[1] * t[2]^k, (2.0, 3.0), 2))   # expect: ((9.0, 12.0), nothing)
