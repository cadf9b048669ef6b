# How tuples, named tuples, ranges and pairs print.
println((1, 2.5))              # expect: (1, 2.5)
println((1,))                  # expect: (1,)
println(())                    # expect: ()
println((1, "a", :b))          # expect: (1, "a", :b)
println(((1, 2), 3))           # expect: ((1, 2), 3)
println(([1, 2], 3.0))         # expect: ([1, 2], 3.0)
println(1:3)                   # expect: 1:3
println(1:2:9)                 # expect: 1:2:9
println((a = 1, b = "x"))      # expect: (a = 1, b = "x")
println(1 => 2)                # expect: 1 => 2
println("a" => [1.0])          # expect: "a" => [1.0]
println((1.0f0, 2))            # expect: (1.0f0, 2)
