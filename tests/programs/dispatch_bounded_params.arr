# Type parameters known only by a bound, and typed literals of user types.
struct P
    x::Int
end
describe(v::Vector{<:Real}) = "real vector"
describe(v::Vector{<:AbstractString}) = "string vector"
describe(v::AbstractVector) = "some vector"
println(describe([1, 2]))              # expect: real vector
println(describe([1.5]))               # expect: real vector
println(describe(["a", "b"]))          # expect: string vector
println(describe([P(1)]))              # expect: some vector
ps = P[P(1), P(2)]
println(ps)                            # expect: P[P(1), P(2)]
println(typeof(ps))                    # expect: Vector{P}
println(length(P[]))                   # expect: 0
