# Indexing is 1-based: index 0 is out of bounds, for reads and writes.
x = [1, 2, 3]
x[2] = 20
println(x)                     # expect: [1, 20, 3]
println(x[1])                  # expect: 1
x[0] = 5
# expect error: BoundsError at 6:1
