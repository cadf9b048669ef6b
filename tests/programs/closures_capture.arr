# Closures capture variables from the enclosing scope.
function make_adder(n)
    return x -> x + n
end
add5 = make_adder(5)
println(add5(1))               # expect: 6
println(make_adder(10)(1))     # expect: 11
function make_multipliers()
    return [x -> x * k for k in 1:3]
end
ms = make_multipliers()
println(ms[2](10))             # expect: 20
println(map(f -> f(1), ms))    # expect: [1, 2, 3]
base = 100
f = x -> x + base
println(f(1))                  # expect: 101
base = 200
println(f(1))                  # expect: 201
function outer(a)
    inner(b) = a * b
    return inner(3) + inner(4)
end
println(outer(2))              # expect: 14
