# do-blocks pass an anonymous function as the first argument.
r = map([1, 2, 3]) do x
    x * 2
end
println(r)                     # expect: [2, 4, 6]
function apply_twice(f, x)
    f(f(x))
end
y = apply_twice(5) do v
    v + 10
end
println(y)                     # expect: 25
s = sum([1, 2, 3]) do x
    x^2
end
println(s)                     # expect: 14
z = filter([1, 2, 3, 4]) do x
    x % 2 == 0
end
println(z)                     # expect: [2, 4]
m = map([1, 2], [10, 20]) do a, b
    a + b
end
println(m)                     # expect: [11, 22]
w = apply_twice(1) do v
    if v < 5
        v + 100
    else
        v * 2
    end
end
println(w)                     # expect: 202
