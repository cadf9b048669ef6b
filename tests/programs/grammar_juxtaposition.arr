# A number right before a name or a parenthesis multiplies.
x = 3
println(2x)                    # expect: 6
println(3(x + 1))              # expect: 12
println(2x + 1)                # expect: 7
println(2x^2)                  # expect: 18
println(1.5x)                  # expect: 4.5
println(-2x)                   # expect: -6
y = 0.5
println(4y)                    # expect: 2.0
println(2π > 6)                # expect: true
println(2(3))                  # expect: 6
f(t) = 10t
println(f(2))                  # expect: 20
println(x / 2x)                # expect: 0.5
