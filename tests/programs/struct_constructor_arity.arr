# The default constructor takes every field.
struct Point
    x::Float64
    y::Float64
end
println(Point(1.0, 2.0))       # expect: Point(1.0, 2.0)
p = Point(1.0)
# expect error: MethodError at 7:5
# expect stderr: no method matching Point(::Float64)
