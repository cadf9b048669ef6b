# permutedims, transpose and adjoint.
A = [1 2 3; 4 5 6]
println(permutedims(A))        # expect: [1 4; 2 5; 3 6]
println(transpose(A))          # expect: [1 4; 2 5; 3 6]
println(A')                    # expect: [1 4; 2 5; 3 6]
B = reshape(1:24, 2, 3, 4)
println(size(permutedims(B, (3, 1, 2))))  # expect: (4, 2, 3)
P = permutedims(B, (2, 1, 3))
println(P[3, 2, 4] == B[2, 3, 4])  # expect: true
println(size(transpose([1, 2, 3])))  # expect: (1, 3)
println(permutedims(A, (2, 1)) == A')  # expect: true
println(transpose(transpose(A)) == A)  # expect: true
