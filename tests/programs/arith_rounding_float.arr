# Rounding floats (ties go to even).
println(round(2.5))            # expect: 2.0
println(round(3.5))            # expect: 4.0
println(round(-2.5))           # expect: -2.0
println(round(-0.4))           # expect: -0.0
println(floor(-1.5))           # expect: -2.0
println(ceil(1.2))             # expect: 2.0
println(trunc(-1.7))           # expect: -1.0
println(round(Int, 0.5))       # expect: 0
println(round(Int, 1.5))       # expect: 2
println(round(7))              # expect: 7
println(floor(Int, 3.99))      # expect: 3
println(typeof(floor(Int, 3.99)))  # expect: Int64
