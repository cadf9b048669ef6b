# The left operand of && must be a Bool.
function check(x)
    return x && true
end
println(check(true))           # expect: true
check(1.0)
# expect error: TypeError at 3
# expect stderr: non-boolean (Float64) used in boolean context
