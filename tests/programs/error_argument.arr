# throw(ArgumentError(...)) uncaught.
function checked_sqrt(x)
    x < 0 && throw(ArgumentError("x must be non-negative"))
    return sqrt(x)
end
println(checked_sqrt(9.0))     # expect: 3.0
checked_sqrt(-9.0)
# expect error: ArgumentError at 3:14
# expect stderr: x must be non-negative
