# Bool arithmetic and bitwise operators.
println(true & false)          # expect: false
println(true | false)          # expect: true
println(!true)                 # expect: false
println(5 & 3)                 # expect: 1
println(5 | 3)                 # expect: 7
println(true * 3)              # expect: 3
println(-true)                 # expect: -1
println(true == 1)             # expect: true
println(false < true)          # expect: true
println(sum([true, true, false]))  # expect: 2
println(typeof(true & true))   # expect: Bool
println(true + 1.5)            # expect: 2.5
