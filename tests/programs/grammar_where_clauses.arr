# where clauses bind type parameters usable in the body.
function zsum(xs::Vector{T}) where {T<:Real}
    s = zero(T)
    for x in xs
        s += x
    end
    s
end
println(zsum([1, 2, 3]))       # expect: 6
println(zsum([1.5, 2.5]))      # expect: 4.0
println(zsum(Float64[]))       # expect: 0.0
println(zsum(Int[]))           # expect: 0
eltype_of(::Vector{T}) where T = T
println(eltype_of([1.0]))      # expect: Float64
println(eltype_of([1]))        # expect: Int64
same(a::T, b::T) where {T} = true
same(a, b) = false
println(same(1, 2))            # expect: true
println(same(1, 2.0))          # expect: false
pairtype(a::A, b::B) where {A, B<:AbstractFloat} = "$A and $B"
println(pairtype(1, 2.0))      # expect: Int64 and Float64
