# Random numbers from the interpreter's global generator, reseeded by `seed!(n)`.
# (Compiled code draws from explicit Threefry keys instead.)

"""`seed!(n)`: reseed the global random number generator."""
seed!(n::Integer) = Intrinsics.seed(n)

"""
    rand([T=Float64], dims...)
    rand(collection)

Uniform random numbers in [0, 1) (any value of an integer type T); with a range or an
array, a random element of it.
"""
rand() = Intrinsics.rand(Float64, ())
rand(::Type{T}) where {T<:Number} = Intrinsics.rand(T, ())
rand(dims::Integer...) = Intrinsics.rand(Float64, dims)
rand(dims::Tuple) = Intrinsics.rand(Float64, dims)
rand(::Type{T}, dims::Integer...) where {T<:Number} = Intrinsics.rand(T, dims)
rand(::Type{T}, dims::Tuple) where {T<:Number} = Intrinsics.rand(T, dims)
rand(r::UnitRange) = Intrinsics.rand_int(first(r), last(r), ())
rand(r::UnitRange, dims::Integer...) = Intrinsics.rand_int(first(r), last(r), dims)
rand(r::StepRange) = r[Intrinsics.rand_int(1, length(r), ())]
rand(r::StepRange, dims::Integer...) = collect(r)[Intrinsics.rand_int(1, length(r), dims)]
rand(xs::AbstractArray) = xs[Intrinsics.rand_int(1, length(xs), ())]
rand(xs::AbstractArray, dims::Integer...) = _iter_array(xs)[Intrinsics.rand_int(1, length(xs), dims)]
rand(t::Tuple) = t[Intrinsics.rand_int(1, length(t), ())]

"""`randn([T=Float64], dims...)`: standard normal random numbers."""
randn() = Intrinsics.randn(Float64, ())
randn(::Type{T}) where {T<:AbstractFloat} = Intrinsics.randn(T, ())
randn(dims::Integer...) = Intrinsics.randn(Float64, dims)
randn(dims::Tuple) = Intrinsics.randn(Float64, dims)
randn(::Type{T}, dims::Integer...) where {T<:AbstractFloat} = Intrinsics.randn(T, dims)
randn(::Type{T}, dims::Tuple) where {T<:AbstractFloat} = Intrinsics.randn(T, dims)

"""`randperm(n)`: a random permutation of 1:n."""
randperm(n::Integer) = Intrinsics.randperm(n)
"""`shuffle(v)`: the elements of v in random order."""
shuffle(v::AbstractVector) = v[randperm(length(v))]
