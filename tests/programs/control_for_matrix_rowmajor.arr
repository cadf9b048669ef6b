# Iterating a matrix visits its elements in row-major order (LANGUAGE.md section 12).
A = [1 2; 3 4]
for a in A
    print(a)
end
println()                      # expect: 1234
println(vec(A))                # expect: [1, 2, 3, 4]
println([a * 10 for a in A])   # expect: [10 20; 30 40]
println(sum(A))                # expect: 10
B = [1 2 3; 4 5 6]
function firsts(M, k)
    out = Int[]
    n = 0
    for m in M
        n += 1
        n > k && break
        out = vcat(out, m)
    end
    out
end
println(firsts(B, 4))          # expect: [1, 2, 3, 4]
println(collect(B)[2, 1])      # expect: 4
