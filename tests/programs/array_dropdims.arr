# dropdims removes size-1 dimensions.
A = [1 2; 3 4]
s = sum(A; dims=1)
println(size(s))               # expect: (1, 2)
println(dropdims(s; dims=1))   # expect: [4, 6]
println(size(dropdims(sum(A; dims=2); dims=2)))  # expect: (2,)
T = ones(2, 1, 3)
println(size(dropdims(T; dims=2)))  # expect: (2, 3)
