# NamedTuples: field access, indexing, printing.
nt = (a = 1, b = 2.5)
println(nt.a)                  # expect: 1
println(nt.b)                  # expect: 2.5
println(nt[1])                 # expect: 1
println(nt[2])                 # expect: 2.5
println(nt)                    # expect: (a = 1, b = 2.5)
println(keys(nt))              # expect: (:a, :b)
println(length(nt))            # expect: 2
nt2 = (x = [1, 2], y = "s")
println(nt2.x[2])              # expect: 2
println(nt2)                   # expect: (x = [1, 2], y = "s")
println(nt[:a])                # expect: 1
println((a = 1,))              # expect: (a = 1,)
println(values(nt))            # expect: (1, 2.5)
a, b = nt
println(b)                     # expect: 2.5
