# Reading a field that does not exist.
struct Point
    x::Float64
    y::Float64
end
p = Point(1.0, 2.0)
println(p.y)                   # expect: 2.0
println(p.z)
# expect error: ErrorException at 8:9
# expect stderr: has no field z
