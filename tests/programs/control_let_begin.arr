# begin blocks and let blocks.
x = begin
    a = 2
    a * 3
end
println(x)                     # expect: 6
println(a)                     # expect: 2
y = let a = 10, b = 20
    a + b
end
println(y)                     # expect: 30
println(a)                     # expect: 2
z = 1
let z = 5
    println(z)                 # expect: 5
end
println(z)                     # expect: 1
let
    w = 3
    println(w)                 # expect: 3
end
r = let t = 0
    for i in 1:4
        t += i
    end
    t
end
println(r)                     # expect: 10
q = let u = z + 1
    u * 100
end
println(q)                     # expect: 200
