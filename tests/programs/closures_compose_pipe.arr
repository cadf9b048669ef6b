# f ∘ g and x |> f.
inc(x) = x + 1
dbl(x) = 2x
println((inc ∘ dbl)(3))        # expect: 7
println((dbl ∘ inc)(3))        # expect: 8
println((inc ∘ inc ∘ dbl)(1))  # expect: 4
h = sqrt ∘ abs
println(h(-16.0))              # expect: 4.0
println(3 |> inc |> dbl)       # expect: 8
println([1, 4, 9] |> sum)      # expect: 14
println(-3 |> abs |> string)   # expect: 3
println([1, 2] |> (v -> v .* 10))  # expect: [10, 20]
fs = (inc, dbl)
println(map(f -> f(5), fs))    # expect: (6, 10)
println(map(inc ∘ dbl, [1, 2]))  # expect: [3, 5]
