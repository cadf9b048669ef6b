# Storing 2.5 into an Int array is an InexactError.
v = [1, 2, 3]
v[1] = 4.0
println(v)                     # expect: [4, 2, 3]
v[2] = 2.5
# expect error: InexactError at 5:1
