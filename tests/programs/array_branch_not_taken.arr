# An error on a branch that is not taken is never raised, in any mode.
f(x) = x >= 0 ? sqrt(x) : -1.0
println(f.([4.0, -4.0, 9.0]))  # expect: [2.0, -1.0, 3.0]
g(v) = v > 0 ? div(10, v) : 0
println(g.([2, 0, 5]))         # expect: [5, 0, 2]
function safe_get(v, i)
    if i <= length(v)
        return v[i]
    else
        return 0
    end
end
println(safe_get([1, 2, 3], 5))  # expect: 0
println(safe_get([1, 2, 3], 2))  # expect: 2
function first_neg(v)
    for i in 1:length(v)
        v[i] < 0 && return i
    end
    return -1
end
println(first_neg([3, -1, 2]))   # expect: 2
