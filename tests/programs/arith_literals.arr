# Number literals.
println(typeof(1))             # expect: Int64
println(typeof(1.0))           # expect: Float64
println(typeof(1e-8))          # expect: Float64
println(typeof(2.5e3))         # expect: Float64
println(typeof(1f0))           # expect: Float32
println(typeof(1.5f-3))        # expect: Float32
println(1f0)                   # expect: 1.0
println(2.5e3 + 1)             # expect: 2501.0
println(1e2)                   # expect: 100.0
println(typeof(true))          # expect: Bool
println(Float64(π))            # expect: 3.141592653589793
println(2π)                    # expect: 6.283185307179586
println(typeof(2π))            # expect: Float64
println(typeof(Inf), " ", typeof(NaN))  # expect: Float64 Float64
