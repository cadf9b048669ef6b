# Functions as values: identity, composition, piping, currying of comparisons.

"""`identity(x)`: x."""
identity(x) = x

"""`f ∘ g`: the composition, `x -> f(g(x))`."""
struct ComposedFunction
    outer
    inner
end
∘(f, g) = ComposedFunction(f, g)
(c::ComposedFunction)(xs...) = c.outer(c.inner(xs...))

"""`x |> f`: f(x)."""
|>(x, f) = f(x)

"""`!f`: the function `(xs...) -> !f(xs...)`."""
!(f::Function) = (xs...) -> !f(xs...)

# curried comparisons: `filter(==(2), xs)`, `count(>(0), xs)`
==(x) = y -> y == x
!=(x) = y -> y != x
<(x) = y -> y < x
<=(x) = y -> y <= x
>(x) = y -> y > x
>=(x) = y -> y >= x
isequal(x) = y -> isequal(y, x)
in(xs) = y -> in(y, xs)

ifelse(c::Bool, a, b) = c ? a : b
