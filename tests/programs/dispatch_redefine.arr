# Redefining a method with the same signature replaces it.
f(x) = 1
println(f(0))                  # expect: 1
f(x) = 2
println(f(0))                  # expect: 2
f(x::Int) = 3
println(f(0))                  # expect: 3
println(f(0.0))                # expect: 2
g() = h() + 1
h() = 10
println(g())                   # expect: 11
h() = 20
println(g())                   # expect: 21
