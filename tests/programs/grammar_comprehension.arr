# 1-d and 2-d comprehensions, with and without a filter.
println([i^2 for i in 1:5])                   # expect: [1, 4, 9, 16, 25]
println([i for i in 1:10 if iseven(i)])       # expect: [2, 4, 6, 8, 10]
M = [i + j for i in 1:2, j in 1:3]
println(M)                                    # expect: [2 3 4; 3 4 5]
println(size(M))                              # expect: (2, 3)
println(M[2, 3])                              # expect: 5
println([x * 0.5 for x in [2, 4]])            # expect: [1.0, 2.0]
println([10i for i in 1:3])                   # expect: [10, 20, 30]
println(sum([i for i in 1:100]))              # expect: 5050
T = [10i + j for i in 1:3, j in 1:2]
println(T)                                    # expect: [11 12; 21 22; 31 32]
println([x for x in 1:5 if x > 10])           # expect: Int64[]
println([(i, i^2) for i in 1:3][3])           # expect: (3, 9)
