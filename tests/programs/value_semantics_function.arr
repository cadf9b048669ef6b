# A function cannot change its caller's array; it returns a new one.
function zero_first(v)
    v[1] = 0
    return v
end
a = [5, 6, 7]
b = zero_first(a)
println(a)                     # expect: [5, 6, 7]
println(b)                     # expect: [0, 6, 7]
function bump!(v)
    v .+= 1
    nothing
end
r = bump!(a)
println(a)                     # expect: [5, 6, 7]
println(r)                     # expect: nothing
function fill_diag(M)
    for i in 1:size(M, 1)
        M[i, i] = 9
    end
    M
end
Z = zeros(Int, 2, 2)
println(fill_diag(Z))          # expect: [9 0; 0 9]
println(Z)                     # expect: [0 0; 0 0]
