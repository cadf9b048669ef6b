# string and interpolation use the same text as print.
A = [1 2; 3 4]
println("A = $A")              # expect: A = [1 2; 3 4]
println(string(1.0f0))         # expect: 1.0
println(string(nothing))       # expect: nothing
println(string((1, 2)))        # expect: (1, 2)
println("$(1 + 2)$(3 * 4)")    # expect: 312
println(string(true, false))   # expect: truefalse
println("$(:sym) $(nothing)")  # expect: sym nothing
println("vec: $(Float32[1])")  # expect: vec: Float32[1.0]
s = string(1:3)
println(s)                     # expect: 1:3
println(length(string(12345))) # expect: 5
