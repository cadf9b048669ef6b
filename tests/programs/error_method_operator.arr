# An operator with argument types it has no method for.
println(1 + 1)                 # expect: 2
x = "a" + 1
# expect error: MethodError at 3:5
# expect stderr: no method matching +(::String, ::Int64)
