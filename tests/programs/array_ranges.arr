# Ranges.
r = 1:5
println(r)                     # expect: 1:5
println(typeof(r))             # expect: UnitRange{Int64}
println(length(r))             # expect: 5
println(r[2])                  # expect: 2
println(collect(r))            # expect: [1, 2, 3, 4, 5]
s = 1:2:9
println(s)                     # expect: 1:2:9
println(typeof(s))             # expect: StepRange{Int64, Int64}
println(collect(s))            # expect: [1, 3, 5, 7, 9]
println(sum(1:100))            # expect: 5050
println(collect(10:-3:1))      # expect: [10, 7, 4, 1]
println(length(5:4))           # expect: 0
println(reverse(1:4))          # expect: 4:-1:1
println(collect((1:3) .+ 1))   # expect: [2, 3, 4]
println(step(1:2:9))           # expect: 2
println(first(3:7), last(3:7)) # expect: 37
println(length(1:2:10))        # expect: 5
println(last(1:2:10))          # expect: 9
println((1:5)[2:3] == 2:3)     # expect: true
