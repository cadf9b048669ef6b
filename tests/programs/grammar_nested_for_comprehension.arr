# Comprehensions and generators with several `for` clauses (Julia's flattened iteration):
# always a flat Vector, outer clause first, later clauses see the earlier variables,
# an optional trailing `if` filters the innermost items.
println([(i, j) for i in 1:2 for j in 1:i])  # expect: [(1, 1), (2, 1), (2, 2)]
println(sum(i * j for i in 1:3 for j in 1:i))  # expect: 25
println([i + j for i in 1:3 for j in 1:2 if isodd(i + j)])  # expect: [3, 3, 5]
println([(i, j, k) for i in 1:2 for j in 1:i for k in j:2])  # expect: [(1, 1, 1), (1, 1, 2), (2, 1, 1), (2, 1, 2), (2, 2, 2)]
println([i for i in 1:3 for j in 1:i-1])  # expect: [2, 3, 3]
println(length([i for i in 1:0 for j in 1:i]))  # expect: 0
println(collect(x * y for x in [1.5, 2] for y in 1:2))  # expect: [1.5, 3.0, 2.0, 4.0]
println(Float64[i for i in 1:2 for j in 1:2])  # expect: [1.0, 1.0, 2.0, 2.0]
println([x for xs in [[1, 2], Int[], [3]] for x in xs])  # expect: [1, 2, 3]
println(maximum(i - j for i in 1:4 for j in i:4 if iseven(j)))  # expect: 0
f(n) = [i * j for i in 1:n for j in i:n if i != j]
println(f(3))  # expect: [2, 3, 6]
function pairs_upto(n)
    ps = [(i, j) for i in 1:n for j in (i + 1):n]
    length(ps)
end
println(pairs_upto(4))  # expect: 6
