# maximum of an empty collection is an ArgumentError.
println(maximum([1.0]))        # expect: 1.0
m = maximum(Float64[])
# expect error: ArgumentError at 3:5
