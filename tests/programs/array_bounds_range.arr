# A range index that runs past the end is a BoundsError.
x = collect(1:5)
println(x[4:5])                # expect: [4, 5]
y = x[4:6]
# expect error: BoundsError at 4:5
