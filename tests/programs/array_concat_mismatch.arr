# hcat of vectors of different lengths is a DimensionMismatch.
println(hcat([1, 2], [3, 4]))  # expect: [1 3; 2 4]
M = hcat([1, 2], [3, 4, 5])
# expect error: DimensionMismatch at 3:5
