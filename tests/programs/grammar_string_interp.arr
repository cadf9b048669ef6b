# String interpolation with $name and $(expr).
x = 3
println("$x and $(x + 1)")     # expect: 3 and 4
name = "Arr"
println("Hello, $name!")       # expect: Hello, Arr!
v = [1, 2]
println("v = $v")              # expect: v = [1, 2]
println("sum: $(sum(v))")      # expect: sum: 3
t = (1, 2.5)
println("t=$(t)")              # expect: t=(1, 2.5)
y = 1.5
println("$(y)s")               # expect: 1.5s
println("$(1 + 2)$(3 * 4)")    # expect: 312
A = [1 2; 3 4]
println("A = $A")              # expect: A = [1 2; 3 4]
println("type: $(typeof(y))")  # expect: type: Float64
