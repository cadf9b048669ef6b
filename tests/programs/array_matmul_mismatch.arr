# Multiplying matrices with inner dimensions that differ is a DimensionMismatch.
A = ones(2, 3)
B = ones(2, 3)
println(size(A * B'))          # expect: (2, 2)
C = A * B
# expect error: DimensionMismatch at 5:5
