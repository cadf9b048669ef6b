# typeof of many kinds of values.
println(typeof(1))                 # expect: Int64
println(typeof(1.0))               # expect: Float64
println(typeof(1f0))               # expect: Float32
println(typeof([1.0, 2.0]))        # expect: Vector{Float64}
println(typeof([1 2; 3 4]))        # expect: Matrix{Int64}
println(typeof(zeros(2, 2, 2)))    # expect: Array{Float64, 3}
println(typeof((1, 2.0)))          # expect: Tuple{Int64, Float64}
println(typeof(1:3))               # expect: UnitRange{Int64}
println(typeof("s"))               # expect: String
println(typeof(:s))                # expect: Symbol
println(typeof(nothing))           # expect: Nothing
println(typeof(true))              # expect: Bool
println(typeof(Int32(1)))          # expect: Int32
println(typeof(Float32[1]))        # expect: Vector{Float32}
println(typeof([true]))            # expect: Vector{Bool}
println(typeof(ones(Float32, 2, 2)))  # expect: Matrix{Float32}
println(typeof(((1, 2), 3)))       # expect: Tuple{Tuple{Int64, Int64}, Int64}
println(typeof(["a"]))             # expect: Vector{String}
