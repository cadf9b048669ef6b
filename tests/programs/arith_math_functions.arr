# Elementary functions.
println(sqrt(16.0))            # expect: 4.0
println(sqrt(2))               # expect: 1.4142135623730951
println(abs(-3))               # expect: 3
println(abs(-2.5))             # expect: 2.5
println(sign(-4.0))            # expect: -1.0
println(sign(3))               # expect: 1
println(exp(0.0))              # expect: 1.0
println(exp(1.0))              # expect: 2.718281828459045
println(log(1.0))              # expect: 0.0
println(log(exp(2.0)) ≈ 2.0)   # expect: true
println(sin(0.0))              # expect: 0.0
println(cos(0.0))              # expect: 1.0
println(atan(1.0, 1.0) ≈ π / 4)  # expect: true
println(log2(8.0))             # expect: 3.0
println(exp2(3.0))             # expect: 8.0
println(min(3, 1, 2), max(3, 1, 2))  # expect: 13
println(clamp(15, 0, 10))      # expect: 10
println(clamp(-0.5, 0.0, 1.0)) # expect: 0.0
println(tanh(0.0))             # expect: 0.0
println(sqrt(4f0))             # expect: 2.0
println(typeof(sqrt(4f0)))     # expect: Float32
println(typeof(sqrt(4)))       # expect: Float64
println(max(1, 2.5))           # expect: 2.5
