# The ternary operator, nested to the right.
x = 5
println(x > 3 ? "big" : "small")           # expect: big
println(x > 10 ? "big" : x > 4 ? "mid" : "small")  # expect: mid
sgn(v) = v > 0 ? 1 : v < 0 ? -1 : 0
println(sgn(-3), sgn(0), sgn(7))           # expect: -101
y = x == 5 ? 100 : 200
println(y)                                 # expect: 100
println(true ? 1 : 2.0)                    # expect: 1
println(false ? 1 : 2.0)                   # expect: 2.0
z = x > 0 ? x * 2 : -x
println(z)                                 # expect: 10
println((x < 0 ? -1 : 1) * 7)              # expect: 7
