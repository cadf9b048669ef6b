# println and print.
println("hello")               # expect: hello
print("a")
print("b")
println()                      # expect: ab
println("a", 1, 2.0)           # expect: a12.0
println(string(1, "x", 2.5))   # expect: 1x2.5
println(:sym)                  # expect: sym
println(nothing)               # expect: nothing
println(true)                  # expect: true
println(false, true)           # expect: falsetrue
println()                      # expect:
print(1, 2, "\n")              # expect: 12
println("multi", "\n", "line") # expect: multi
                               # expect: line
println(sin)                   # expect: sin
