# Whitespace inside [ ] decides between one element and two.
println([1 -2])                # expect: [1 -2]
println(length([1 -2]))        # expect: 2
println([1 - 2])               # expect: [-1]
println([1 -2 3])              # expect: [1 -2 3]
println([1 + 2])               # expect: [3]
println([1 +2])                # expect: [1 2]
x = 2
println([x -x])                # expect: [2 -2]
println([x - x])               # expect: [0]
a = [5, 6]
println([a [1, 2]])            # expect: [5 1; 6 2]
println([a; [7]])              # expect: [5, 6, 7]
b = [5]
println([b [1]])               # expect: [5 1]
println([[1, 2]; [3]])         # expect: [1, 2, 3]
