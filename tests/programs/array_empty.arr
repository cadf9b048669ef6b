# Empty arrays.
e = Int[]
println(length(e))             # expect: 0
println(isempty(e))            # expect: true
println(sum(e))                # expect: 0
println(e)                     # expect: Int64[]
println(vcat(e, [1]))          # expect: [1]
println(size(zeros(0, 3)))     # expect: (0, 3)
println(collect(1:0))          # expect: Int64[]
println([x for x in Float64[]])  # expect: Float64[]
println(map(x -> x + 1, Int[])) # expect: Int64[]
