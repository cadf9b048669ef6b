# enumerate, zip and destructuring loop variables.
for (i, v) in enumerate([5, 6])
    println(i, ":", v)
end
# expect: 1:5
# expect: 2:6
for (k, v) in zip([1, 2], ["a", "b"])
    println(k, v)
end
# expect: 1a
# expect: 2b
for (a, b) in [(1, 2), (3, 4)]
    println(a * b)
end
# expect: 2
# expect: 12
println(collect(zip([1, 2], [3, 4])))  # expect: [(1, 3), (2, 4)]
println([i * v for (i, v) in enumerate([10, 20])])  # expect: [10, 40]
