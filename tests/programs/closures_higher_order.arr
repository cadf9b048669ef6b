# Functions as values: map, filter, reduce, foldl, mapreduce, sum(f, xs).
println(map(x -> x^2, [1, 2, 3]))          # expect: [1, 4, 9]
println(filter(iseven, 1:6))               # expect: [2, 4, 6]
println(filter(x -> x > 1.5, [1.0, 2.0, 3.0]))  # expect: [2.0, 3.0]
println(reduce(+, [1, 2, 3, 4]))           # expect: 10
println(reduce(*, 1:5))                    # expect: 120
println(foldl(-, [10, 2, 3]))              # expect: 5
println(mapreduce(x -> x^2, +, [1, 2, 3])) # expect: 14
println(sum(abs, [-1, 2, -3]))             # expect: 6
println(maximum(x -> -x, [1, 2, 3]))       # expect: -1
println(map(+, [1, 2], [10, 20]))          # expect: [11, 22]
println(map(string, [1, 2]))               # expect: ["1", "2"]
apply_n(f, n, x) = n == 0 ? x : apply_n(f, n - 1, f(x))
println(apply_n(x -> 2x, 10, 1))           # expect: 1024
