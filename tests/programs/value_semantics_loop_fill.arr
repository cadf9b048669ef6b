# Filling arrays element by element, at the top level and inside functions.
n = 5
v = zeros(Int, n)
for i in 1:n
    v[i] = i * i
end
println(v)                     # expect: [1, 4, 9, 16, 25]
function table(m, k)
    M = zeros(m, k)
    for i in 1:m, j in 1:k
        M[i, j] = 10i + j
    end
    M
end
println(table(2, 3))           # expect: [11.0 12.0 13.0; 21.0 22.0 23.0]
function squares(n)
    out = zeros(Int, n)
    for i in 1:n
        out[i] = i^2
    end
    out
end
println(squares(4))            # expect: [1, 4, 9, 16]
println(sum(squares(1000)))    # expect: 333833500
