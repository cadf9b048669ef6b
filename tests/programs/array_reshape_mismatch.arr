# reshape to a different number of elements is a DimensionMismatch.
println(size(reshape(1:6, 2, 3)))  # expect: (2, 3)
r = reshape(1:6, 4, 2)
# expect error: DimensionMismatch at 3:5
