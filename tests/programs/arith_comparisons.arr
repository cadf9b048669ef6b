# Comparisons across types.
println(1 == 1.0)              # expect: true
println(2 < 2.5)               # expect: true
println(1f0 == 1.0)            # expect: true
println(Float32(0.1) == 0.1)   # expect: false
println(NaN != NaN)            # expect: true
println(NaN < 1.0)             # expect: false
println(-Inf < typemin(Int))   # expect: true
println(3 >= 3)                # expect: true
println(isless(1, 2))          # expect: true
println(max(NaN, 1.0))         # expect: NaN
println(min(-0.0, 0.0))        # expect: -0.0
println(cmp(1, 2))             # expect: -1
