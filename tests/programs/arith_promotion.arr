# Julia's numeric promotion rules.
println(1 + 2.0)                       # expect: 3.0
println(typeof(1 + 2.0))               # expect: Float64
println(typeof(1 + 1f0))               # expect: Float32
println(1 + 1f0)                       # expect: 2.0
println(typeof(1f0 + 1.0))             # expect: Float64
println(true + true)                   # expect: 2
println(typeof(true + true))           # expect: Int64
println(typeof(true + 1.5))            # expect: Float64
println(1 / 2)                         # expect: 0.5
println(typeof(4 / 2))                 # expect: Float64
println(typeof(Int32(1) + 1))          # expect: Int64
println(typeof(Int32(1) + Int32(1)))   # expect: Int32
println(typeof(UInt8(1) + 1))          # expect: Int64
println(2 * 1.5f0)                     # expect: 3.0
println(typeof(2 * 1.5f0))             # expect: Float32
println(typeof(Int32(2) * 1f0))        # expect: Float32
println(typeof([1, 2] .* 1f0))         # expect: Vector{Float32}
println(typeof(Float32[1] .+ 1.0))     # expect: Vector{Float64}
