# Reductions.  `mapreduce` is defined here and nowhere else; sum, prod, maximum,
# minimum, mean, any, all, count, norm, reduce, foldl ... all go through it.
#
# With an operator XLA's reduce can take (+ * max min & |) and numeric elements, it is one
# `Intrinsics.reduce` starting from the operator's neutral element (then combined with
# `init`, if given).  Any other operator folds left, in order: a loop, differentiated as a
# loop.  `dims` reduces along dimensions and keeps them with size 1, as Julia does.

struct _NoInit end
const _NOINIT = _NoInit()

_xla_reducible(op) = op === (+) || op === (*) || op === max || op === min || op === (&) || op === (|)

function _neutral(op, ::Type{T}) where {T}
    op === (+) && return zero(T)
    op === (*) && return one(T)
    op === max && return typemin(T)
    op === min && return typemax(T)
    op === (&) && return _allones(T)
    zero(T)
end
_allones(::Type{Bool}) = true
_allones(::Type{T}) where {T} = Intrinsics.not(zero(T))

_dims_tuple(d::Integer) = (d,)
_dims_tuple(d::Tuple) = d
_dims_tuple(d::AbstractArray) = Tuple(d)

_empty_error() = throw(ArgumentError(string("reducing over an empty collection is not allowed; ",
                                            "consider supplying `init` to the reducer")))

"""
    mapreduce(f, op, xs; dims=:, init)

Apply f to each element of xs and combine the results with op: `op(op(f(x1), f(x2)), ...)`.
With `dims`, reduce along those dimensions only (keeping them with size 1).
"""
function mapreduce(f, op, A::AbstractArray; dims=:, init=_NOINIT)
    B = f === identity ? _iter_array(A) : map(f, A)
    _reduce_array(op, B, dims, init, _NOINIT)
end
function mapreduce(f, op, t::Tuple; dims=:, init=_NOINIT)
    if isempty(t)
        init isa _NoInit && _empty_error()
        return init
    end
    acc = init isa _NoInit ? f(t[1]) : op(init, f(t[1]))
    for i in 2:length(t)
        acc = op(acc, f(t[i]))
    end
    acc
end
mapreduce(f, op, g::Generator; dims=:, init=_NOINIT) = mapreduce(f, op, collect(g); dims=dims, init=init)
mapreduce(f, op, itr; dims=:, init=_NOINIT) = mapreduce(f, op, _iter_array(itr); dims=dims, init=init)
function mapreduce(f, op, A::AbstractArray, B::AbstractArray; dims=:, init=_NOINIT)
    _reduce_array(op, map(f, A, B), dims, init, _NOINIT)
end

# The reduction of an array B (already mapped).  `neutral` may be given by the caller
# (sum uses a wider type for small integers); otherwise it is the operator's.
function _reduce_array(op, B::AbstractArray, dims, init, neutral)
    T = eltype(B)
    if _xla_reducible(op) && T <: BitReal
        if isempty(B) && init isa _NoInit && !(op === (+) || op === (*))
            _empty_error()
        end
        n = neutral isa _NoInit ? _neutral(op, T) : neutral
        if dims isa Colon
            r = Intrinsics.reduce(op, B, n, nothing)
            return init isa _NoInit ? r : op(init, r)
        end
        r = Intrinsics.reduce(op, B, n, _dims_tuple(dims))
        return init isa _NoInit ? r : broadcast(op, init, r)
    end
    # any other operator: a left fold in order, starting from the first element
    # (or init) of each slice
    isempty(B) && init isa _NoInit && _empty_error()
    step = (acc, x) -> acc isa _NoInit ? x : op(acc, x)
    Intrinsics.reduce(step, B, init, dims isa Colon ? nothing : _dims_tuple(dims))
end

"""`reduce(op, xs; dims=:, init)`: combine the elements of xs with op."""
reduce(op, A; dims=:, init=_NOINIT) = mapreduce(identity, op, A; dims=dims, init=init)

"""`foldl(op, xs; init)`: `op(...op(op(init, x1), x2)..., xn)`, strictly left to right."""
foldl(op, A; init=_NOINIT) = mapfoldl(identity, op, A; init=init)
function mapfoldl(f, op, A; init=_NOINIT)
    acc = init
    for x in A
        acc = acc isa _NoInit ? f(x) : op(acc, f(x))
    end
    acc isa _NoInit && _empty_error()
    acc
end
foldr(op, A; init=_NOINIT) = mapfoldr(identity, op, A; init=init)
function mapfoldr(f, op, A; init=_NOINIT)
    xs = collect(A)
    acc = init
    for i in length(xs):-1:1
        acc = acc isa _NoInit ? f(xs[i]) : op(f(xs[i]), acc)
    end
    acc isa _NoInit && _empty_error()
    acc
end

