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
    if _any_ref(args)
        return _broadcast_refs(f, args)
    end
    if !_any_array(args)
        if _any_tuple(args)
            return _broadcast_tuples(f, args)
        end
        return f(args...)
    end
    ops = map(_bc_operand, args)
    shape = _bc_shape_of(ops)
    Intrinsics.elementwise(f, map(a -> _bc_stretch(a, shape), ops))
end

_any_array(args::Tuple) = any(a -> a isa AbstractArray, args)
_any_tuple(args::Tuple) = any(a -> a isa Tuple, args)
_any_ref(args::Tuple) = any(a -> a isa Ref, args)

_bc_operand(x::Array) = x
_bc_operand(x::AbstractArray) = collect(x)
_bc_operand(x::Tuple) = collect(x)
_bc_operand(x) = x

_bc_stretch(a::Array, shape::Tuple) = size(a) == shape ? a : Intrinsics.broadcast_to(a, shape)
_bc_stretch(a, shape::Tuple) = a

"""`broadcast_shape(a, b)`: the shape two shapes broadcast to (DimensionMismatch if none)."""
function broadcast_shape(a::Tuple, b::Tuple)
    ntuple(max(length(a), length(b))) do i
        da = i <= length(a) ? a[i] : 1
        db = i <= length(b) ? b[i] : 1
        if da == db || db == 1
            da
        elseif da == 1
            db
        else
            throw(DimensionMismatch(string("arrays could not be broadcast to a common size; ",
                                           "got a dimension with lengths ", da, " and ", db)))
        end
    end
end

function _bc_shape_of(ops::Tuple)
    shape = ()
    for a in ops
        if a isa AbstractArray
            shape = broadcast_shape(shape, size(a))
        end
    end
    shape
end

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
