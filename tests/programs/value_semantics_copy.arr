# Arrays are values: assignment does not alias (LANGUAGE.md section 12).
x = [1, 2, 3]
y = x
y[1] = 100
println(x)                     # expect: [1, 2, 3]
println(y)                     # expect: [100, 2, 3]
A = [1 2; 3 4]
B = A
B[1, 1] = 0
println(A)                     # expect: [1 2; 3 4]
println(B)                     # expect: [0 2; 3 4]
s = x[1:2]
s[1] = -1
println(x)                     # expect: [1, 2, 3]
println(s)                     # expect: [-1, 2]
