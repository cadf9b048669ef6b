# Postfix ' is the adjoint (transpose for real numbers).
A = [1 2; 3 4]
println(A')                    # expect: [1 3; 2 4]
v = [1, 2, 3]
println(size(v'))              # expect: (1, 3)
println(v' * v)                # expect: 14
println(A' * A)                # expect: [10 14; 14 20]
B = [1.0 2.0 3.0]
println(size(B'))              # expect: (3, 1)
println((v')' == v)            # expect: true
println(v')                    # expect: [1 2 3]
println([1.5, 2.5]' * [2.0, 2.0])  # expect: 8.0
