# Callable structs.
struct Affine
    W::Matrix{Float64}
    b::Vector{Float64}
end
(a::Affine)(x) = a.W * x .+ a.b
A = Affine([1.0 2.0; 3.0 4.0], [1.0, -1.0])
println(A([1.0, 1.0]))         # expect: [4.0, 6.0]
println(A([1.0 0.0; 0.0 1.0])) # expect: [2.0 3.0; 2.0 3.0]
struct Scale
    k::Int
end
(s::Scale)(x) = s.k * x
s = Scale(3)
println(s(5))                  # expect: 15
println(map(s, [1, 2]))        # expect: [3, 6]
println(s.(1:3))               # expect: [3, 6, 9]
println((Scale(2) ∘ Scale(5))(1))  # expect: 10
