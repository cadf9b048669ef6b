# Dispatch on tuple and NamedTuple types, and varargs methods.
f(t::Tuple{Int,Int}) = "two ints"
f(t::Tuple) = "a tuple of $(length(t))"
f(nt::NamedTuple) = "named"
println(f((1, 2)))             # expect: two ints
println(f((1, 2.0)))           # expect: a tuple of 2
println(f((1, 2, 3)))          # expect: a tuple of 3
println(f((a = 1,)))           # expect: named
g(xs::Int...) = "ints"
g(xs...) = "anything"
println(g(1, 2))               # expect: ints
println(g(1, 2.0))             # expect: anything
println(g())                   # expect: ints
