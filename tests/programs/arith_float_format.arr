# Floats print with the shortest representation that round-trips.
println(0.1 + 0.2)             # expect: 0.30000000000000004
println(1e-8)                  # expect: 1.0e-8
println(2.5e3)                 # expect: 2500.0
println(1e-5)                  # expect: 1.0e-5
println(0.0001)                # expect: 0.0001
println(1.0)                   # expect: 1.0
println(-0.0)                  # expect: -0.0
println(100.0)                 # expect: 100.0
println(1/3)                   # expect: 0.3333333333333333
println(2/3)                   # expect: 0.6666666666666666
println(NaN)                   # expect: NaN
println(-Inf)                  # expect: -Inf
println(Inf)                   # expect: Inf
println(1.5f0)                 # expect: 1.5
println(Float32(0.1))          # expect: 0.1
println(Float64(Float32(0.1))) # expect: 0.10000000149011612
println(1e300 * 1e10)          # expect: Inf
println(0.0 / 0.0)             # expect: NaN
println(1 / 0)                 # expect: Inf
println(-1 / 0)                # expect: -Inf
println(1.5f-3)                # expect: 0.0015
println(Float32(1) / 3)        # expect: 0.33333334
