# Fields without annotations hold any value.
struct Pair2
    first
    second
end
p = Pair2(1, "two")
println(p.first)               # expect: 1
println(p.second)              # expect: two
println(p)                     # expect: Pair2(1, "two")
q = Pair2([1.0, 2.0], (3, 4))
println(q)                     # expect: Pair2([1.0, 2.0], (3, 4))
println(q.first[2])            # expect: 2.0
println(q.second[1] + 1)       # expect: 4
r = Pair2(p, nothing)
println(r)                     # expect: Pair2(Pair2(1, "two"), nothing)
s = Pair2(sin, :sym)
println(s.first(0.0))          # expect: 0.0
println(s.second)              # expect: sym
