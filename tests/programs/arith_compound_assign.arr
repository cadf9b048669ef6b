# Compound assignment operators.
function demo()
    x = 10
    x += 5
    println(x)
    x -= 3
    println(x)
    x *= 2
    println(x)
    x /= 4
    println(x)
    x ^= 2
    println(x)
    n = 17
    n ÷= 5
    println(n)
    n %= 2
    println(n)
end
demo()
# expect: 15
# expect: 12
# expect: 24
# expect: 6.0
# expect: 36.0
# expect: 3
# expect: 1
