# Vector indexing: scalars, ranges, steps, integer vectors, Bool masks.
x = [10, 20, 30, 40, 50, 60]
println(x[1])                  # expect: 10
println(x[2:4])                # expect: [20, 30, 40]
println(x[1:2:end])            # expect: [10, 30, 50]
println(x[[1, 3]])             # expect: [10, 30]
println(x[end:-2:1])           # expect: [60, 40, 20]
println(x[x .> 25])            # expect: [30, 40, 50, 60]
println(x[[true, false, true, false, false, false]])  # expect: [10, 30]
println(length(x[2:1]))        # expect: 0
println(x[:])                  # expect: [10, 20, 30, 40, 50, 60]
println(x[[2, 2, 1]])          # expect: [20, 20, 10]
println(typeof(x[2:3]))        # expect: Vector{Int64}
