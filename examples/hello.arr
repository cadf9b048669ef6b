# A first Arr program: multiple dispatch, broadcasting, a loop, and printing.

abstract type Shape end

struct Circle <: Shape
    r::Float64
end

struct Rect <: Shape
    w::Float64
    h::Float64
end

area(c::Circle) = π * c.r^2
area(r::Rect) = r.w * r.h

shapes = (Circle(1.0), Rect(2.0, 3.0), Circle(0.5))
total = sum(area(s) for s in shapes)
println("total area: ", round(total; digits=3))

# Newton's method for sqrt(2), with an early exit from the loop
function newton_sqrt(a; tol=1e-12)
    x = a
    for i in 1:100
        x_new = (x + a / x) / 2
        abs(x_new - x) < tol && return (x_new, i)
        x = x_new
    end
    error("did not converge")
end

root, steps = newton_sqrt(2.0)
println("sqrt(2) ≈ $root after $steps steps")

# Broadcasting a user function with a branch, and a reduction with dims
relu(x) = x > 0 ? x : zero(x)
A = [1.0 -2.0 3.0; -4.0 5.0 -6.0]
println(relu.(A))
println(sum(relu.(A); dims=2))
