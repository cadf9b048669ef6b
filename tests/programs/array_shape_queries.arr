# size, length, ndims, eltype.
A = zeros(2, 3)
println(size(A))               # expect: (2, 3)
println(size(A, 1))            # expect: 2
println(size(A, 2))            # expect: 3
println(length(A))             # expect: 6
println(ndims(A))              # expect: 2
println(eltype(A))             # expect: Float64
v = [1, 2, 3]
println(size(v))               # expect: (3,)
println(ndims(v))              # expect: 1
println(eltype(v))             # expect: Int64
println(eltype(Float32[1]))    # expect: Float32
println(length(1:10))          # expect: 10
println(size(zeros(2, 3, 4)))  # expect: (2, 3, 4)
println(ndims(zeros(2, 3, 4))) # expect: 3
println(isempty(Float64[]))    # expect: true
println(length(axes(A, 2)))    # expect: 3
println(collect(axes(A, 1)))   # expect: [1, 2]
