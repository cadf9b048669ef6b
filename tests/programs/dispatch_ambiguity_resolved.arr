# Adding the more specific method resolves the ambiguity.
f(x::Int, y) = "first"
f(x, y::Int) = "second"
f(x::Int, y::Int) = "both"
println(f(1, 2))               # expect: both
println(f(1, 2.0))             # expect: first
println(f(1.0, 2))             # expect: second
g(x::Real, y::Integer) = "ri"
g(x::Integer, y::Real) = "ir"
println(g(1.0, 1))             # expect: ri
println(g(1, 1.0))             # expect: ir
