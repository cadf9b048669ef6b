# Outer constructors are ordinary methods.
struct Point
    x::Float64
    y::Float64
end
Point(x::Float64) = Point(x, 0.0)
Point() = Point(0.0)
println(Point(2.0))            # expect: Point(2.0, 0.0)
println(Point())               # expect: Point(0.0, 0.0)
struct Interval
    lo::Int
    hi::Int
end
Interval(n::Int) = Interval(-n, n)
width(i::Interval) = i.hi - i.lo
println(width(Interval(3)))    # expect: 6
println(Interval(3))           # expect: Interval(-3, 3)
struct Wrapper{T}
    v::T
end
Wrapper(a, b) = Wrapper((a, b))
println(Wrapper(1, 2))         # expect: Wrapper{Tuple{Int64, Int64}}((1, 2))
