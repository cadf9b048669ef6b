# Optional positional arguments; defaults may use earlier arguments.
f(x, y=2) = x + y
println(f(1))                  # expect: 3
println(f(1, 5))               # expect: 6
g(a, b=a * 2, c=b + 1) = (a, b, c)
println(g(1))                  # expect: (1, 2, 3)
println(g(1, 5))               # expect: (1, 5, 6)
println(g(1, 5, 0))            # expect: (1, 5, 0)
h(x=10) = x
println(h())                   # expect: 10
println(h(4))                  # expect: 4
function pad(s, n=3; fill="*")
    string(s, n, fill)
end
println(pad("a"))              # expect: a3*
println(pad("a", 1; fill="-")) # expect: a1-
