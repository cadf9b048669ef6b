# reverse, sort, first, last.
println(reverse([1, 2, 3]))            # expect: [3, 2, 1]
println(collect(reverse(1:4)))         # expect: [4, 3, 2, 1]
println(sort([3, 1, 2]))               # expect: [1, 2, 3]
println(sort([3, 1, 2]; rev=true))     # expect: [3, 2, 1]
println(sort([2.5, -1.0, 0.0]))        # expect: [-1.0, 0.0, 2.5]
println(reverse([1 2; 3 4]; dims=1))   # expect: [3 4; 1 2]
println(reverse([1 2; 3 4]; dims=2))   # expect: [2 1; 4 3]
println(first([7, 8, 9]), last([7, 8, 9]))  # expect: 79
println(first(1:5), last(1:5))         # expect: 15
x = [3, 1, 2]
y = sort(x)
println(x)                             # expect: [3, 1, 2]
println(y)                             # expect: [1, 2, 3]
println(sort(["b", "a", "c"]))         # expect: ["a", "b", "c"]
println(first([4, 5, 6], 2))           # expect: [4, 5]
