# Nested dotted calls fuse into one broadcast.
x = [1.0, 2.0, 3.0]
y = sqrt.(abs.(x .- 2.0) .* 4.0)
println(y)                     # expect: [2.0, 0.0, 2.0]
f(a) = a + 1
g(a) = a * 2
println(f.(g.(x)))             # expect: [3.0, 5.0, 7.0]
println(isapprox(exp.(log.(x)), x))  # expect: true
println(max.(0.0, x .- 2.0))   # expect: [0.0, 0.0, 1.0]
println(x .+ x .* x)           # expect: [2.0, 6.0, 12.0]
println(sum(x .^ 2))           # expect: 14.0
counter(v) = v > 1.5 ? 1 : 0
println(sum(counter.(x)))      # expect: 2
println(f.(x) .+ g.([1 2]))    # expect: [4.0 6.0; 5.0 7.0; 6.0 8.0]
