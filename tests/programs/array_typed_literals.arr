# Typed array literals and element-type promotion in literals.
a = Float32[1, 2]
println(a)                     # expect: Float32[1.0, 2.0]
println(typeof(a))             # expect: Vector{Float32}
b = Float64[]
println(b)                     # expect: Float64[]
println(typeof(b))             # expect: Vector{Float64}
c = Int[1, 2]
println(c)                     # expect: [1, 2]
d = Float64[1 2; 3 4]
println(d)                     # expect: [1.0 2.0; 3.0 4.0]
println(typeof(Int32[1]))      # expect: Vector{Int32}
println(Int32[1, 2])           # expect: Int32[1, 2]
println(eltype([1, 2.0]))      # expect: Float64
println([1, 2.0])              # expect: [1.0, 2.0]
println([1, true])             # expect: [1, 1]
println(Float32[1 2; 3 4])     # expect: Float32[1.0 2.0; 3.0 4.0]
