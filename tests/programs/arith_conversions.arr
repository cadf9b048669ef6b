# Conversions between number types.
println(Int(3.0))              # expect: 3
println(Float32(0.5))          # expect: 0.5
println(typeof(Float32(1)))    # expect: Float32
println(Float64(3))            # expect: 3.0
println(round(Int, 2.5))       # expect: 2
println(round(Int, 3.5))       # expect: 4
println(round(Int, -2.5))      # expect: -2
println(round(2.567))          # expect: 3.0
println(round(0.5))            # expect: 0.0
println(trunc(Int, -2.7))      # expect: -2
println(floor(Int, -2.5))      # expect: -3
println(ceil(Int, -2.5))       # expect: -2
println(floor(2.7))            # expect: 2.0
println(ceil(2.1))             # expect: 3.0
println(trunc(2.7))            # expect: 2.0
println(convert(Float64, 2))   # expect: 2.0
println(convert(Int, 4.0))     # expect: 4
println(typeof(Int32(7)))      # expect: Int32
println(Bool(1))               # expect: true
println(Int(true))             # expect: 1
println(Float32(1) == 1)       # expect: true
println(typeof(float(3)))      # expect: Float64
