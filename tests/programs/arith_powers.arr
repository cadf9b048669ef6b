# Powers.
println(2^10)                  # expect: 1024
println(2.0^0.5)               # expect: 1.4142135623730951
println(3^3)                   # expect: 27
println((-2)^3)                # expect: -8
println(2^0)                   # expect: 1
println(1.5^2)                 # expect: 2.25
println(typeof(2^2))           # expect: Int64
println(typeof(2.0^2))         # expect: Float64
println(4^0.5)                 # expect: 2.0
x = 3
println(x^2 + 2x + 1)          # expect: 16
println(2^62)                  # expect: 4611686018427387904
println(2^64)                  # expect: 0
println(Float32(2)^3)          # expect: 8.0
