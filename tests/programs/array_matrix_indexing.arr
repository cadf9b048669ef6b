# Matrix indexing.
A = [1 2 3; 4 5 6]
println(A[2, 1])               # expect: 4
println(A[:, 2])               # expect: [2, 5]
println(A[1, :])               # expect: [1, 2, 3]
println(A[2, 2:3])             # expect: [5, 6]
println(A[:, [1, 3]])          # expect: [1 3; 4 6]
println(A[1:1, :])             # expect: [1 2 3]
println(A[end])                # expect: 6
println(size(A[:, 1]))         # expect: (2,)
println(A[:, :] == A)          # expect: true
println(A[[2, 1], :])          # expect: [4 5 6; 1 2 3]
println(A[2, [true, false, true]])  # expect: [4, 6]
