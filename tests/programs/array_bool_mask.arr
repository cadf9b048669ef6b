# Bool masks: selection, counting, assignment.
x = [3, -1, 4, -1, 5]
m = x .> 0
println(m)                     # expect: Bool[1, 0, 1, 0, 1]
println(x[m])                  # expect: [3, 4, 5]
println(sum(m))                # expect: 3
println(x[x .< 0])             # expect: [-1, -1]
y = copy(x)
y[y .< 0] .= 0
println(y)                     # expect: [3, 0, 4, 0, 5]
function positives(v)
    return v[v .> 0]
end
println(positives([1.5, -2.0, 0.5]))  # expect: [1.5, 0.5]
println(length(positives([-1, -2])))  # expect: 0
