# Array arithmetic: + - and scalar * /.
a = [1.0, 2.0]
b = [3.0, 5.0]
println(a + b)                 # expect: [4.0, 7.0]
println(b - a)                 # expect: [2.0, 3.0]
println(2a)                    # expect: [2.0, 4.0]
println(a * 3)                 # expect: [3.0, 6.0]
println(b / 2)                 # expect: [1.5, 2.5]
println(-a)                    # expect: [-1.0, -2.0]
println(a .* b)                # expect: [3.0, 10.0]
println([1, 2] * 1.5)          # expect: [1.5, 3.0]
println([1 2; 3 4] - [1 1; 1 1])  # expect: [0 1; 2 3]
println(a == [1.0, 2.0])       # expect: true
println([1, 2] == [1.0, 2.0])  # expect: true
println([1, 2] == [1, 2, 3])   # expect: false
println([1 2] == [1, 2])       # expect: false
