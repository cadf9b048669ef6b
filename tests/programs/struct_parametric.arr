# Parametric structs.
struct Duo{T}
    a::T
    b::T
end
d = Duo(1, 2)
println(d)                     # expect: Duo{Int64}(1, 2)
println(d.a + d.b)             # expect: 3
e = Duo{Float64}(1, 2)
println(e)                     # expect: Duo{Float64}(1.0, 2.0)
println(typeof(e))             # expect: Duo{Float64}
swap(d::Duo) = Duo(d.b, d.a)
println(swap(d))               # expect: Duo{Int64}(2, 1)
f = Duo([1.0], [2.0, 3.0])
println(typeof(f))             # expect: Duo{Vector{Float64}}
println(length(f.b))           # expect: 2
struct Tagged{T, N}
    v::T
end
println(Tagged{Int, 3}(5).v)   # expect: 5
