# reshape and vec are row-major (LANGUAGE.md section 12).
R = reshape(1:6, 2, 3)
println(R)                     # expect: [1 2 3; 4 5 6]
println(R[1, 2])               # expect: 2
println(reshape(1:6, 3, 2))    # expect: [1 2; 3 4; 5 6]
println(vec([1 2; 3 4]))       # expect: [1, 2, 3, 4]
println(reshape([1, 2, 3, 4], 2, :))  # expect: [1 2; 3 4]
println(reshape([1, 2, 3, 4, 5, 6], :, 2))  # expect: [1 2; 3 4; 5 6]
println(size(reshape(1:12, 2, 3, 2)))  # expect: (2, 3, 2)
println(reshape(reshape(1:6, 2, 3), 6) == collect(1:6))  # expect: true
println(vec(reshape(1:6, 3, 2)))  # expect: [1, 2, 3, 4, 5, 6]
println(reshape([1 2 3; 4 5 6], 3, 2))  # expect: [1 2; 3 4; 5 6]
