# Arrays: shape queries, indexing, construction, literals, comprehensions, map and
# reshaping.  Arrays are values: `setindex` returns a new array (`x[i] = v` rebinds x).
# Element order is row-major (LANGUAGE.md section 12).

"""`CartesianIndex((i, j, ...))`: a multi-dimensional index, as returned by `argmax(A)`."""
struct CartesianIndex
    I::Tuple
end
CartesianIndex(i::Integer, js::Integer...) = CartesianIndex((i, js...))
getindex(c::CartesianIndex, k::Integer) = c.I[k]
length(c::CartesianIndex) = length(c.I)
Tuple(c::CartesianIndex) = c.I
iterate(c::CartesianIndex, i=1) = iterate(c.I, i)

# ---------------------------------------------------------------- shape
size(x::Array) = Intrinsics.size(x)
function size(x::AbstractArray, d::Integer)
    d < 1 && throw(ArgumentError(string("dimension out of range: ", d)))
    s = size(x)
    d <= length(s) ? s[d] : 1
end
size(x::Number) = ()
length(x::Array) = Intrinsics.length(x)
length(x::Number) = 1
ndims(x::AbstractArray{T,N}) where {T,N} = N
ndims(x::Number) = 0
"""`eltype(x)`: the element type of an array (or collection)."""
eltype(x::AbstractArray{T}) where {T} = T
eltype(::Type{Array{T,N}}) where {T,N} = T
eltype(x::Number) = typeof(x)
eltype(x) = Any
function eltype(t::Tuple)
    isempty(t) && return Any
    T = typeof(t[1])
    for x in t
        T = Intrinsics.typejoin(T, typeof(x))
    end
    T
end
axes(x::AbstractArray) = map(n -> 1:n, size(x))
axes(x::AbstractArray, d::Integer) = 1:size(x, d)
axes(t::Tuple) = (1:length(t),)
firstindex(x::AbstractArray) = 1
firstindex(x::AbstractArray, d::Integer) = 1
lastindex(x::AbstractArray) = length(x)
lastindex(x::AbstractArray, d::Integer) = size(x, d)
eachindex(x::AbstractArray) = 1:length(x)
keys(x::AbstractArray) = 1:length(x)
isempty(x::AbstractArray) = length(x) == 0

# ---------------------------------------------------------------- indexing
"""
    getindex(x, i, j, ...)   # x[i, j, ...]

Integers, ranges, integer vectors, Bool masks and `:` as indices; a single index is
linear (row-major); out-of-range indices throw BoundsError.
"""
getindex(x::Array, idx...) = Intrinsics.getindex(x, idx)
getindex(x::Array, c::CartesianIndex) = Intrinsics.getindex(x, c.I)
getindex(x::AbstractArray, idx...) = getindex(collect(x), idx...)
# `T[a, b]` for any type T (the parser makes it a typed literal only for built-in names)
getindex(::Type{T}, xs...) where {T} = typed_vect(T, xs...)
getindex(x::Number) = x
getindex(x::Number, i::Integer) = i == 1 ? x : throw(BoundsError(x, i))

"""
    setindex(x, v, i, j, ...)

A copy of x with `x[i, j, ...]` replaced by v: what `x[i, j] = v` assigns back to x.
"""
setindex(x::Array, v, idx...) = Intrinsics.setindex(x, v, idx)
setindex(x::Array, v, c::CartesianIndex) = Intrinsics.setindex(x, v, c.I)
setindex(x::AbstractArray, v, idx...) = setindex(collect(x), v, idx...)

view(x::AbstractArray, idx...) = getindex(x, idx...)

# iteration visits the elements in row-major order (LANGUAGE.md section 12)
function iterate(x::Array, i=1)
    Intrinsics.gt(i, Intrinsics.length(x)) ? nothing : (Intrinsics.getindex(x, (i,)), Intrinsics.add(i, 1))
end

