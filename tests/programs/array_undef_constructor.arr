# Vector{T}(undef, n) and friends, then filled in a loop (arrays are values: zeros).
function squares(n)
    v = Vector{Int}(undef, n)
    for i in 1:n
        v[i] = i^2
    end
    v
end
println(squares(4))                          # expect: [1, 4, 9, 16]
m = Matrix{Float32}(undef, 2, 3)
println(typeof(m), " ", size(m))             # expect: Matrix{Float32} (2, 3)
println(Array{Float64}(undef, 2))            # expect: [0.0, 0.0]
Vector{Int}(undef, 2, 2)
# expect error: ArgumentError at 13:1
