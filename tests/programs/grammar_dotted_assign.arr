# .= and the dotted update operators.
x = [1, 2, 3]
x .+= 1
println(x)                     # expect: [2, 3, 4]
x .*= 2
println(x)                     # expect: [4, 6, 8]
x .-= [1, 2, 3]
println(x)                     # expect: [3, 4, 5]
y = zeros(3)
y .= x
println(y)                     # expect: [3.0, 4.0, 5.0]
y .= 7
println(y)                     # expect: [7.0, 7.0, 7.0]
x[2:3] .= 0
println(x)                     # expect: [3, 0, 0]
z = [1.0, 2.0]
z ./= 2
println(z)                     # expect: [0.5, 1.0]
z .^= 2
println(z)                     # expect: [0.25, 1.0]
