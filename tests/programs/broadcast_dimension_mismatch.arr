# .+ of incompatible shapes is a DimensionMismatch.
a = [1, 2]
b = [1, 2, 3]
println(length(a) + length(b)) # expect: 5
c = a .+ b
# expect error: DimensionMismatch at 5:5
# expect stderr: could not be broadcast
