# Tuples and named tuples.

tuple(xs...) = xs

length(t::Tuple) = Intrinsics.tuple_length(t)
isempty(t::Tuple) = Intrinsics.tuple_length(t) == 0
getindex(t::Tuple, i::Int64) = Intrinsics.getfield(t, i)
getindex(t::Tuple, i::Integer) = Intrinsics.getfield(t, Int64(i))
function getindex(t::Tuple, r::AbstractRange)
    isempty(r) && return ()
    step(r) == 1 && return Intrinsics.tuple_slice(t, first(r), last(r))
    ntuple(k -> t[r[k]], length(r))
end
getindex(t::Tuple, idx::AbstractVector) = ntuple(k -> t[idx[k]], length(idx))
getindex(t::Tuple, ::Colon) = t
firstindex(t::Tuple) = 1
lastindex(t::Tuple) = length(t)
eachindex(t::Tuple) = 1:length(t)
keys(t::Tuple) = 1:length(t)
first(t::Tuple) = t[1]
last(t::Tuple) = t[length(t)]
function iterate(t::Tuple, i=1)
    Intrinsics.gt(i, Intrinsics.tuple_length(t)) ? nothing : (Intrinsics.tuple_getindex(t, i), Intrinsics.add(i, 1))
end
"""`rest_from(t, i)`: the elements of t from the i-th on (`a, rest... = t`)."""
rest_from(t::Tuple, i::Integer) = Intrinsics.tuple_slice(t, i, length(t))
rest_from(x::AbstractArray, i::Integer) = x[i:length(x)]
setindex(t::Tuple, v, i::Integer) = ntuple(k -> k == i ? v : t[k], length(t))
Tuple(t::Tuple) = t
Tuple(x::AbstractArray) = Intrinsics.array_to_tuple(x)
Tuple(itr) = Tuple(collect(itr))

"""`ntuple(f, n)`: the tuple `(f(1), f(2), ..., f(n))`."""
function ntuple(f, n::Integer)
    # a `for` over a range: compiled code unrolls it (the tuple grows, its type changes),
    # specialising on n
    t = ()
    for i in 1:n
        t = Intrinsics.tuple_concat(t, (f(i),))
    end
    t
end

# short tuples without a loop, as Julia's Base does (staging a loop costs more than this)
map(f, t::Tuple{}) = ()
map(f, t::Tuple{Any}) = (f(t[1]),)
map(f, t::Tuple{Any,Any}) = (f(t[1]), f(t[2]))
map(f, t::Tuple{Any,Any,Any}) = (f(t[1]), f(t[2]), f(t[3]))
map(f, t::Tuple) = ntuple(i -> f(t[i]), length(t))
map(f, t::Tuple, s::Tuple) = ntuple(i -> f(t[i], s[i]), min(length(t), length(s)))
map(f, t::Tuple, s::Tuple, u::Tuple) = ntuple(i -> f(t[i], s[i], u[i]), min(length(t), length(s), length(u)))
function filter(f, t::Tuple)
    out = ()
    for x in t
        if f(x)
            out = Intrinsics.tuple_concat(out, (x,))
        end
    end
    out
end
reverse(t::Tuple) = ntuple(i -> t[length(t) - i + 1], length(t))

function ==(a::Tuple, b::Tuple)
    length(a) == length(b) || return false
    for i in 1:length(a)
        a[i] == b[i] || return false
    end
    true
end

# ---------------------------------------------------------------- named tuples
length(nt::NamedTuple) = Intrinsics.tuple_length(nt)
isempty(nt::NamedTuple) = Intrinsics.tuple_length(nt) == 0
getindex(nt::NamedTuple, i::Integer) = Intrinsics.getfield(nt, Int64(i))
getindex(nt::NamedTuple, s::Symbol) = Intrinsics.getfield(nt, s)
"""`keys(nt)`: the field names of a named tuple, as a tuple of Symbols."""
keys(nt::NamedTuple) = Intrinsics.namedtuple_names(nt)
"""`values(nt)`: the values of a named tuple, as a tuple."""
values(nt::NamedTuple) = Intrinsics.namedtuple_values(nt)
values(t::Tuple) = t
haskey(nt::NamedTuple, k::Symbol) = k in keys(nt)
iterate(nt::NamedTuple, i=1) = i > length(nt) ? nothing : (Intrinsics.getfield(nt, i), i + 1)
pairs(nt::NamedTuple) = map((k, v) -> k => v, keys(nt), values(nt))
first(nt::NamedTuple) = nt[1]
map(f, nt::NamedTuple) = Intrinsics.namedtuple_new(keys(nt), map(f, values(nt)))
function map(f, a::NamedTuple, b::NamedTuple)
    Intrinsics.namedtuple_new(keys(a), map(f, values(a), values(b)))
end
"""`merge(a, b)`: a named tuple with the fields of both (b's value wins on a clash)."""
function merge(a::NamedTuple, b::NamedTuple)
    names = keys(a)
    vals = values(a)
    for (k, v) in zip(keys(b), values(b))
        if k in names
            vals = setindex(vals, v, findfirst(n -> n === k, names))
        else
            names = (names..., k)
            vals = (vals..., v)
        end
    end
    Intrinsics.namedtuple_new(names, vals)
end
NamedTuple(nt::NamedTuple) = nt
==(a::NamedTuple, b::NamedTuple) = keys(a) == keys(b) && values(a) == values(b)
