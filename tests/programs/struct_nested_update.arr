# "Updating" an immutable struct builds a new one.
struct Particle
    pos::Vector{Float64}
    vel::Vector{Float64}
end
advance(p::Particle, dt) = Particle(p.pos .+ dt .* p.vel, p.vel)
function simulate(p, n)
    for _ in 1:n
        p = advance(p, 0.5)
    end
    p
end
p0 = Particle([0.0, 0.0], [1.0, 2.0])
p3 = simulate(p0, 4)
println(p3.pos)                # expect: [2.0, 4.0]
println(p0.pos)                # expect: [0.0, 0.0]
println(p3)                    # expect: Particle([2.0, 4.0], [1.0, 2.0])
