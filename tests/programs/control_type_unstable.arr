# A variable that changes type in a loop gives the same results in every mode.
function halve(n)
    x = n
    for i in 1:3
        x = x / 2
    end
    x
end
println(halve(1))              # expect: 0.125
function grow(k)
    v = 1
    for i in 1:k
        v = i == 2 ? [v, v] : v .+ 1
    end
    v
end
println(grow(3))               # expect: [3, 3]
function maybe(x)
    r = 0
    if x > 0
        r = "positive"
    end
    r
end
println(maybe(1), " ", maybe(-1))  # expect: positive 0