# ---------------------------------------------------------------- construction
"""`zeros(T=Float64, dims...)`: an array of zeros."""
zeros(dims::Integer...) = Intrinsics.fill(0.0, dims)
zeros(::Type{T}, dims::Integer...) where {T} = Intrinsics.fill(zero(T), dims)
zeros(dims::Tuple) = Intrinsics.fill(0.0, dims)
zeros(::Type{T}, dims::Tuple) where {T} = Intrinsics.fill(zero(T), dims)
"""`ones(T=Float64, dims...)`: an array of ones."""
ones(dims::Integer...) = Intrinsics.fill(1.0, dims)
ones(::Type{T}, dims::Integer...) where {T} = Intrinsics.fill(one(T), dims)
ones(dims::Tuple) = Intrinsics.fill(1.0, dims)
ones(::Type{T}, dims::Tuple) where {T} = Intrinsics.fill(one(T), dims)
"""`fill(v, dims...)`: an array with every element equal to v."""
fill(v, dims::Integer...) = Intrinsics.fill(v, dims)
fill(v, dims::Tuple) = Intrinsics.fill(v, dims)
trues(dims::Integer...) = Intrinsics.fill(true, dims)
falses(dims::Integer...) = Intrinsics.fill(false, dims)

"""`similar(x, [T], [dims...])`: an array like x (its contents are not specified)."""
similar(x::AbstractArray) = collect(x)
similar(x::AbstractArray, ::Type{T}) where {T} = zeros(T, size(x))
similar(x::AbstractArray, ::Type{T}, dims::Integer...) where {T} = zeros(T, dims...)
similar(x::AbstractArray, ::Type{T}, dims::Tuple) where {T} = zeros(T, dims)
similar(x::AbstractArray, dims::Integer...) = zeros(eltype(x), dims...)
zero(x::AbstractArray) = zeros(eltype(x), size(x))
function one(x::AbstractMatrix)
    size(x, 1) == size(x, 2) || throw(DimensionMismatch(string("multiplicative identity defined only for square matrices")))
    _eye(eltype(x), size(x, 1))
end
_eye(::Type{T}, n::Integer) where {T} = setindex(zeros(T, n, n), fill(one(T), n), _diagindices(n, n, 0))

copy(x::Array) = Intrinsics.copy(x)
copy(x) = x
deepcopy(x) = copy(x)
Array(x::AbstractArray) = collect(x)
Vector(x::AbstractArray) = vec(collect(x))
Matrix(x::AbstractArray) = collect(x)

_with_eltype(::Type{T}, A::AbstractArray{T}) where {T} = A
function _with_eltype(::Type{T}, A::AbstractArray) where {T}
    if T <: BitReal && eltype(A) <: BitReal
        return Intrinsics.convert(T, collect(A))
    end
    Intrinsics.array_from_tuple(T, map(x -> convert(T, x), Tuple(A)), size(A))
end
convert(::Type{Array{T,N}}, x::AbstractArray{S,N}) where {T,S,N} = _with_eltype(T, x)
float(x::AbstractArray) = broadcast(float, x)

# ---------------------------------------------------------------- array literals
"""`vect(xs...)`: the vector literal `[a, b, c]`, with the element types promoted."""
vect() = Intrinsics.array_from_tuple(Any, (), (0,))
function vect(xs...)
    T = promote_typeof(xs...)
    Intrinsics.array_from_tuple(T, map(x -> convert(T, x), xs), (length(xs),))
end
function typed_vect(::Type{T}, xs...) where {T}
    Intrinsics.array_from_tuple(T, map(x -> convert(T, x), xs), (length(xs),))
end
# `T[f(x) for x in it if c(x)]` (until the lowering calls typed_comprehension_filter)
function typed_vect(::Type{T}, A::AbstractArray) where {T}
    A isa T && return Intrinsics.array_from_tuple(T, (A,), (1,))
    _with_eltype(T, vec(A))
end

_cat_operand(x::Array) = x
_cat_operand(x::AbstractArray) = collect(x)
_cat_operand(x) = x
"""`vcat(xs...)`: concatenate along the first dimension (`[a; b]`)."""
vcat() = vect()
vcat(xs...) = Intrinsics.concatenate(map(_cat_operand, xs), 1)
"""`hcat(xs...)`: concatenate along the second dimension (`[a b]`)."""
hcat() = vect()
hcat(xs...) = Intrinsics.concatenate(map(_cat_operand, xs), 2)
"""`cat(xs...; dims)`: concatenate along dimension `dims`."""
cat(xs...; dims) = Intrinsics.concatenate(map(_cat_operand, xs), dims)

