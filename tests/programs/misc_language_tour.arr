# A tour of many features in one program (outputs checked against Julia's semantics).
fib(n) = n < 2 ? n : fib(n - 1) + fib(n - 2)
println(fib(15))
function outer()
    helper(n) = n <= 0 ? 0 : n + helper(n - 1)
    helper(10)
end
println(outer())
fs = [() -> i for i in 1:3]
println([f() for f in fs])
function adders()
    out = ()
    for i in 1:3
        out = (out..., x -> x + i)
    end
    out
end
println(map(f -> f(10), adders()))
va(xs...) = length(xs)
println(va(), " ", va(1, 2, 3))
nt = (a=1, b=2.5)
println(nt.a + nt.b)
(; a, b) = nt
println(a, b)
x = [1, 2, 3]
y = x
y[1] = 100
println(x, y)
function modify(v)
    v[1] = -1
    v
end
z = modify(x)
println(x, z)
let q = 5
    global gq = q * 2
end
println(gq)
s = 0
for i in 1:10
    i % 2 == 0 && continue
    i > 7 && break
    s += i
end
println(s)
A = [1 2; 3 4]
A[2, :] = [7, 8]
println(A)
A[:, 1] .= 0
println(A)
B = A'
println(B)
println(A * B)
println(sum(A; dims=1), sum(A; dims=2))
println(maximum([3, 9, 2]), " ", argmax([3, 9, 2]))
println(reshape(1:6, 2, 3))
v = collect(1:5)
v[v .> 2] .= 0
println(v)
println(string(1, "a", 2.5, :s))
println(1:3 .+ 1)
c = 0
while true
    global c += 1
    c >= 3 && break
end
println(c)
try
    error("oops")
catch e
    println("caught: ", e.msg, " ", typeof(e))
end
println(try; sqrt(-1); catch e; typeof(e); end)
println(isapprox(0.1 + 0.2, 0.3), 0.1 + 0.2 ≈ 0.3)
println(round(2.567; digits=2), " ", round(Int, 2.5), " ", floor(Int, -2.5))
println([1, 2] == [1, 2], (1, 2) == (1, 2), "a" == "a")
println(Float32[1, 2] .* 2)

# expect: 610
# expect: 55
# expect: [1, 2, 3]
# expect: (11, 12, 13)
# expect: 0 3
# expect: 3.5
# expect: 12.5
# expect: [1, 2, 3][100, 2, 3]
# expect: [1, 2, 3][-1, 2, 3]
# expect: 10
# expect: 16
# expect: [1 2; 7 8]
# expect: [0 2; 0 8]
# expect: [0 0; 2 8]
# expect: [4 16; 16 64]
# expect: [0 10][2; 8;;]
# expect: 9 2
# expect: [1 2 3; 4 5 6]
# expect: [1, 2, 0, 0, 0]
# expect: 1a2.5s
# expect: 1:4
# expect: 3
# expect: caught: oops ErrorException
# expect: DomainError
# expect: truetrue
# expect: 2.57 2 -3
# expect: truetruetrue
# expect: Float32[2.0, 4.0]
