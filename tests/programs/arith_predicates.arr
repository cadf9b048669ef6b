# Number predicates and constants.
println(isodd(3), iseven(3))   # expect: truefalse
println(isnan(NaN))            # expect: true
println(isinf(-Inf))           # expect: true
println(isfinite(1.0))         # expect: true
println(isfinite(Inf))         # expect: false
println(NaN == NaN)            # expect: false
println(isapprox(1.0, 1.0 + 1e-10))  # expect: true
println(1.0 ≈ 1.1)             # expect: false
println(eps(1.0))              # expect: 2.220446049250313e-16
println(zero(3.5))             # expect: 0.0
println(one(Int))              # expect: 1
println(factorial(5))          # expect: 120
println(factorial(20))         # expect: 2432902008176640000
println(0.1 + 0.2 == 0.3)      # expect: false
println(0.1 + 0.2 ≈ 0.3)       # expect: true
println(typemax(Float64))      # expect: Inf
println(-0.0 == 0.0)           # expect: true
