# Differentiation (section 8): the API, custom rules, and the derivative rules of the
# intrinsics.  Reverse mode is a transformation of the IR (lang/ad.py): a call of an Arr
# function is differentiated through its body; an intrinsic through its rule below
# (`_rrule_<name>`, named by the intrinsic's `derivative` field); a method of `rrule`
# overrides both (the ChainRules convention: `rrule(f, args...)` returns
# `(y, dy -> (df, dargs...))`, `nothing` being a zero).

"""
    pullback(f, args...)

`(y, back)`: the value of `f(args...)` and its pullback; `back(dy)` gives a tuple with one
gradient per argument (`nothing` for an argument that is not differentiable).
"""
pullback(f, args...) = _ad_pullback(f, args...)

"""
    gradient(f, args...)

The gradient of a function returning a real number: a tuple with one entry per argument,
`nothing` for an argument that is not differentiable.  `gradient(x -> x^2, 3.0) == (6.0,)`.
"""
function gradient(f, args...)
    y, back = _ad_pullback(f, args...)
    y isa Real || throw(ArgumentError("gradient: the function must return a real number"))
    back(one(y))
end

"""
    withgradient(f, args...)

`(val = f(args...), grad = gradient(f, args...))`, running f once.
"""
function withgradient(f, args...)
    y, back = _ad_pullback(f, args...)
    y isa Real || throw(ArgumentError("withgradient: the function must return a real number"))
    (val = y, grad = back(one(y)))
end

"""
    derivative(f, x)

The derivative of f at the real number x, in forward mode: `derivative(sin, 1.0) == cos(1.0)`.
"""
function derivative(f, x::Real)
    y, dy = _ad_fcall(f, nothing, x, one(x))
    dy === nothing ? zero(y) : dy
end

"""
    jacobian(f, args...)

One Jacobian per argument, by forward mode (one pass per input element): for an array
argument a matrix with `length(f(args...))` rows and one column per element; for a real
argument the derivative (a vector or a number); `nothing` for an argument that is not
differentiable.
"""
jacobian(f, args...) = ntuple(k -> _ad_jacobian_at(f, args, k), length(args))

function _ad_jacobian_at(f, args, k)
    x = args[k]
    g = z -> f(setindex(args, z, k)...)
    x isa AbstractFloat && return _ad_tangent(g, x, one(x))
    (x isa AbstractArray && eltype(x) <: AbstractFloat) || return nothing
    cols = [_ad_column(_ad_tangent(g, x, _ad_basis(x, j))) for j in 1:length(x)]
    hcat(cols...)
end
_ad_column(t::Number) = [t]
_ad_column(t::AbstractArray) = vec(t)

"""
    hessian(f, x)

The matrix of second derivatives of a real-valued f at the vector x, or the second
derivative when x is a real number, as in Zygote.  Forward over reverse mode: column j
is the tangent of `gradient(f, x)` in the direction of the j-th unit vector.
"""
hessian(f, x::Real) = derivative(z -> gradient(f, z)[1], x)
function hessian(f, x::AbstractVector)
    n = length(x)
    H = zeros(eltype(x), n, n)
    g = z -> gradient(f, z)[1]
    for j in 1:n
        column = _ad_tangent(g, x, _ad_basis(x, j))
        for i in 1:n
            H[i, j] = column[i]
        end
    end
    H
end

# Second order (lang/ad_higher.py).  The gradient of a gradient: the pullback of
# `x -> gradient(f, x)` applied to e is the Hessian times e (second derivatives are
# symmetric), the tangent of f's whole gradient in the direction e: one forward pass over
# the reverse pass.  The gradient of a `derivative` of a real function is the same
# product, in the direction of the adjoint.
function rrule(::typeof(gradient), f, args...)
    g = gradient(f, args...)
    (g, dg -> (nothing, _ad_hvp(f, args, dg)...))
end
function rrule(::typeof(derivative), f, x::Real)
    y = derivative(f, x)
    y isa Real || return nothing
    (y, e -> (nothing, _ad_hvp(f, (x,), (e,))...))
end

# the tangent of f at x in the direction v (zeros materialised)
function _ad_tangent(f, x, v)
    y, dy = _ad_fcall(f, nothing, x, v)
    dy === nothing ? zero(y) : dy
end
function _ad_basis(x, i)
    e = zero(x)
    e[i] = one(eltype(x))
    e
end

rrule(::typeof(ignore_derivatives), x) = (x, _ -> (nothing, nothing))
frule(_, ::typeof(ignore_derivatives), x) = (x, nothing)

# ---------------------------------------------------------------- intrinsics' rules
_rrule_add(x, y) = (Intrinsics.add(x, y), d -> (nothing, d, d))
_rrule_sub(x, y) = (Intrinsics.sub(x, y), d -> (nothing, d, -d))
_rrule_mul(x, y) = (Intrinsics.mul(x, y), d -> (nothing, d * y, d * x))
_rrule_div(x, y) = (Intrinsics.div(x, y), d -> (nothing, d / y, -d * x / (y * y)))
_rrule_neg(x) = (Intrinsics.neg(x), d -> (nothing, -d))
function _rrule_pow(x, p)
    y = Intrinsics.pow(x, p)
    (y, d -> (nothing, d * p * Intrinsics.pow(x, p - one(p)),
              p isa Integer ? nothing : d * y * Intrinsics.log(x)))
