# Indexed assignment in all its forms.
A = zeros(Int, 2, 3)
A[1, 2] = 5
A[2, :] = [7, 8, 9]
println(A)                     # expect: [0 5 0; 7 8 9]
A[:, 1] .= 1
println(A)                     # expect: [1 5 0; 1 8 9]
v = collect(1:5)
v[2:3] = [20, 30]
println(v)                     # expect: [1, 20, 30, 4, 5]
v[v .> 10] .= 0
println(v)                     # expect: [1, 0, 0, 4, 5]
v[end] = -1
println(v)                     # expect: [1, 0, 0, 4, -1]
v[[1, 2]] = [8, 9]
println(v)                     # expect: [8, 9, 0, 4, -1]
w = zeros(3)
w[2] = 1
println(w)                     # expect: [0.0, 1.0, 0.0]
A[2, 3] += 100
println(A[2, 3])               # expect: 109
