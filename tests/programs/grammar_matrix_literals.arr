# Matrix literals: spaces separate elements, `;` and newlines separate rows.
A = [1 2; 3 4]
println(A)                     # expect: [1 2; 3 4]
println(size(A))               # expect: (2, 2)
println(A[1, 2])               # expect: 2
B = [1 2 3
     4 5 6]
println(size(B))               # expect: (2, 3)
println(B)                     # expect: [1 2 3; 4 5 6]
C = [1.0 2.0]
println(size(C))               # expect: (1, 2)
println([1; 2; 3])             # expect: [1, 2, 3]
println(typeof([1; 2]))        # expect: Vector{Int64}
println([1 2.5])               # expect: [1.0 2.5]
println(typeof([1 2; 3 4]))    # expect: Matrix{Int64}
