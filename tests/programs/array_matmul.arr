# Matrix-matrix and matrix-vector products.
A = [1 2; 3 4]
B = [5 6; 7 8]
println(A * B)                         # expect: [19 22; 43 50]
println(B * A)                         # expect: [23 34; 31 46]
v = [1, 1]
println(A * v)                         # expect: [3, 7]
println([1.0 2.0] * [3.0, 4.0])        # expect: [11.0]
println(v' * A)                        # expect: [4 6]
C = [1.0 0.0 2.0; 0.0 1.0 0.0]
D = ones(3, 2)
println(C * D)                         # expect: [3.0 3.0; 1.0 1.0]
println(size(ones(2, 3) * ones(3, 4))) # expect: (2, 4)
println(A * B == [19 22; 43 50])       # expect: true
println([1, 2] * [3 4])                # expect: [3 4; 6 8]
println(2 * A)                         # expect: [2 4; 6 8]
