# ::Type{T} dispatch.
make(::Type{Int}) = 1
make(::Type{Float64}) = 1.5
make(::Type{T}) where {T} = "other $T"
println(make(Int))             # expect: 1
println(make(Float64))         # expect: 1.5
println(make(String))          # expect: other String
conv(::Type{T}, x) where {T} = T(x)
println(conv(Float64, 2))      # expect: 2.0
println(conv(Int, 2.0))        # expect: 2
println(zero(Float32))         # expect: 0.0
println(typeof(one(Int32)))    # expect: Int32
println(typemax(Int32))        # expect: 2147483647
filled(::Type{T}, n) where {T} = zeros(T, n)
println(filled(Int, 2))        # expect: [0, 0]
println(filled(Float32, 2))    # expect: Float32[0.0, 0.0]