end
_rrule_abs(x) = (Intrinsics.abs(x), d -> (nothing, x < zero(x) ? -d : d))
_rrule_copysign(x, y) = (Intrinsics.copysign(x, y),
                         d -> (nothing, signbit(x) == signbit(y) ? d : -d, nothing))
# (no branch in these pullbacks: inside a broadcast they stay one select per element)
_rrule_max(x, y) = (Intrinsics.max(x, y), d -> _ad_route(x >= y, d))
_rrule_min(x, y) = (Intrinsics.min(x, y), d -> _ad_route(x <= y, d))
_ad_route(first, d) = (nothing, Intrinsics.select(first, d, zero(d)), Intrinsics.select(first, zero(d), d))
_rrule_convert(T, x) = (Intrinsics.convert(T, x), d -> (nothing, nothing, d))

_rrule_sqrt(x) = (y = Intrinsics.sqrt(x); (y, d -> (nothing, d / (y + y))))
_rrule_cbrt(x) = (y = Intrinsics.cbrt(x); (y, d -> (nothing, d / (3 * y * y))))
_rrule_exp(x) = (y = Intrinsics.exp(x); (y, d -> (nothing, d * y)))
_rrule_exp2(x) = (y = Intrinsics.exp2(x); (y, d -> (nothing, d * y * log(oftype(y, 2)))))
_rrule_expm1(x) = (y = Intrinsics.expm1(x); (y, d -> (nothing, d * (y + one(y)))))
_rrule_log(x) = (Intrinsics.log(x), d -> (nothing, d / x))
_rrule_log2(x) = (Intrinsics.log2(x), d -> (nothing, d / (x * log(oftype(x, 2)))))
_rrule_log10(x) = (Intrinsics.log10(x), d -> (nothing, d / (x * log(oftype(x, 10)))))
_rrule_log1p(x) = (Intrinsics.log1p(x), d -> (nothing, d / (one(x) + x)))
_rrule_sin(x) = (Intrinsics.sin(x), d -> (nothing, d * Intrinsics.cos(x)))
_rrule_cos(x) = (Intrinsics.cos(x), d -> (nothing, -d * Intrinsics.sin(x)))
_rrule_tan(x) = (y = Intrinsics.tan(x); (y, d -> (nothing, d * (one(y) + y * y))))
_rrule_asin(x) = (Intrinsics.asin(x), d -> (nothing, d / sqrt(one(x) - x * x)))
_rrule_acos(x) = (Intrinsics.acos(x), d -> (nothing, -d / sqrt(one(x) - x * x)))
_rrule_atan(x) = (Intrinsics.atan(x), d -> (nothing, d / (one(x) + x * x)))
_rrule_atan2(y, x) = (Intrinsics.atan2(y, x),
                      d -> (nothing, d * x / (x * x + y * y), -d * y / (x * x + y * y)))
_rrule_sinh(x) = (Intrinsics.sinh(x), d -> (nothing, d * Intrinsics.cosh(x)))
_rrule_cosh(x) = (Intrinsics.cosh(x), d -> (nothing, d * Intrinsics.sinh(x)))
_rrule_tanh(x) = (y = Intrinsics.tanh(x); (y, d -> (nothing, d * (one(y) - y * y))))

_rrule_getindex(x, idx) = (Intrinsics.getindex(x, idx),
                           d -> (nothing, Intrinsics.setindex(zero(x), d, idx), nothing))
_rrule_setindex(x, v, idx) = (Intrinsics.setindex(x, v, idx),
                              d -> (nothing, Intrinsics.setindex(d, zero(v), idx),
                                    Intrinsics.getindex(d, idx), nothing))

# arrays
function _rrule_matmul(A, B)
    C = Intrinsics.matmul(A, B)
    (C, d -> (nothing, _ad_matmul_da(d, A, B), _ad_matmul_db(d, A, B)))
end
_ad_matmul_da(d, A, B::AbstractMatrix) = Intrinsics.matmul(d, Intrinsics.permutedims(B, (2, 1)))
_ad_matmul_da(d, A, B::AbstractVector) =
    Intrinsics.matmul(Intrinsics.reshape(d, (length(d), 1)), Intrinsics.reshape(B, (1, length(B))))
_ad_matmul_db(d, A::AbstractMatrix, B) = Intrinsics.matmul(Intrinsics.permutedims(A, (2, 1)), d)
_ad_matmul_db(d, A::AbstractVector, B) =
    Intrinsics.reshape(Intrinsics.matmul(Intrinsics.permutedims(Intrinsics.reshape(A, (length(A), 1)), (2, 1)), d), size(B))
