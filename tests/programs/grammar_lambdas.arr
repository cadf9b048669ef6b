# Anonymous functions.
sq = x -> x^2
println(sq(4))                 # expect: 16
add = (a, b) -> a + b
println(add(2, 3))             # expect: 5
println(map(x -> x + 1, [1, 2]))  # expect: [2, 3]
k = () -> 42
println(k())                   # expect: 42
f = function (x)
    x * 3
end
println(f(2))                  # expect: 6
println((x -> 2x)(5))          # expect: 10
compose = (f, g) -> (x -> f(g(x)))
h = compose(sq, x -> x + 1)
println(h(2))                  # expect: 9
multi = x -> begin
    y = x + 1
    y * 2
end
println(multi(3))              # expect: 8
println(map((a, b) -> a * b, [1, 2], [3, 4]))  # expect: [3, 8]
