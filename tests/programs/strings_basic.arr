# Basic string operations.
s = "hello"
println(length(s))             # expect: 5
println(s * " world")          # expect: hello world
println(string("a", 1, 2.5, true))  # expect: a12.5true
println(s == "hello")          # expect: true
println("abc" < "abd")         # expect: true
println(string(:sym))          # expect: sym
println(typeof(s))             # expect: String
println(string([1, 2]))        # expect: [1, 2]
println(string(nothing))       # expect: nothing
println(string((1, 2)))        # expect: (1, 2)
println(string(1.0f0))         # expect: 1.0
println("x" * string(3))       # expect: x3
