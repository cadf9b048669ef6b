# + on arrays of different sizes is a DimensionMismatch.
println([1, 2] + [3, 4])       # expect: [4, 6]
[1, 2] + [1, 2, 3]
# expect error: DimensionMismatch at 3:1
