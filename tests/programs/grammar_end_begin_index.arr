# `end` and `begin` inside indexing.
x = [10, 20, 30, 40, 50]
println(x[end])                # expect: 50
println(x[end - 1])            # expect: 40
println(x[begin])              # expect: 10
println(x[begin + 1])          # expect: 20
println(x[2:end])              # expect: [20, 30, 40, 50]
println(x[end÷2])              # expect: 20
println(x[end:-1:1])           # expect: [50, 40, 30, 20, 10]
println(x[begin:2:end])        # expect: [10, 30, 50]
A = [1 2 3; 4 5 6]
println(A[end, end])           # expect: 6
println(A[end, 1])             # expect: 4
println(A[1, end])             # expect: 3
println(A[end, 2:end])         # expect: [5, 6]
println(x[[1, end]])           # expect: [10, 50]
