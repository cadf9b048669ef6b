# error("...") raises an ErrorException with that message.
println("before")              # expect: before
function check(x)
    x > 10 && error("too big: $x")
    x
end
println(check(5))              # expect: 5
check(11)
println("never")
# expect error: ErrorException at 4:15
# expect stderr: too big: 11
