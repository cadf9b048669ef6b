# Nested loops with break and continue, and return from inside them.
function pairs_sum(n)
    s = 0
    for i in 1:n
        for j in 1:n
            j > i && break
            (i + j) % 2 == 0 && continue
            s += i * j
        end
    end
    s
end
println(pairs_sum(4))          # expect: 24
function find_pair(target)
    for i in 1:10
        for j in i:10
            if i * j == target
                return (i, j)
            end
        end
    end
    return nothing
end
println(find_pair(12))         # expect: (2, 6)
println(find_pair(97))         # expect: nothing
function skip_odds(v)
    total = 0
    for x in v
        if isodd(x)
            continue
        end
        total += x
    end
    total
end
println(skip_odds(1:10))       # expect: 30
function grid()
    s = ""
    for i in 1:3, j in 1:3
        j == 2 && continue
        i == 3 && break
        s = string(s, i, j, ",")
    end
    s
end
println(grid())                # expect: 11,13,21,23,
