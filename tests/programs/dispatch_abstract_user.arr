# User abstract types form a hierarchy that dispatch follows.
abstract type Shape end
abstract type Polygon <: Shape end
struct Circle <: Shape
    r::Float64
end
struct Square <: Polygon
    s::Float64
end
struct Tri <: Polygon
    b::Float64
    h::Float64
end
area(c::Circle) = 3.0 * c.r^2
area(s::Square) = s.s^2
area(t::Tri) = 0.5 * t.b * t.h
sides(p::Polygon) = "polygon"
sides(s::Shape) = "shape"
shapes = (Circle(1.0), Square(2.0), Tri(2.0, 3.0))
for s in shapes
    println(area(s), " ", sides(s))
end
# expect: 3.0 shape
# expect: 4.0 polygon
# expect: 3.0 polygon
println(Square <: Shape)       # expect: true
println(Circle <: Polygon)     # expect: false
println(isa(Tri(1.0, 1.0), Shape))  # expect: true
println(sum(area, shapes))     # expect: 10.0
