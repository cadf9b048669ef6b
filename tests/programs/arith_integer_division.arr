# Integer division, remainder and modulus.
println(7 ÷ 2)                 # expect: 3
println(-7 ÷ 2)                # expect: -3
println(div(7, 2))             # expect: 3
println(div(-7, 2))            # expect: -3
println(7 % 3)                 # expect: 1
println(-7 % 3)                # expect: -1
println(7 % -3)                # expect: 1
println(mod(-7, 3))            # expect: 2
println(mod(7, -3))            # expect: -2
println(rem(-7, 3))            # expect: -1
println(7.5 % 2)               # expect: 1.5
println(mod(-1.5, 1.0))        # expect: 0.5
println(typeof(7 ÷ 2))         # expect: Int64
println(6 ÷ 2.0)               # expect: 3.0
