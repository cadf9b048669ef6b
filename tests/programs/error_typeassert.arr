# A failing type assertion is a TypeError.
x = 1
println(x::Int)                # expect: 1
y = x::Float64
# expect error: TypeError at 4:5
# expect stderr: expected Float64, got a value of type Int64
