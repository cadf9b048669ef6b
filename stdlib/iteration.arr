# Iteration: the protocol (`iterate(it)` / `iterate(it, state)` returning `(item, state)`
# or `nothing`), generators `(f(x) for x in it)`, and zip, enumerate, pairs, collect, in.
# `for x in it` is lowered to this protocol.

"""`(f(x) for x in iter)`: a lazy map; `collect`, `sum`, `map`, ... accept it."""
struct Generator
    f
    iter
end

"""`Filter(flt, iter)`: the elements x of iter with `flt(x)`; `(f(x) for x in it if c(x))`."""
struct Filter
    flt
    iter
end

function iterate(g::Generator)
    n = iterate(g.iter)
    n === nothing && return nothing
    (g.f(n[1]), n[2])
end
function iterate(g::Generator, s)
    n = iterate(g.iter, s)
    n === nothing && return nothing
    (g.f(n[1]), n[2])
end
length(g::Generator) = length(g.iter)
size(g::Generator) = size(g.iter)
isempty(g::Generator) = isempty(g.iter)
collect(g::Generator) = map(g.f, _iter_array(g.iter))

function iterate(f::Filter, s...)
    n = iterate(f.iter, s...)
    while n !== nothing
        f.flt(n[1]) && return n
        n = iterate(f.iter, n[2])
    end
    nothing
end
collect(f::Filter) = comprehension_filter(identity, f.flt, f.iter)
filter(f, itr) = collect(Filter(f, itr))

"""`_iter_array(it)`: the items of an iterable as an array (arrays keep their shape)."""
_iter_array(x::Array) = x
_iter_array(x::AbstractArray) = collect(x)
_iter_array(x::Tuple) = Intrinsics.array_from_tuple(nothing, x, (length(x),))
_iter_array(x) = collect(x)

"""`_flatten(xs)`: the items of each item of xs, in order, as one flat Vector (element type
by promotion); the nested comprehension `[e for i in I for j in J]` is parsed as
`_flatten([[e for j in J] for i in I])`, and `(e for i in I for j in J)` likewise."""
function _flatten(xs)
    parts = map(x -> vec(collect(x)), _iter_array(xs))
    isempty(parts) && return vect()
    vcat(parts...)
end

"""`collect(itr)`: the items of any iterable, as an Array."""
collect(x::Array) = Intrinsics.copy(x)
collect(t::Tuple) = Intrinsics.array_from_tuple(nothing, t, (length(t),))
collect(itr) = Intrinsics.iterate_collect(iterate, itr)
collect(::Type{T}, itr) where {T} = _with_eltype(T, collect(itr))

# ---------------------------------------------------------------- zip
struct Zip
    is::Tuple
end
"""`zip(a, b, ...)`: iterate over tuples of corresponding items; stops at the shortest."""
zip(its...) = Zip(its)
function iterate(z::Zip, state=nothing)
    vals = ()
    sts = ()
    for k in 1:length(z.is)
        n = state === nothing ? iterate(z.is[k]) : iterate(z.is[k], state[k])
        n === nothing && return nothing
        vals = Intrinsics.tuple_concat(vals, (n[1],))
        sts = Intrinsics.tuple_concat(sts, (n[2],))
    end
    (vals, sts)
end
length(z::Zip) = minimum(map(length, z.is))
collect(z::Zip) = Intrinsics.iterate_collect(iterate, z)

# ---------------------------------------------------------------- enumerate, pairs
struct Enumerate
    itr
end
"""`enumerate(it)`: iterate over `(i, x)` with a counter i starting at 1."""
enumerate(itr) = Enumerate(itr)
function iterate(e::Enumerate, state=(1,))
    n = length(state) == 1 ? iterate(e.itr) : iterate(e.itr, state[2])
    n === nothing && return nothing
    ((state[1], n[1]), (state[1] + 1, n[2]))
end
length(e::Enumerate) = length(e.itr)
collect(e::Enumerate) = Intrinsics.iterate_collect(iterate, e)

"""`pairs(x)`: `i => x[i]` for each index of an array (or key => value of a named tuple)."""
pairs(x::AbstractArray) = collect(Generator(i -> i => x[i], 1:length(x)))
pairs(t::Tuple) = ntuple(i -> i => t[i], length(t))

eachindex(x) = 1:length(x)
eachindex(x, y) = 1:length(x)

# ---------------------------------------------------------------- generic queries
"""`in(x, collection)`, also `x ∈ collection`: whether some item equals x."""
function in(x, itr)
    for y in itr
        y == x && return true
    end
    false
end
∈(x, itr) = in(x, itr)
∉(x, itr) = !in(x, itr)

function first(itr)
    n = iterate(itr)
    n === nothing && throw(ArgumentError("collection must be non-empty"))
    n[1]
end
function last(itr)
    a = collect(itr)
    a[length(a)]
end
isempty(itr) = iterate(itr) === nothing
length(itr) = length(collect(itr))

"""`foreach(f, xs)`: call f on each item, for its effects."""
function foreach(f, itr)
    for x in itr
        f(x)
    end
    nothing
end
function foreach(f, a, b)
    for (x, y) in zip(a, b)
        f(x, y)
    end
    nothing
end
