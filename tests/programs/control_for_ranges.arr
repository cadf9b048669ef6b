# for over ranges, step ranges, reversed ranges, tuples and arrays.
function joined(r)
    s = ""
    for i in r
        s = string(s, i, ",")
    end
    s
end
println(joined(1:3))           # expect: 1,2,3,
println(joined(1:2:9))         # expect: 1,3,5,7,9,
println(joined(10:-3:1))       # expect: 10,7,4,1,
println(joined(reverse(1:4)))  # expect: 4,3,2,1,
println(joined((7, 8)))        # expect: 7,8,
println(joined([2.5, 3.5]))    # expect: 2.5,3.5,
println(joined(5:4))           # expect:
println(joined(reverse([1, 2, 3])))  # expect: 3,2,1,
for i in 1:3
    print(i)
end
println()                      # expect: 123
for x in [10, 20]
    println(x)
end
# expect: 10
# expect: 20
