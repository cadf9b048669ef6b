# Three-dimensional arrays, row-major.
T = reshape(1:24, 2, 3, 4)
println(size(T))                               # expect: (2, 3, 4)
println(T[1, 1, 1], " ", T[1, 1, 2], " ", T[1, 2, 1], " ", T[2, 1, 1])  # expect: 1 2 5 13
println(T[2, 3, 4])                            # expect: 24
println(sum(T))                                # expect: 300
println(size(sum(T; dims=3)))                  # expect: (2, 3, 1)
println(vec(sum(T; dims=3)))                   # expect: [10, 26, 42, 58, 74, 90]
println(T[1, :, 1])                            # expect: [1, 5, 9]
println(size(T[:, 1, :]))                      # expect: (2, 4)
println(vec(T)[1:4])                           # expect: [1, 2, 3, 4]
println(ndims(T))                              # expect: 3