# ---------------------------------------------------------------- sums and products
# Julia sums small integers and Bools in Int64 (and UInt64): sum(Bool[1, 1]) == 2.
_sum_type(::Type{T}) where {T} = T
_sum_type(::Type{Bool}) = Int64
_sum_type(::Type{T}) where {T<:BitSigned} = Int64
_sum_type(::Type{T}) where {T<:BitUnsigned} = UInt64

"""`sum(xs; dims=:)` / `sum(f, xs)`: the sum of the elements (of f applied to them)."""
sum(A::AbstractArray; dims=:, init=_NOINIT) = _sum(identity, A, dims, init)
sum(f, A::AbstractArray; dims=:, init=_NOINIT) = _sum(f, A, dims, init)
sum(itr; dims=:, init=_NOINIT) = mapreduce(identity, +, itr; dims=dims, init=init)
sum(f, itr; dims=:, init=_NOINIT) = mapreduce(f, +, itr; dims=dims, init=init)
function _sum(f, A, dims, init)
    B = f === identity ? _iter_array(A) : map(f, A)
    T = eltype(B)
    n = T <: BitReal ? zero(_sum_type(T)) : _NOINIT
    _reduce_array(+, B, dims, init, n)
end
"""`prod(xs; dims=:)` / `prod(f, xs)`: the product of the elements."""
function prod(A::AbstractArray; dims=:, init=_NOINIT)
    B = _iter_array(A)
    T = eltype(B)
    _reduce_array(*, B, dims, init, T <: BitReal ? one(_sum_type(T)) : _NOINIT)
end
prod(f, A; dims=:, init=_NOINIT) = prod(map(f, _iter_array(A)); dims=dims, init=init)
prod(itr; dims=:, init=_NOINIT) = mapreduce(identity, *, itr; dims=dims, init=init)

"""`maximum(xs; dims=:)` / `maximum(f, xs)`: the largest element (NaN if there is one)."""
maximum(A; dims=:, init=_NOINIT) = mapreduce(identity, max, A; dims=dims, init=init)
maximum(f, A; dims=:, init=_NOINIT) = mapreduce(f, max, A; dims=dims, init=init)
"""`minimum(xs; dims=:)` / `minimum(f, xs)`: the smallest element."""
minimum(A; dims=:, init=_NOINIT) = mapreduce(identity, min, A; dims=dims, init=init)
minimum(f, A; dims=:, init=_NOINIT) = mapreduce(f, min, A; dims=dims, init=init)
extrema(A; dims=:) = dims isa Colon ? (minimum(A), maximum(A)) : broadcast(tuple, minimum(A; dims=dims), maximum(A; dims=dims))
extrema(f, A) = (minimum(f, A), maximum(f, A))

"""`any(xs)` / `any(f, xs)`: whether some element is true (f(x) is true)."""
any(A; dims=:) = mapreduce(identity, |, A; dims=dims, init=false)
any(f, A; dims=:) = mapreduce(f, |, A; dims=dims, init=false)
"""`all(xs)` / `all(f, xs)`: whether every element is true (f(x) is true)."""
all(A; dims=:) = mapreduce(identity, &, A; dims=dims, init=true)
all(f, A; dims=:) = mapreduce(f, &, A; dims=dims, init=true)
"""`count(xs)` / `count(f, xs)`: the number of true elements (with f(x) true)."""
count(A; dims=:) = sum(A; dims=dims, init=0)
count(f, A; dims=:) = sum(map(f, _iter_array(A)); dims=dims, init=0)

"""`mean(xs; dims=:)` / `mean(f, xs)`: the arithmetic mean."""
function mean(A::AbstractArray; dims=:)
    dims isa Colon && return sum(A) / length(A)
    n = 1
    for d in _dims_tuple(dims)
        n *= size(A, d)
    end
    sum(A; dims=dims) ./ n
end
mean(f, A) = mean(map(f, _iter_array(A)))
mean(itr) = mean(_iter_array(itr))
function var(A::AbstractArray; dims=:, corrected=true, mean=nothing)
    m = mean === nothing ? _mean_of(A, dims) : mean
    d = A .- m
    n = dims isa Colon ? length(A) : prod(map(k -> size(A, k), _dims_tuple(dims)))
    sum(d .* d; dims=dims) ./ (corrected ? n - 1 : n)
end
_mean_of(A, dims) = dims isa Colon ? mean(A) : mean(A; dims=dims)
std(A::AbstractArray; dims=:, corrected=true) = sqrt.(var(A; dims=dims, corrected=corrected))

# ---------------------------------------------------------------- running reductions
"""`accumulate(op, xs; dims)`: the running reduction `[x1, op(x1, x2), ...]`."""
function accumulate(op, A; dims=nothing, init=_NOINIT)
    B = _iter_array(A)
    if !(init isa _NoInit)
        return accumulate(op, vcat(init, B); dims=dims)[2:(length(B) + 1)]
    end
    d = dims === nothing ? (ndims(B) == 1 ? 1 : throw(ArgumentError("accumulate on a multi-dimensional array needs dims"))) : dims
    Intrinsics.accumulate(op, B, d)