_rrule_reshape(x, shape) = (Intrinsics.reshape(x, shape), d -> (nothing, Intrinsics.reshape(d, size(x)), nothing))
function _rrule_permutedims(x, perm)
    inverse = ntuple(k -> findfirst(==(k), perm), length(perm))
    (Intrinsics.permutedims(x, perm), d -> (nothing, Intrinsics.permutedims(d, inverse), nothing))
end
_rrule_copy(x) = (Intrinsics.copy(x), d -> (nothing, d))
_rrule_reverse(x, dim) = (Intrinsics.reverse(x, dim), d -> (nothing, Intrinsics.reverse(d, dim), nothing))
_rrule_rem(x, y) = (Intrinsics.int_rem(x, y), d -> (nothing, d, -d * trunc(x / y)))
_rrule_fill(v, shape) = (Intrinsics.fill(v, shape), d -> (nothing, sum(d), nothing))
_rrule_select(c, a, b) = (Intrinsics.select(c, a, b),
                          d -> (nothing, nothing, _ad_pick(c, d, true), _ad_pick(c, d, false)))
_ad_pick(c::Bool, d, side) = c == side ? d : nothing
_ad_pick(c, d, side) = Intrinsics.select(side ? c : .!c, d, zero(d))

# ---------------------------------------------------------------- forward mode
# `_frule_<name>(x, dx, y, dy, ...)`: the value and its tangent; a tangent is `nothing`
# only for an argument that is not differentiable (an integer exponent, a type)
_frule_add(x, dx, y, dy) = (Intrinsics.add(x, y), dx + dy)
_frule_sub(x, dx, y, dy) = (Intrinsics.sub(x, y), dx - dy)
_frule_mul(x, dx, y, dy) = (Intrinsics.mul(x, y), dx * y + x * dy)
_frule_div(x, dx, y, dy) = (z = Intrinsics.div(x, y); (z, (dx - z * dy) / y))
_frule_neg(x, dx) = (Intrinsics.neg(x), -dx)
function _frule_pow(x, dx, p, dp)
    y = Intrinsics.pow(x, p)
    t = dx * p * Intrinsics.pow(x, p - one(p))
    (y, p isa Integer ? t : t + dp * y * Intrinsics.log(x))
end
_frule_abs(x, dx) = (Intrinsics.abs(x), x < zero(x) ? -dx : dx)
_frule_copysign(x, dx, y, dy) = (Intrinsics.copysign(x, y), signbit(x) == signbit(y) ? dx : -dx)
_frule_max(x, dx, y, dy) = (Intrinsics.max(x, y), x >= y ? dx : dy)
_frule_min(x, dx, y, dy) = (Intrinsics.min(x, y), x <= y ? dx : dy)
_frule_sqrt(x, dx) = (y = Intrinsics.sqrt(x); (y, dx / (y + y)))
_frule_cbrt(x, dx) = (y = Intrinsics.cbrt(x); (y, dx / (3 * y * y)))
_frule_exp(x, dx) = (y = Intrinsics.exp(x); (y, dx * y))
_frule_exp2(x, dx) = (y = Intrinsics.exp2(x); (y, dx * y * log(oftype(y, 2))))
_frule_expm1(x, dx) = (y = Intrinsics.expm1(x); (y, dx * (y + one(y))))
_frule_log(x, dx) = (Intrinsics.log(x), dx / x)
_frule_log2(x, dx) = (Intrinsics.log2(x), dx / (x * log(oftype(x, 2))))
_frule_log10(x, dx) = (Intrinsics.log10(x), dx / (x * log(oftype(x, 10))))
_frule_log1p(x, dx) = (Intrinsics.log1p(x), dx / (one(x) + x))
_frule_sin(x, dx) = (Intrinsics.sin(x), dx * Intrinsics.cos(x))
_frule_cos(x, dx) = (Intrinsics.cos(x), -dx * Intrinsics.sin(x))
_frule_tan(x, dx) = (y = Intrinsics.tan(x); (y, dx * (one(y) + y * y)))
_frule_asin(x, dx) = (Intrinsics.asin(x), dx / sqrt(one(x) - x * x))
_frule_acos(x, dx) = (Intrinsics.acos(x), -dx / sqrt(one(x) - x * x))
_frule_atan(x, dx) = (Intrinsics.atan(x), dx / (one(x) + x * x))
_frule_atan2(y, dy, x, dx) = (Intrinsics.atan2(y, x), (x * dy - y * dx) / (x * x + y * y))
_frule_sinh(x, dx) = (Intrinsics.sinh(x), dx * Intrinsics.cosh(x))
_frule_cosh(x, dx) = (Intrinsics.cosh(x), dx * Intrinsics.sinh(x))
_frule_tanh(x, dx) = (y = Intrinsics.tanh(x); (y, dx * (one(y) - y * y)))
_frule_rem(x, dx, y, dy) = (Intrinsics.int_rem(x, y), dx - dy * trunc(x / y))
_frule_matmul(A, dA, B, dB) = (Intrinsics.matmul(A, B), Intrinsics.matmul(dA, B) + Intrinsics.matmul(A, dB))
