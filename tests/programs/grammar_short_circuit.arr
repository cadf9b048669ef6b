# && and || as control flow.
x = 5
x > 0 && println("pos")        # expect: pos
x < 0 && println("neg")
x < 0 || println("not neg")    # expect: not neg
x > 0 || println("never")
println(false && error("no"))  # expect: false
println(true || error("no"))   # expect: true
function check(v)
    v < 0 && return "negative"
    v == 0 && return "zero"
    "positive"
end
println(check(-1))             # expect: negative
println(check(0))              # expect: zero
println(check(3))              # expect: positive
println(x > 1 && x < 10)       # expect: true
println(x > 6 || x < 2)        # expect: false
println(!(x > 6) && true)      # expect: true
