# argmax, argmin, findmax, findmin.
x = [3, 9, 2, 9]
println(argmax(x))             # expect: 2
println(argmin(x))             # expect: 3
println(findmax(x))            # expect: (9, 2)
println(findmin(x))            # expect: (2, 3)
v, i = findmax([0.5, 1.5, 1.0])
println(v, " at ", i)          # expect: 1.5 at 2
println(argmax([-1.0, -0.5, -2.0]))  # expect: 2
println(argmax(abs.([-7, 3, 5])))    # expect: 1
