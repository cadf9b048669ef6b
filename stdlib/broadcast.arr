# Broadcasting: `f.(a, b)`, `a .+ b`, `x .= v`, `x[i] .= v`.
#
# `broadcast` is defined here and nowhere else.  The rules are Julia's: shapes line up
# from the first dimension, a missing trailing dimension counts as 1, size-1 dimensions
# stretch, anything else is a DimensionMismatch.  Numbers, strings, structs and `Ref(x)`
# are scalars; tuples broadcast like vectors (and give a tuple when no array is involved).
# The lowering fuses nested dotted calls into one `broadcast` of a lambda.

"""
    broadcast(f, args...)

Apply f elementwise over the arguments, stretching size-1 and missing dimensions:
`f.(a, b)` and `a .+ b` are broadcasts.
"""
function broadcast(f, args...)
    # one pass over the arguments (this runs for every dotted operation, so it calls
    # intrinsics directly): which kinds are there, and the common shape of the arrays
    n = Intrinsics.tuple_length(args)
    shape = ()
    has_array = false
    has_tuple = false
    has_ref = false
    i = 1
    while Intrinsics.le(i, n)
        a = Intrinsics.tuple_getindex(args, i)
        if Intrinsics.isa(a, AbstractArray)
            has_array = true
            shape = broadcast_shape(shape, size(a))
        elseif Intrinsics.isa(a, Tuple)
            has_tuple = true
        elseif Intrinsics.isa(a, Ref)
            has_ref = true
        end
        i = Intrinsics.add(i, 1)
    end
    has_ref && return _broadcast_refs(f, args)
    if !has_array
        has_tuple && return _broadcast_tuples(f, args)
        return f(args...)
    end
    Intrinsics.elementwise(f, map(a -> _bc_stretch(_bc_operand(a), shape), args))
end

_bc_operand(x::Array) = x
_bc_operand(x::AbstractArray) = collect(x)
_bc_operand(x::Tuple) = collect(x)
_bc_operand(x) = x

function _bc_stretch(a::Array, shape::Tuple)
    Intrinsics.egal(Intrinsics.size(a), shape) ? a : Intrinsics.broadcast_to(a, shape)
end
_bc_stretch(a, shape::Tuple) = a

"""`broadcast_shape(a, b)`: the shape two shapes broadcast to (DimensionMismatch if none)."""
broadcast_shape(a::Tuple, b::Tuple) = Intrinsics.broadcast_shape(a, b)

# Without arrays, tuples broadcast to a tuple: (1, 2) .+ 1 == (2, 3).
function _broadcast_tuples(f, args::Tuple)
    n = 1
    for a in args
        if a isa Tuple && length(a) != 1
            if n != 1 && length(a) != n
                throw(DimensionMismatch(string("arrays could not be broadcast to a common size; ",
                                               "got a dimension with lengths ", n, " and ",
                                               length(a))))
            end
            n = length(a)
        end
    end
    ntuple(i -> f(map(a -> a isa Tuple ? (length(a) == 1 ? a[1] : a[i]) : a, args)...), n)
end

# `Ref(x)` arguments are bound into the function, so x is used whole for every element.
function _broadcast_refs(f, args::Tuple)
    rest = filter(a -> !(a isa Ref), args)
    g = function (ys...)
        vals = ()
        k = 0
        for a in args
            if a isa Ref
                vals = (vals..., a.x)
            else
                k += 1
                vals = (vals..., ys[k])
            end
        end
        f(vals...)
    end
    isempty(rest) ? g() : broadcast(g, rest...)
end

"""`broadcast_assign(x, v)`: the value of `x .= v`, x's shape and element type filled
with v broadcast."""
function broadcast_assign(x::AbstractArray, v)
    src = v isa Ref ? v.x : v
    if src isa AbstractArray || src isa Tuple
        y = Intrinsics.copy(Intrinsics.broadcast_to(_bc_operand(src), size(x)))
    else
        y = Intrinsics.fill(src, size(x))
    end
    _with_eltype(eltype(x), y)
end

"""`broadcast_setindex(x, v, idx...)`: the value of `x[idx...] .= v`."""
function broadcast_setindex(x::AbstractArray, v, idx...)
    cur = getindex(x, idx...)
    cur isa AbstractArray || return setindex(x, v, idx...)
    setindex(x, broadcast_assign(cur, v), idx...)
end
