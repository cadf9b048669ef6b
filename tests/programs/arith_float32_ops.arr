# Float32 arithmetic stays Float32.
a = 1.5f0
b = 2f0
println(a + b)                 # expect: 3.5
println(typeof(a * b))         # expect: Float32
println(a / b)                 # expect: 0.75
println(typeof(a / 2))         # expect: Float32
println(typeof(sin(a)))        # expect: Float32
println(Float32(1) / 3)        # expect: 0.33333334
println(Float32(0.1) + Float32(0.2))  # expect: 0.3
v = Float32[1, 2, 3]
println(sum(v))                # expect: 6.0
println(typeof(sum(v)))        # expect: Float32
println(typeof(v .* 2))        # expect: Vector{Float32}
println(typeof(v .* 2.0))      # expect: Vector{Float64}
println(eltype(zeros(Float32, 2) .+ 1))  # expect: Float32
