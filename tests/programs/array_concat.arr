# vcat, hcat and cat.
println(vcat([1, 2], [3]))             # expect: [1, 2, 3]
println(hcat([1, 2], [3, 4]))          # expect: [1 3; 2 4]
println(vcat([1 2], [3 4]))            # expect: [1 2; 3 4]
println(hcat([1 2], [3 4]))            # expect: [1 2 3 4]
println(cat([1, 2], [3, 4]; dims=1))   # expect: [1, 2, 3, 4]
println(cat([1, 2], [3, 4]; dims=2))   # expect: [1 3; 2 4]
println(size(cat(zeros(2, 2), ones(2, 2); dims=3)))  # expect: (2, 2, 2)
println(vcat(1, 2, 3))                 # expect: [1, 2, 3]
println([[1, 2]; [3, 4]])              # expect: [1, 2, 3, 4]
println([[1, 2] [3, 4]])               # expect: [1 3; 2 4]
println(vcat([1, 2], [0.5]))           # expect: [1.0, 2.0, 0.5]
println(hcat(1, 2))                    # expect: [1 2]
println(size(vcat(zeros(2, 3), ones(1, 3))))  # expect: (3, 3)
