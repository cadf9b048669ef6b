# map, reduce, foldl and mapreduce on arrays.
xs = [1, 2, 3, 4]
println(map(x -> x * x, xs))           # expect: [1, 4, 9, 16]
println(reduce(+, xs))                 # expect: 10
println(foldl(-, xs))                  # expect: -8
println(foldl(-, xs; init=0))          # expect: -10
println(reduce(max, xs))               # expect: 4
println(reduce(+, xs; init=100))       # expect: 110
println(mapreduce(abs, max, [-5, 3]))  # expect: 5
println(foldl((acc, x) -> acc * 10 + x, xs))  # expect: 1234
println(reduce(*, [2.0, 0.5]))         # expect: 1.0
println(map(x -> x > 2, xs))           # expect: Bool[0, 0, 1, 1]
println(map(x -> 2x, [1 2; 3 4]))      # expect: [2 4; 6 8]
println(mapreduce(x -> x^2, +, [1 2; 3 4]; dims=1))  # expect: [10 20]
