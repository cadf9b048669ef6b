# Out-of-bounds matrix index.
A = [1 2; 3 4]
println(A[2, 2])               # expect: 4
A[3, 1]
# expect error: BoundsError at 4:1
# expect stderr: attempt to access 2×2 Matrix{Int64} at index [3, 1]
