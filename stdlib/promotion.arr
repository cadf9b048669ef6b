# Promotion: bringing mixed numeric arguments to one type (Julia's rules:
# Int64 + Float32 is Float32, Float32 + Float64 is Float64, Bool + T is T, ...), and
# the mixed-type methods of the arithmetic operators.

"""`promote_type(T, S)`: the type both T and S convert to in mixed arithmetic."""
promote_type(T, S) = Intrinsics.promote_type(T, S)
promote_type(T) = T
promote_type(T, S, U, rest...) = promote_type(promote_type(T, S), U, rest...)

"""
    promote(x, y, ...)

The arguments converted to their common promoted type, as a tuple.
"""
promote(x) = (x,)
promote(x::T, y::T) where {T} = (x, y)
function promote(x, y)
    T = promote_type(typeof(x), typeof(y))
    px, py = convert(T, x), convert(T, y)
    if typeof(px) !== typeof(py)
        throw(ErrorException(string("promotion of types ", typeof(x), " and ", typeof(y),
                                    " failed to change any arguments")))
    end
    (px, py)
end
function promote(x, y, z, rest...)
    T = promote_type(typeof(x), typeof(y), typeof(z), map(typeof, rest)...)
    (convert(T, x), convert(T, y), convert(T, z), map(r -> convert(T, r), rest)...)
end
promote_typeof(x) = typeof(x)
promote_typeof(x, xs...) = promote_type(typeof(x), promote_typeof(xs...))

# Other Number types (user-defined ones) promote first; when promotion changes nothing the
# operation is not defined for the type.
function _promote_for(op, x, y)
    px, py = promote(x, y)
    if typeof(px) === typeof(x) && typeof(py) === typeof(y)
        throw(ErrorException(string(op, " not defined for ", typeof(x))))
    end
    (px, py)
end
+(x::Number, y::Number) = +(_promote_for("+", x, y)...)
-(x::Number, y::Number) = -(_promote_for("-", x, y)...)
*(x::Number, y::Number) = *(_promote_for("*", x, y)...)
/(x::Number, y::Number) = /(_promote_for("/", x, y)...)
^(x::Number, y::Number) = ^(_promote_for("^", x, y)...)
÷(x::Number, y::Number) = ÷(_promote_for("div", x, y)...)
%(x::Number, y::Number) = %(_promote_for("rem", x, y)...)
+(a, b, c, rest...) = +(a + b, c, rest...)
*(a, b, c, rest...) = *(a * b, c, rest...)
