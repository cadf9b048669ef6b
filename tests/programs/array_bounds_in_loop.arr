# A loop stops at its first error.
function fill_until(n)
    v = zeros(3)
    for i in 1:n
        v[i] = i
    end
    v
end
println(fill_until(3))         # expect: [1.0, 2.0, 3.0]
fill_until(5)
# expect error: BoundsError at 5:9