"""`hvcat(rows, xs...)`: the matrix literal `[a b; c d]`; `rows` holds the row lengths."""
function hvcat(rows::Tuple, xs...)
    nr = length(rows)
    if all(x -> !(x isa AbstractArray), xs)
        nc = rows[1]
        for r in rows
            if r != nc
                throw(ArgumentError(string("argument count does not match specified shape ",
                                           "(expected ", nr * nc, ", got ", length(xs), ")")))
            end
        end
        T = promote_typeof(xs...)
        return Intrinsics.array_from_tuple(T, map(x -> convert(T, x), xs), (nr, nc))
    end
    blocks = ()
    k = 0
    for r in rows
        blocks = (blocks..., hcat(xs[(k + 1):(k + r)]...))
        k += r
    end
    vcat(blocks...)
end
typed_hvcat(::Type{T}, rows::Tuple, xs...) where {T} = _with_eltype(T, hvcat(rows, xs...))
typed_hcat(::Type{T}, xs...) where {T} = _with_eltype(T, hcat(xs...))
typed_vcat(::Type{T}, xs...) where {T} = _with_eltype(T, vcat(xs...))

# ---------------------------------------------------------------- comprehensions
"""`comprehension(f, it)`: `[f(x) for x in it]`, with the shape of `it` for arrays."""
comprehension(f, it) = map(f, _iter_array(it))
function comprehension(f, its...)
    Intrinsics.elementwise(f, _product_grid(its))
end
function comprehension_filter(f, c, it)
    xs = vec(_iter_array(it))
    keep = map(c, xs)
    map(f, getindex(xs, _as_mask(keep)))
end
function comprehension_filter(f, c, its...)
    grid = map(vec, _product_grid(its))
    keep = _as_mask(Intrinsics.elementwise(c, grid))
    Intrinsics.elementwise(f, map(g -> getindex(g, keep), grid))
end
typed_comprehension(::Type{T}, f, its...) where {T} = _with_eltype(T, comprehension(f, its...))
function typed_comprehension_filter(::Type{T}, f, c, its...) where {T}
    _with_eltype(T, comprehension_filter(f, c, its...))
end
_as_mask(keep::AbstractArray{Bool}) = keep
_as_mask(keep::AbstractArray) = isempty(keep) ? Intrinsics.fill(false, size(keep)) : keep

# The arrays (one per iterator) of a product `for i in I, j in J`: each has the full
# shape (length(I), length(J), ...) and varies along its own dimension.
function _product_grid(its::Tuple)
    cols = map(it -> vec(_iter_array(it)), its)
    shape = map(length, cols)
    n = length(cols)
    ntuple(k -> Intrinsics.broadcast_to(reshape(cols[k], ntuple(d -> d == k ? shape[k] : 1, n)), shape), n)
end

"""`map(f, xs...)`: f applied to each element (corresponding elements of several arrays)."""
map(f, A::AbstractArray) = Intrinsics.elementwise(f, (_iter_array(A),))
map(f, A::AbstractArray, B::AbstractArray) = Intrinsics.elementwise(f, (_iter_array(A), _iter_array(B)))
function map(f, A::AbstractArray, B::AbstractArray, C::AbstractArray)
    Intrinsics.elementwise(f, (_iter_array(A), _iter_array(B), _iter_array(C)))
end
map(f, itr) = map(f, _iter_array(itr))
map(f, a, b) = map(f, _iter_array(a), _iter_array(b))

# ---------------------------------------------------------------- reshaping
"""`reshape(x, dims...)`: the elements of x (row-major) in a new shape; one dim may be `:`."""
reshape(x::AbstractArray, dims::Tuple) = Intrinsics.reshape(_iter_array(x), dims)
reshape(x::AbstractArray, dims...) = Intrinsics.reshape(_iter_array(x), dims)
"""`vec(x)`: the elements of x as a vector, in row-major order."""
vec(x::AbstractArray) = Intrinsics.reshape(_iter_array(x), (length(x),))
function dropdims(x::AbstractArray; dims)
    ds = dims isa Integer ? (dims,) : dims
    for d in ds
        size(x, d) == 1 || throw(ArgumentError("dropped dims must all be size 1"))
    end
    shape = ()
    for d in 1:ndims(x)
        if !(d in ds)
            shape = (shape..., size(x, d))
        end
    end
    reshape(x, shape)
