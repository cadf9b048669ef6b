# Recursion, including mutual recursion.
fib(n) = n < 2 ? n : fib(n - 1) + fib(n - 2)
println(fib(10))               # expect: 55
println(map(fib, 1:8))         # expect: [1, 1, 2, 3, 5, 8, 13, 21]
fact(n) = n <= 1 ? 1 : n * fact(n - 1)
println(fact(10))              # expect: 3628800
is_even(n) = n == 0 ? true : is_odd(n - 1)
is_odd(n) = n == 0 ? false : is_even(n - 1)
println(is_even(10), " ", is_odd(7))  # expect: true true
function gcd2(a, b)
    b == 0 && return a
    return gcd2(b, a % b)
end
println(gcd2(48, 18))          # expect: 6
function depth(n)
    n == 0 && return 0
    return 1 + depth(n - 1)
end
println(depth(1000))           # expect: 1000
