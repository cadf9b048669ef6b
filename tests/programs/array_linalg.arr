# Linear algebra.
println(dot([1, 2, 3], [4, 5, 6])) # expect: 32
println(norm([3.0, 4.0]))          # expect: 5.0
A = [2.0 0.0; 0.0 4.0]
println(isapprox(inv(A), [0.5 0.0; 0.0 0.25]))  # expect: true
println(isapprox(A \ [2.0, 4.0], [1.0, 1.0]))   # expect: true
println(diag([1 2; 3 4]))          # expect: [1, 4]
println(tril([1 2; 3 4]))          # expect: [1 0; 3 4]
println(triu([1 2; 3 4]))          # expect: [1 2; 0 4]
println(kron([1 0; 0 1], [1 2; 3 4]))  # expect: [1 2 0 0; 3 4 0 0; 0 0 1 2; 0 0 3 4]
B = [1.0 2.0; 3.0 4.0]
println(B + 2I)                    # expect: [3.0 2.0; 3.0 6.0]
println([1 2; 3 4] - I)            # expect: [0 2; 3 3]
println(B * I == B)                # expect: true
x = B \ [5.0, 11.0]
println(isapprox(x, [1.0, 2.0]))   # expect: true
println(isapprox(inv(B) * B, [1.0 0.0; 0.0 1.0]))  # expect: true
println(isapprox(inv(B), [-2.0 1.0; 1.5 -0.5]))     # expect: true
println(transpose(B) == B')        # expect: true
