# show prints values as code.
show(1.0f0)
println()                      # expect: 1.0f0
show("str")
println()                      # expect: "str"
show(:sym)
println()                      # expect: :sym
show([1, 2])
println()                      # expect: [1, 2]
show(1.5)
println()                      # expect: 1.5
show(nothing)
println()                      # expect: nothing
show((1, "a"))
println()                      # expect: (1, "a")
show(Float32[1.5])
println()                      # expect: Float32[1.5]
show(1:3)
println()                      # expect: 1:3
show(true)
println()                      # expect: true
