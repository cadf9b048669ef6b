# Reductions with and without dims.
A = [1 2; 3 4]
println(sum(A))                        # expect: 10
println(sum(A; dims=1))                # expect: [4 6]
println(vec(sum(A; dims=2)))           # expect: [3, 7]
println(size(sum(A; dims=2)))          # expect: (2, 1)
println(prod([1, 2, 3, 4]))            # expect: 24
println(prod(A; dims=1))               # expect: [3 8]
println(maximum([3, 7, 2]))            # expect: 7
println(minimum([3, 7, 2]))            # expect: 2
println(vec(maximum(A; dims=2)))       # expect: [2, 4]
println(minimum(A; dims=1))            # expect: [1 2]
println(mean([1.0, 2.0, 3.0, 4.0]))    # expect: 2.5
println(mean([1, 2]))                  # expect: 1.5
println(mean(A; dims=1))               # expect: [2.0 3.0]
println(sum([0.5, 0.25]))              # expect: 0.75
println(sum(Float64[]))                # expect: 0.0
println(sum(Int[]))                    # expect: 0
println(maximum([-1.5, -0.5]))         # expect: -0.5
