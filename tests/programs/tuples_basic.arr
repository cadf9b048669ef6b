# Tuples.
t = (1, 2.5, "x")
println(t)                     # expect: (1, 2.5, "x")
println(t[1])                  # expect: 1
println(t[end])                # expect: x
println(length(t))             # expect: 3
println(typeof((1, 2.0)))      # expect: Tuple{Int64, Float64}
a, b, c = t
println(b)                     # expect: 2.5
println((1,))                  # expect: (1,)
println(typeof((1,)))          # expect: Tuple{Int64}
println(t[2:3])                # expect: (2.5, "x")
println(())                    # expect: ()
println((1, 2) == (1, 2))      # expect: true
println((1, (2, 3))[2][1])     # expect: 2
println(sum((1, 2, 3)))        # expect: 6
