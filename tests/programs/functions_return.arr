# Implicit and explicit returns, return type annotations, multiple values.
f(x) = x + 1
function g(x)
    if x > 0
        return "positive"
    end
    "non-positive"
end
println(f(1))                  # expect: 2
println(g(1), " ", g(-1))      # expect: positive non-positive
h(x)::Float64 = x
println(h(1))                  # expect: 1.0
function k(x)::Int
    x * 2.0
end
println(k(3))                  # expect: 6
function noret()
    y = 1
end
println(noret())               # expect: 1
function nothing_ret()
    return
end
println(nothing_ret())         # expect: nothing
minmax2(v) = (minimum(v), maximum(v))
lo, hi = minmax2([3, 1, 4, 1, 5])
println(lo, " ", hi)           # expect: 1 5