end
"""`cumsum(xs; dims)`: running sums."""
cumsum(A; dims=nothing) = accumulate(+, A; dims=dims)
"""`cumprod(xs; dims)`: running products."""
cumprod(A; dims=nothing) = accumulate(*, A; dims=dims)

# ---------------------------------------------------------------- arg extrema
_index_of(A::AbstractVector, i::Integer) = i
_index_of(A::AbstractArray, i::Integer) = CartesianIndex(_cartesian(size(A), i))
function _cartesian(shape::Tuple, i::Integer)
    k = i - 1
    idx = ()
    for d in length(shape):-1:1
        idx = (k % shape[d] + 1, idx...)
        k = k ÷ shape[d]
    end
    idx
end

"""`findmax(xs)` / `findmax(f, xs)`: the maximum and its index (the first one)."""
function findmax(A::AbstractArray)
    B = _iter_array(A)
    i = eltype(B) <: Real ? Intrinsics.argextreme(B, true) : _argfold(B, true)
    (B[i], _index_of(B, i))
end
"""`findmin(xs)` / `findmin(f, xs)`: the minimum and its index (the first one)."""
function findmin(A::AbstractArray)
    B = _iter_array(A)
    i = eltype(B) <: Real ? Intrinsics.argextreme(B, false) : _argfold(B, false)
    (B[i], _index_of(B, i))
end
function findmax(f, A)
    B = _iter_array(A)
    v, i = findmax(map(f, B))
    (v, i)
end
function findmin(f, A)
    B = _iter_array(A)
    v, i = findmin(map(f, B))
    (v, i)
end
findmax(t::Tuple) = findmax(collect(t))
findmin(t::Tuple) = findmin(collect(t))
function _argfold(B, ismax::Bool)
    isempty(B) && throw(ArgumentError("collection must be non-empty"))
    best = 1
    for i in 2:length(B)
        better = ismax ? isless(B[best], B[i]) : isless(B[i], B[best])
        if better
            best = i
        end
    end
    best
end
"""`argmax(xs)`: the index of the maximum; `argmax(f, xs)`: the x maximising f(x)."""
argmax(A) = findmax(A)[2]
argmin(A) = findmin(A)[2]
argmax(f, A) = _iter_array(A)[findmax(f, A)[2]]
argmin(f, A) = _iter_array(A)[findmin(f, A)[2]]

# ---------------------------------------------------------------- sorting
"""
    sort(v; rev=false, by=identity, lt=isless, dims)

The elements of v in increasing order (stable); `rev=true` for decreasing.
"""
function sort(v::AbstractArray; rev=false, by=identity, lt=isless, dims=nothing)
    B = _iter_array(v)
    if dims !== nothing && ndims(B) > 1
        return Intrinsics.sort(B, dims, rev)
    end
    ndims(B) == 1 || throw(ArgumentError("sort of a multi-dimensional array needs dims"))
    if lt === isless
        by === identity && return Intrinsics.sort(B, 1, rev)
        return B[Intrinsics.sortperm(map(by, B), rev)]
    end
    B[_mergesort_perm(B, by, lt, rev)]
end
sort(t::Tuple; kws...) = Tuple(sort(collect(t); kws...))
"""`sortperm(v; rev=false, by=identity)`: the permutation that sorts v."""
function sortperm(v::AbstractVector; rev=false, by=identity, lt=isless)
    B = _iter_array(v)
    lt === isless && return Intrinsics.sortperm(by === identity ? B : map(by, B), rev)
    _mergesort_perm(B, by, lt, rev)
end
issorted(v; rev=false, by=identity) = sortperm(v; rev=rev, by=by) == collect(1:length(v))

# A stable merge sort of the indices, for a user-given `lt`.
function _mergesort_perm(B, by, lt, rev::Bool)
    n = length(B)
    keys = map(by, B)
    before = (i, j) -> rev ? lt(keys[j], keys[i]) : lt(keys[i], keys[j])
    p = collect(1:n)
    width = 1
    while width < n
        q = p
        k = 1
        lo = 1
        while lo <= n
            mid = min(lo + width, n + 1)
            hi = min(lo + 2 * width, n + 1)
            i, j = lo, mid
            while i < mid || j < hi
                if j >= hi || (i < mid && !before(p[j], p[i]))
                    q = setindex(q, p[i], k)
                    i += 1
                else
                    q = setindex(q, p[j], k)
                    j += 1
                end
                k += 1
            end
            lo = hi
        end
        p = q
        width *= 2
    end
    p
end

"""`unique(xs)`: the distinct elements of xs, in order of first appearance."""
function unique(A)
    out = ()
    for x in A
        if !any(y -> isequal(y, x), out)
            out = (out..., x)
        end
    end
    collect(out)
end
