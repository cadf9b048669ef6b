# A string right before a definition is its docstring, and changes nothing else.
"Adds one."
addone(x) = x + 1

"""
    double(x)

Doubles `x`.
"""
function double(x)
    2x
end

"A point in the plane."
struct P
    x::Int
end

println(addone(1))             # expect: 2
println(double(4))             # expect: 8
println(P(3).x)                # expect: 3
