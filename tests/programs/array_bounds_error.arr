# Reading past the end of a vector is a BoundsError.
x = [1.0, 2.0, 3.0]
println(x[3])                  # expect: 3.0
println(x[4])
# expect error: BoundsError at 4:9
# expect stderr: attempt to access 3-element Vector{Float64} at index [4]
