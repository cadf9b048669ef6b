# Broadcasting a 2x3 with a 3x2 matrix fails.
A = ones(2, 3)
println(size(A .+ ones(1, 3))) # expect: (2, 3)
function add(x, y)
    return x .* y
end
add(A, ones(3, 2))
# expect error: DimensionMismatch at 5:12
