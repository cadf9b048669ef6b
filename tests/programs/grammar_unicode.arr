# Unicode identifiers and operators.
σ = 2.0
θ = 0.5
Δx = 0.25
println(σ * θ)                 # expect: 1.0
println(Δx + 1)                # expect: 1.25
∇f = 3
println(∇f)                    # expect: 3
f(μ) = μ^2
println(f(3))                  # expect: 9
println(π > 3.14 && π < 3.15)  # expect: true
x = 2
println(x ≤ 3, " ", x ≥ 3, " ", x ≠ 2)  # expect: true false false
println(σ ≈ 2.0)               # expect: true
update!(v) = v .+ 1
println(update!([1]))          # expect: [2]
