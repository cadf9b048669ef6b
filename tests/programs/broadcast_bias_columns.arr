# Broadcasting lines dimensions up from the first: a vector is added to every column.
W = [1.0 0.0; 0.0 2.0; 1.0 1.0]
x = [1.0 2.0 3.0; 1.0 1.0 1.0]
b = [10.0, 20.0, 30.0]
Y = W * x .+ b
println(size(Y))               # expect: (3, 3)
println(Y)                     # expect: [11.0 12.0 13.0; 22.0 22.0 22.0; 32.0 33.0 34.0]
println([1 2 3] .+ [10, 20])   # expect: [11 12 13; 21 22 23]
println([1, 2] .* [1 2 3])     # expect: [1 2 3; 2 4 6]
println(ones(2, 3) .+ [1 2 3]) # expect: [2.0 3.0 4.0; 2.0 3.0 4.0]
println([1 2; 3 4] .- [1, 1])  # expect: [0 1; 2 3]
println(size(ones(2, 1, 3) .+ ones(1, 4)))  # expect: (2, 4, 3)
println([1 2; 3 4] .* 10)      # expect: [10 20; 30 40]
