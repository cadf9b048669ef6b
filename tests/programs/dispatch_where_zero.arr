# where {T<:Real} binds T, so the body can use zero(T) and T(...).
function mysum(xs::AbstractArray{T}) where {T<:Real}
    acc = zero(T)
    for x in xs
        acc += x
    end
    return acc
end
println(mysum([1, 2, 3]))              # expect: 6
println(mysum([0.5, 0.25]))            # expect: 0.75
println(typeof(mysum(Float32[1, 2])))  # expect: Float32
println(mysum(Float32[1, 2]))          # expect: 3.0
println(mysum(Int[]))                  # expect: 0
println(mysum(Float64[]))              # expect: 0.0
twice(x::T) where {T<:Number} = T(2) * x
println(twice(3))                      # expect: 6
println(twice(1.5))                    # expect: 3.0
println(typeof(twice(1f0)))            # expect: Float32
promote_pair(a::T, b::T) where {T<:Real} = "same $T"
promote_pair(a::Real, b::Real) = "mixed"
println(promote_pair(1, 2))            # expect: same Int64
println(promote_pair(1, 2.0))          # expect: mixed
