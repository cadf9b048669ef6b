# Mutating functions such as push! do not exist for values; the error says what to write.
v = [1, 2]
v = vcat(v, 3)
println(v)                    # expect: [1, 2, 3]
push!(v, 4)
# expect error: ArgumentError at 5:1
# expect stderr: v = vcat(v, x)
