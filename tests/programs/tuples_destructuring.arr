# Destructuring assignment and swapping.
function minmax2(v)
    return minimum(v), maximum(v)
end
lo, hi = minmax2([3, 1, 4, 1, 5])
println(lo)                    # expect: 1
println(hi)                    # expect: 5
r = minmax2([2, 7])
println(r)                     # expect: (2, 7)
x, y, z = [10, 20, 30]
println(y)                     # expect: 20
(m, n) = (1, 2)
println(m + n)                 # expect: 3
a, b = 1, 2
a, b = b, a
println((a, b))                # expect: (2, 1)
p, q = 1:2
println(q)                     # expect: 2
u, (v, w) = (1, (2, 3))
println(w)                     # expect: 3
function fib_pair(n)
    a, b = 0, 1
    for _ in 1:n
        a, b = b, a + b
    end
    a
end
println(fib_pair(20))          # expect: 6765
