# .+= and slice assignment rebind only the variable being updated.
x = [1, 2, 3, 4]
y = x
x .+= 1
println(x)                     # expect: [2, 3, 4, 5]
println(y)                     # expect: [1, 2, 3, 4]
x[2:3] .= 0
println(x)                     # expect: [2, 0, 0, 5]
println(y)                     # expect: [1, 2, 3, 4]
z = zeros(2, 2)
w = z
z[1, :] .= 1.0
println(z)                     # expect: [1.0 1.0; 0.0 0.0]
println(w)                     # expect: [0.0 0.0; 0.0 0.0]
