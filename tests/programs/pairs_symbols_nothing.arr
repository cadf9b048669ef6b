# Pairs, symbols and nothing.
p = 1 => 2
println(p)                     # expect: 1 => 2
println(p.first, " ", p.second)  # expect: 1 2
println(typeof(p))             # expect: Pair{Int64, Int64}
q = 784 => 256
println(first(q) + last(q))    # expect: 1040
s = :relu
println(s)                     # expect: relu
println(typeof(s))             # expect: Symbol
println(s == :relu)            # expect: true
println(s == :tanh)            # expect: false
println(Symbol("ab") == :ab)   # expect: true
println(nothing == nothing)    # expect: true
println(isnothing(nothing))    # expect: true
println(isnothing(0))          # expect: false
println(typeof(nothing))       # expect: Nothing
