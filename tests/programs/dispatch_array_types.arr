# Dispatch on array types and their parameters.
dims_name(x::Vector) = "vector"
dims_name(x::Matrix) = "matrix"
dims_name(x::AbstractArray) = "array"
println(dims_name([1, 2]))             # expect: vector
println(dims_name([1 2; 3 4]))         # expect: matrix
println(dims_name(zeros(2, 2, 2)))     # expect: array
el(x::Array{Float32,2}) = "f32 matrix"
el(x::Array{T,2}) where {T} = "matrix of $T"
println(el(zeros(Float32, 2, 2)))      # expect: f32 matrix
println(el(zeros(2, 2)))               # expect: matrix of Float64
nd(x::AbstractArray{T,N}) where {T,N} = N
println(nd(zeros(2, 3, 4)))            # expect: 3
println(nd([1]))                       # expect: 1
elt(x::AbstractArray{T}) where {T} = T
println(elt(1:3))                      # expect: Int64
println(elt(Float32[1]))               # expect: Float32
vm(x::AbstractVector) = "abstract vector"
vm(x::AbstractMatrix) = "abstract matrix"
println(vm(1:2))                       # expect: abstract vector
println(vm(ones(2, 2)))                # expect: abstract matrix
