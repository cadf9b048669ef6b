# Struct fields cannot be assigned.
struct Point
    x::Float64
    y::Float64
end
p = Point(1.0, 2.0)
println(p.x)                   # expect: 1.0
p.x = 3.0
# expect error: ErrorException at 8:1
# expect stderr: immutable
