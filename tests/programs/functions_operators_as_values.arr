# Operators are ordinary functions.
op = +
println(op(1, 2))              # expect: 3
println(+(1, 2, 3))            # expect: 6
println(*(2, 3))               # expect: 6
v = [1, 2, 3]
println(+(v...))               # expect: 6
println(reduce(max, v))        # expect: 3
println(map(-, v))             # expect: [-1, -2, -3]
ops = (+, -, *)
println([f(6, 3) for f in ops])  # expect: [9, 3, 18]
println(foldl(*, [1, 2, 3, 4]; init=10))  # expect: 240
println((^)(2, 5))             # expect: 32
