# Two equally specific methods: the call is ambiguous.
f(x::Int, y) = 1
f(x, y::Int) = 2
println(f(1, 2.0))             # expect: 1
println(f(1.0, 2))             # expect: 2
f(1, 2)
# expect error: MethodError at 6:1
# expect stderr: ambiguous
