# Solving a 3x3 system needs pivoting.
A = [0.0 2.0 1.0; 1.0 1.0 0.0; 2.0 0.0 3.0]
b = [7.0, 3.0, 11.0]
x = A \ b
println(isapprox(A * x, b))    # expect: true
println(isapprox(x, [1.0, 2.0, 3.0]))  # expect: true
Ai = inv(A)
println(isapprox(Ai * A, [1.0 0.0 0.0; 0.0 1.0 0.0; 0.0 0.0 1.0]))  # expect: true
println(isapprox(norm([1.0, 2.0, 2.0]), 3.0))  # expect: true
println(dot([1.0, 2.0], [3.0, 4.0]))  # expect: 11.0