end
"""`permutedims(x, perm)`: x with its dimensions reordered (a matrix is transposed)."""
permutedims(x::AbstractMatrix) = Intrinsics.permutedims(_iter_array(x), (2, 1))
permutedims(x::AbstractVector) = reshape(x, 1, length(x))
permutedims(x::AbstractArray, perm) = Intrinsics.permutedims(_iter_array(x), Tuple(perm))
transpose(x::AbstractMatrix) = permutedims(x)
transpose(x::Number) = x
"""`adjoint(x)`, also `x'`: the transpose (numbers are real)."""
adjoint(x::AbstractArray) = transpose(x)
adjoint(x::Number) = x
"""`reverse(x; dims=:)`: x with the order of its elements reversed along dims."""
reverse(x::AbstractArray; dims=:) = Intrinsics.reverse(_iter_array(x), dims isa Colon ? nothing : dims)
function repeat(x::AbstractArray, counts::Integer...)
    y = _iter_array(x)
    for (d, c) in enumerate(counts)
        y = Intrinsics.concatenate(ntuple(_ -> y, c), d)
    end
    y
end
function circshift(x::AbstractVector, k::Integer)
    n = length(x)
    n == 0 ? collect(x) : x[map(i -> mod(i - k - 1, n) + 1, 1:n)]
end
diff(x::AbstractVector) = x[2:length(x)] .- x[1:(length(x) - 1)]

first(x::AbstractArray) = x[1]
last(x::AbstractArray) = x[length(x)]
first(x::AbstractArray, n::Integer) = x[1:min(n, length(x))]
last(x::AbstractArray, n::Integer) = x[max(1, length(x) - n + 1):length(x)]

# ---------------------------------------------------------------- comparison and search
function ==(A::AbstractArray, B::AbstractArray)
    size(A) == size(B) || return false
    all(broadcast(==, A, B))
end
function isequal(A::AbstractArray, B::AbstractArray)
    size(A) == size(B) || return false
    all(broadcast(isequal, A, B))
end
in(x, A::AbstractArray) = any(broadcast(==, A, Ref(x)))

"""`findall(mask)` / `findall(f, A)`: the linear indices where mask (or f) is true."""
findall(A::AbstractArray{Bool}) = getindex(collect(1:length(A)), vec(A))
findall(f, A::AbstractArray) = findall(map(f, A))
"""`findfirst(f, A)`: the first index i with `f(A[i])`, or `nothing`."""
function findfirst(f, A)
    i = 1
    for x in A
        f(x) && return i
        i += 1
    end
    nothing
end
findfirst(A::AbstractArray{Bool}) = findfirst(identity, A)
function findlast(f, A)
    for i in length(A):-1:1
        f(A[i]) && return i
    end
    nothing
end
findlast(A::AbstractArray{Bool}) = findlast(identity, A)

# Julia's mutating array functions do not exist: arrays are values (LANGUAGE.md section 3).
# They are defined only to say what to write instead.
_values_error(what, instead) = throw(ArgumentError(
    "$what would change an array in place, but Arr arrays are values: write $instead instead"))
push!(v, xs...) = _values_error("push!", "`v = vcat(v, x)` (or `v = [v; x]`)")
append!(v, xs...) = _values_error("append!", "`v = vcat(v, w)`")
setindex!(x, v, idx...) = _values_error("setindex!", "`x[i] = v`, which rebinds x")
fill!(x, v) = _values_error("fill!", "`x = fill(v, size(x))` or `x .= v`")

"""`undef`: `Vector{T}(undef, n)` makes an array of n elements of type T (Arr fills
it with zeros: there is no uninitialised memory in a value)."""
struct UndefInitializer end
const undef = UndefInitializer()
function (::Type{Array{T,N}})(::UndefInitializer, dims::Integer...) where {T,N}
    length(dims) == N || throw(ArgumentError("Array{$T, $N} needs $N dimensions, got $(length(dims))"))
    zeros(T, dims...)
end
(::Type{Array{T}})(::UndefInitializer, dims::Integer...) where {T} = zeros(T, dims...)
