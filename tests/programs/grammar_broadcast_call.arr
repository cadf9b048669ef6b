# f.(x) broadcasts any function, built-in or user-defined.
f(x) = x * 10
x = [1, 2, 3]
println(f.(x))                 # expect: [10, 20, 30]
println(abs.([-1, 2, -3]))     # expect: [1, 2, 3]
println(max.(x, 2))            # expect: [2, 2, 3]
g(a, b) = a - b
println(g.(x, [3, 2, 1]))      # expect: [-2, 0, 2]
println(g.(x, 1))              # expect: [0, 1, 2]
println(sqrt.([4.0, 9.0]))     # expect: [2.0, 3.0]
println(string.(x))            # expect: ["1", "2", "3"]
println(f.(2))                 # expect: 20
println((v -> v + 1).(x))      # expect: [2, 3, 4]
println(size(f.([1 2; 3 4])))  # expect: (2, 2)
