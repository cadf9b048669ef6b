# Julia operator precedence and associativity.
println(1 + 2 * 3)             # expect: 7
println((1 + 2) * 3)           # expect: 9
println(2 ^ 3 ^ 2)             # expect: 512
println(-2 ^ 2)                # expect: -4
println(10 - 3 - 2)            # expect: 5
println(2 * 3 ^ 2)             # expect: 18
println(100 / 10 / 5)          # expect: 2.0
println(7 - 4 ÷ 2)             # expect: 5
println(2 * 5 % 3)             # expect: 1
println(1 + 2 == 3)            # expect: true
println(!true || true)         # expect: true
println(false && true || true) # expect: true
println(1 - -1)                # expect: 2
x = 3
println(-x^2)                  # expect: -9
println(collect(1:2+1))        # expect: [1, 2, 3]
println(collect(1:3 .+ 1))     # expect: [1, 2, 3, 4]
println((2 + 3 > 4) == true)   # expect: true
println(2 + 3 > 4 == true)     # expect: false
