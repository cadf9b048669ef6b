# any, all, count.
x = [1, -2, 3]
println(any(x .< 0))           # expect: true
println(all(x .> 0))           # expect: false
println(count(x .> 0))         # expect: 2
println(any(v -> v > 2, x))    # expect: true
println(all(v -> v != 0, x))   # expect: true
println(count(iseven, x))      # expect: 1
println(any([false, false]))   # expect: false
println(all(Bool[]))           # expect: true
println(any(Bool[]))           # expect: false
println(count(x .> 5))         # expect: 0
println(all([1 2; 3 4] .> 0))  # expect: true
println(count([true false; true true]))  # expect: 3
