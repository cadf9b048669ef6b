# Making arrays.
println(zeros(3))                      # expect: [0.0, 0.0, 0.0]
println(zeros(2, 3))                   # expect: [0.0 0.0 0.0; 0.0 0.0 0.0]
println(ones(Float32, 2))              # expect: Float32[1.0, 1.0]
println(fill(7, 2, 2))                 # expect: [7 7; 7 7]
println(zeros(Int, 2))                 # expect: [0, 0]
println(ones(2, 2))                    # expect: [1.0 1.0; 1.0 1.0]
println(collect(1:3))                  # expect: [1, 2, 3]
println(collect(range(0, 1; length=5)))  # expect: [0.0, 0.25, 0.5, 0.75, 1.0]
println(fill(0.5, 3))                  # expect: [0.5, 0.5, 0.5]
println(size(similar(zeros(2, 3))))    # expect: (2, 3)
println(eltype(similar([1, 2])))       # expect: Int64
println(zero([1.5, 2.5]))              # expect: [0.0, 0.0]
println(copy([1, 2]))                  # expect: [1, 2]
println(Float64[])                     # expect: Float64[]
println(length(Float64[]))             # expect: 0
println(typeof(zeros(Float32, 2, 2)))  # expect: Matrix{Float32}
println(length(range(1, 2; length=11)))  # expect: 11
