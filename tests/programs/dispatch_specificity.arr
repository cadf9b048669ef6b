# The most specific matching method wins.
f(x, y) = "any-any"
f(x::Int, y) = "int-any"
f(x, y::Int) = "any-int"
f(x::Int, y::Int) = "int-int"
println(f(1, 2))               # expect: int-int
println(f(1, 2.0))             # expect: int-any
println(f(1.0, 2))             # expect: any-int
println(f(1.0, 2.0))           # expect: any-any
g(x::Number) = "number"
g(x::Float64) = "float64"
println(g(1.0))                # expect: float64
println(g(1f0))                # expect: number
println(g(1))                  # expect: number
h(v::AbstractArray) = "abstract array"
h(v::Vector{Float64}) = "float vector"
println(h([1.0]))              # expect: float vector
println(h([1]))                # expect: abstract array
println(h(1:3))                # expect: abstract array
k(x::Real, y::Real) = "real-real"
k(x::Integer, y::Integer) = "int-int"
println(k(1, true))            # expect: int-int
println(k(1, 1.0))             # expect: real-real
