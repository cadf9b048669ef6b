# Special float values and small numbers.
println(NaN)                   # expect: NaN
println(-Inf)                  # expect: -Inf
println(1e-5)                  # expect: 1.0e-5
println(1.0f0)                 # expect: 1.0
println(-0.5f0)                # expect: -0.5
println(float(3))              # expect: 3.0
println(3.0 * 0.1)             # expect: 0.30000000000000004
println(1.25e-10)              # expect: 1.25e-10
println(0.001)                 # expect: 0.001
println(123.456)               # expect: 123.456
println(Float32(1e-5))         # expect: 1.0e-5
