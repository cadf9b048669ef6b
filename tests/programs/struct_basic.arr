# Immutable structs: construction, field access, printing, equality.
struct Point
    x::Float64
    y::Float64
end
p = Point(1.0, 2.0)
println(p)                     # expect: Point(1.0, 2.0)
println(p.x)                   # expect: 1.0
println(p.y + 1)               # expect: 3.0
q = Point(p.x + 1.0, p.y)
println(q)                     # expect: Point(2.0, 2.0)
println(p)                     # expect: Point(1.0, 2.0)
println(typeof(p))             # expect: Point
println(p == Point(1.0, 2.0))  # expect: true
println(p == q)                # expect: false
r = Point(3, 4)
println(r)                     # expect: Point(3.0, 4.0)
println(typeof(r.x))           # expect: Float64
