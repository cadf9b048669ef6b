# Generators as function arguments.
println(sum(x^2 for x in 1:3))                # expect: 14
println(maximum(abs(x) for x in [-5, 2, 3]))  # expect: 5
println(prod(i for i in 1:5))                 # expect: 120
println(sum(x for x in 1:10 if isodd(x)))     # expect: 25
println(collect(2x for x in 1:3))             # expect: [2, 4, 6]
println(any(x > 2 for x in [1, 2, 3]))        # expect: true
println(all(x > 2 for x in [1, 2, 3]))        # expect: false
println(sum(1.0 / i for i in 1:4) ≈ 25 / 12)  # expect: true
println(minimum(x - 10 for x in [4, 15]))     # expect: -6
println(count(iseven(x) for x in 1:7))        # expect: 3
# several `for` clauses in a generator
println(sum(i * j for i in 1:3, j in 1:2))                     # expect: 18
println(maximum(i - j for i in 1:3, j in 1:2 if i != j))       # expect: 2
