# Numbers: arithmetic, comparison and math functions on the built-in number types.
#
# Methods on one concrete type (`+(x::T, y::T) where {T<:BitNumber}`) call an intrinsic;
# mixed types go through `promote` (promotion.arr).  Bool arithmetic gives Int, `/` on
# integers gives Float64, integer overflow wraps, as in Julia.

const IEEEFloat = Union{Float16, BFloat16, Float32, Float64}
const BitSigned = Union{Int8, Int16, Int32, Int64}
const BitUnsigned = Union{UInt8, UInt16, UInt32, UInt64}
const BitInteger = Union{BitSigned, BitUnsigned}
const BitNumber = Union{BitInteger, IEEEFloat}
const BitReal = Union{Bool, BitInteger, IEEEFloat}

# ---------------------------------------------------------------- constructors, conversion
convert(::Type{T}, x::BitReal) where {T<:BitReal} = Intrinsics.convert(T, x)

Float16(x::Real) = convert(Float16, x)
BFloat16(x::Real) = convert(BFloat16, x)
Float32(x::Real) = convert(Float32, x)
Float64(x::Real) = convert(Float64, x)
Int8(x::Real) = convert(Int8, x)
Int16(x::Real) = convert(Int16, x)
Int32(x::Real) = convert(Int32, x)
Int64(x::Real) = convert(Int64, x)
UInt8(x::Real) = convert(UInt8, x)
UInt16(x::Real) = convert(UInt16, x)
UInt32(x::Real) = convert(UInt32, x)
UInt64(x::Real) = convert(UInt64, x)
Bool(x::Real) = convert(Bool, x)

"""`float(x)`: x as a floating-point number (integers become Float64)."""
float(x::IEEEFloat) = x
float(x::Real) = convert(Float64, x)
float(::Type{T}) where {T<:AbstractFloat} = T
float(::Type{T}) where {T<:Real} = Float64

oftype(x, y) = convert(typeof(x), y)

# ---------------------------------------------------------------- arithmetic
# The intrinsics promote mixed operands themselves (Int64 + Float32 is Float32), so one
# method covers every pair of built-in numbers; other Number types go through promote.
const BitIntOrBool = Union{Bool, BitInteger}

+(x::BitReal, y::BitReal) = Intrinsics.add(x, y)
-(x::BitReal, y::BitReal) = Intrinsics.sub(x, y)
*(x::BitReal, y::BitReal) = Intrinsics.mul(x, y)
/(x::BitReal, y::BitReal) = Intrinsics.div(x, y)
^(x::BitReal, y::BitReal) = Intrinsics.pow(x, y)
÷(x::BitReal, y::BitReal) = Intrinsics.int_div(x, y)
%(x::BitReal, y::BitReal) = Intrinsics.int_rem(x, y)

# Bool quirks: `true * x` is x and `false * x` is a zero of x's type even for NaN and Inf;
# `true ÷ true` and `true % true` stay Bool
*(x::Bool, y::IEEEFloat) = x ? y : copysign(zero(y), y)
*(x::IEEEFloat, y::Bool) = y ? x : copysign(zero(x), x)
*(x::Bool, y::Bool) = x & y
^(x::Bool, y::Bool) = x | !y
÷(x::Bool, y::Bool) = y ? x : throw(DivideError())
%(x::Bool, y::Bool) = y ? false : throw(DivideError())

+(x::Number) = x
*(x::Number) = x
-(x::BitReal) = Intrinsics.neg(x)

"""`div(x, y)`, also `x ÷ y`: the quotient truncated toward zero."""
div(x, y) = x ÷ y
"""`rem(x, y)`, also `x % y`: the remainder of `div`, with the sign of x."""
rem(x, y) = x % y

"""`mod(x, y)`: the remainder after floored division, with the sign of y."""
function mod(x::T, y::T) where {T<:Integer}
    r = rem(x, y)
    (r != 0 && (r < 0) != (y < 0)) ? r + y : r
end
function mod(x::T, y::T) where {T<:AbstractFloat}
    r = rem(x, y)
    if r == 0
        return copysign(r, y)
    end
    (r > 0) != (y > 0) ? r + y : r
end
mod(x::Real, y::Real) = mod(promote(x, y)...)
fld(x::Real, y::Real) = div(x - mod(x, y), y)
cld(x::Real, y::Real) = -fld(-x, y)
divrem(x, y) = (div(x, y), rem(x, y))
fldmod(x, y) = (fld(x, y), mod(x, y))
function mod1(x::Real, y::Real)
    m = mod(x, y)
    m == 0 ? y : m
end

"""`abs(x)`: the absolute value."""
abs(x::BitReal) = Intrinsics.abs(x)
abs2(x::Number) = x * x
"""`sign(x)`: -1, 0 or 1 in the type of x."""
sign(x::BitReal) = Intrinsics.sign(x)
signbit(x::BitReal) = Intrinsics.signbit(x)
copysign(x::IEEEFloat, y::IEEEFloat) = oftype(x, Intrinsics.copysign(x, y))
copysign(x::Real, y::Real) = (signbit(x) != signbit(y)) ? -x : x
flipsign(x::Real, y::Real) = signbit(y) ? -x : x

# ---------------------------------------------------------------- comparison
==(x::BitReal, y::BitReal) = Intrinsics.eq(x, y)
<(x::BitReal, y::BitReal) = Intrinsics.lt(x, y)
<=(x::BitReal, y::BitReal) = Intrinsics.le(x, y)
==(x::Number, y::Number) = ==(promote(x, y)...)
<(x::Real, y::Real) = <(promote(x, y)...)
<=(x::Real, y::Real) = <=(promote(x, y)...)
==(x, y) = x === y
!=(x, y) = !(x == y)
≠(x, y) = !(x == y)
>(x, y) = y < x
>=(x, y) = y <= x
≤(x, y) = x <= y
≥(x, y) = y <= x

"""`isequal(x, y)`: like `==`, but NaN equals NaN and -0.0 differs from 0.0."""
isequal(x, y) = x == y
function isequal(x::AbstractFloat, y::AbstractFloat)
    (isnan(x) && isnan(y)) || (x == y && signbit(x) == signbit(y))
end
isequal(x::Tuple, y::Tuple) = length(x) == length(y) && all(i -> isequal(x[i], y[i]), 1:length(x))

"""`isless(x, y)`: the total order used by `sort` (NaN sorts last)."""
isless(x::Real, y::Real) = x < y
function isless(x::AbstractFloat, y::AbstractFloat)
    isnan(x) && return false
    isnan(y) && return true
    x < y || (x == y && signbit(x) && !signbit(y))
end
isless(x::AbstractFloat, y::Real) = isless(promote(x, y)...)
isless(x::Real, y::AbstractFloat) = isless(promote(x, y)...)
function isless(x::Tuple, y::Tuple)
    n = min(length(x), length(y))
    for i in 1:n
        isless(x[i], y[i]) && return true
        isless(y[i], x[i]) && return false
    end
    length(x) < length(y)
end

# ---------------------------------------------------------------- logic
!(x::Bool) = Intrinsics.not(x)
(&)(x::BitIntOrBool, y::BitIntOrBool) = Intrinsics.and(x, y)
(|)(x::BitIntOrBool, y::BitIntOrBool) = Intrinsics.or(x, y)
xor(x::BitIntOrBool, y::BitIntOrBool) = Intrinsics.xor(x, y)

# ---------------------------------------------------------------- min, max, clamp
min(x::BitReal, y::BitReal) = Intrinsics.min(x, y)
max(x::BitReal, y::BitReal) = Intrinsics.max(x, y)
min(x::Real, y::Real) = min(promote(x, y)...)
max(x::Real, y::Real) = max(promote(x, y)...)
min(x, y) = isless(y, x) ? y : x
max(x, y) = isless(y, x) ? x : y
min(x) = x
max(x) = x
min(x, y, z, rest...) = min(min(x, y), z, rest...)
max(x, y, z, rest...) = max(max(x, y), z, rest...)
minmax(x, y) = isless(y, x) ? (y, x) : (x, y)

"""`clamp(x, lo, hi)`: x limited to the interval [lo, hi]."""
function clamp(x::Real, lo::Real, hi::Real)
    T = promote_type(typeof(x), typeof(lo), typeof(hi))
    x > hi ? convert(T, hi) : (x < lo ? convert(T, lo) : convert(T, x))
end

# ---------------------------------------------------------------- math functions
sqrt(x::IEEEFloat) = Intrinsics.sqrt(x)
cbrt(x::IEEEFloat) = Intrinsics.cbrt(x)
exp(x::IEEEFloat) = Intrinsics.exp(x)
exp2(x::IEEEFloat) = Intrinsics.exp2(x)
expm1(x::IEEEFloat) = Intrinsics.expm1(x)
log(x::IEEEFloat) = Intrinsics.log(x)
log2(x::IEEEFloat) = Intrinsics.log2(x)
log10(x::IEEEFloat) = Intrinsics.log10(x)
log1p(x::IEEEFloat) = Intrinsics.log1p(x)
sin(x::IEEEFloat) = Intrinsics.sin(x)
cos(x::IEEEFloat) = Intrinsics.cos(x)
tan(x::IEEEFloat) = Intrinsics.tan(x)
asin(x::IEEEFloat) = Intrinsics.asin(x)
acos(x::IEEEFloat) = Intrinsics.acos(x)
atan(x::IEEEFloat) = Intrinsics.atan(x)
atan(y::T, x::T) where {T<:IEEEFloat} = Intrinsics.atan2(y, x)
sinh(x::IEEEFloat) = Intrinsics.sinh(x)
cosh(x::IEEEFloat) = Intrinsics.cosh(x)
tanh(x::IEEEFloat) = Intrinsics.tanh(x)

sqrt(x::Real) = sqrt(float(x))
cbrt(x::Real) = cbrt(float(x))
exp(x::Real) = exp(float(x))
exp2(x::Real) = exp2(float(x))
expm1(x::Real) = expm1(float(x))
log(x::Real) = log(float(x))
log2(x::Real) = log2(float(x))
log10(x::Real) = log10(float(x))
log1p(x::Real) = log1p(float(x))
sin(x::Real) = sin(float(x))
cos(x::Real) = cos(float(x))
tan(x::Real) = tan(float(x))
asin(x::Real) = asin(float(x))
acos(x::Real) = acos(float(x))
atan(x::Real) = atan(float(x))
atan(y::Real, x::Real) = atan(promote(float(y), float(x))...)
sinh(x::Real) = sinh(float(x))
cosh(x::Real) = cosh(float(x))
tanh(x::Real) = tanh(float(x))

"""`log(b, x)`: the logarithm of x to base b."""
log(b::Real, x::Real) = log(x) / log(b)
exp10(x::Real) = 10.0^x
asinh(x::Real) = copysign(log(abs(float(x)) + sqrt(float(x)^2 + 1)), float(x))
acosh(x::Real) = log(float(x) + sqrt(float(x)^2 - 1))
atanh(x::Real) = log1p(2 * float(x) / (1 - float(x))) / 2
sec(x::Real) = 1 / cos(x)
csc(x::Real) = 1 / sin(x)
cot(x::Real) = 1 / tan(x)
sincos(x::Real) = (sin(x), cos(x))
deg2rad(x::Real) = float(x) * (pi / 180)
rad2deg(x::Real) = float(x) * (180 / pi)
sinpi(x::Real) = sin(pi * x)
cospi(x::Real) = cos(pi * x)
function hypot(x::Real, y::Real)
    a, b = abs(float(x)), abs(float(y))
    a, b = max(a, b), min(a, b)
    a == 0 || isinf(a) ? a : a * sqrt(one(a) + (b / a)^2)
end
muladd(x, y, z) = x * y + z
fma(x, y, z) = x * y + z

# ---------------------------------------------------------------- rounding
"""
    round(x; digits=nothing)
    round(T, x)

Round to the nearest integer, ties to even (`round(2.5) == 2.0`); with `digits`, to that
many decimal places; `round(Int, x)` converts the result to an integer type.
"""
function round(x::IEEEFloat; digits=nothing, base=10)
    digits === nothing && return Intrinsics.round(x)
    p = convert(typeof(x), base)^digits
    Intrinsics.round(x * p) / p
end
round(x::Integer; digits=nothing, base=10) = x
floor(x::IEEEFloat) = Intrinsics.floor(x)
ceil(x::IEEEFloat) = Intrinsics.ceil(x)
trunc(x::IEEEFloat) = Intrinsics.trunc(x)
floor(x::Integer) = x
ceil(x::Integer) = x
trunc(x::Integer) = x
round(::Type{T}, x::Real) where {T<:Integer} = convert(T, round(x))
floor(::Type{T}, x::Real) where {T<:Integer} = convert(T, floor(x))
ceil(::Type{T}, x::Real) where {T<:Integer} = convert(T, ceil(x))
trunc(::Type{T}, x::Real) where {T<:Integer} = convert(T, trunc(x))
round(::Type{T}, x::Real) where {T<:AbstractFloat} = convert(T, round(x))
isinteger(x::Integer) = true
isinteger(x::AbstractFloat) = isfinite(x) && x == trunc(x)

# ---------------------------------------------------------------- predicates
isnan(x::IEEEFloat) = Intrinsics.isnan(x)
isinf(x::IEEEFloat) = Intrinsics.isinf(x)
isfinite(x::IEEEFloat) = !Intrinsics.isnan(x) && !Intrinsics.isinf(x)
isnan(x::Real) = false
isinf(x::Real) = false
isfinite(x::Real) = true
iszero(x) = x == zero(x)
isone(x) = x == one(x)
isodd(x::Integer) = rem(x, 2) != 0
iseven(x::Integer) = rem(x, 2) == 0
ispow2(x::Integer) = x > 0 && (x & (x - 1)) == 0

# ---------------------------------------------------------------- special values
"""`zero(x)` / `zero(T)`: the additive identity of x's type (or of T)."""
zero(::Type{T}) where {T<:BitReal} = convert(T, 0)
one(::Type{T}) where {T<:BitReal} = convert(T, 1)
zero(x::Number) = zero(typeof(x))
one(x::Number) = one(typeof(x))
oneunit(x) = one(x)

typemax(::Type{Int64}) = 9223372036854775807
typemin(::Type{Int64}) = -9223372036854775807 - 1
typemax(::Type{Int32}) = Int32(2147483647)
typemin(::Type{Int32}) = Int32(-2147483648)
typemax(::Type{Int16}) = Int16(32767)
typemin(::Type{Int16}) = Int16(-32768)
typemax(::Type{Int8}) = Int8(127)
typemin(::Type{Int8}) = Int8(-128)
typemax(::Type{UInt8}) = UInt8(255)
typemax(::Type{UInt16}) = UInt16(65535)
typemax(::Type{UInt32}) = UInt32(4294967295)
typemax(::Type{UInt64}) = Intrinsics.not(zero(UInt64))
typemin(::Type{T}) where {T<:BitUnsigned} = zero(T)
typemax(::Type{Bool}) = true
typemin(::Type{Bool}) = false
typemax(::Type{T}) where {T<:AbstractFloat} = convert(T, Inf)
typemin(::Type{T}) where {T<:AbstractFloat} = convert(T, -Inf)
typemax(x::Real) = typemax(typeof(x))
typemin(x::Real) = typemin(typeof(x))

"""`eps(T)`: the distance from 1.0 to the next float of type T; `eps(x)`: the gap at x."""
eps(::Type{Float64}) = 2.220446049250313e-16
eps(::Type{Float32}) = 1.1920929f-7
eps(::Type{Float16}) = Float16(0.0009765625)
eps(::Type{BFloat16}) = BFloat16(0.0078125)
eps() = eps(Float64)
function eps(x::AbstractFloat)
    isfinite(x) || return oftype(x, NaN)
    y = abs(x)
    nextfloat(y) - y
end
floatmax(::Type{Float64}) = 1.7976931348623157e308
floatmax(::Type{Float32}) = 3.4028235f38
floatmin(::Type{Float64}) = 2.2250738585072014e-308
floatmin(::Type{Float32}) = 1.1754944f-38
floatmax(x::AbstractFloat) = floatmax(typeof(x))
floatmin(x::AbstractFloat) = floatmin(typeof(x))
nextfloat(x::IEEEFloat) = Intrinsics.nextfloat(x, 1)
prevfloat(x::IEEEFloat) = Intrinsics.nextfloat(x, -1)
nextfloat(x::IEEEFloat, n::Integer) = Intrinsics.nextfloat(x, n)
prevfloat(x::IEEEFloat, n::Integer) = Intrinsics.nextfloat(x, -n)

# ---------------------------------------------------------------- integer functions
const _FACTORIALS = (1, 2, 6, 24, 120, 720, 5040, 40320, 362880, 3628800, 39916800,
                     479001600, 6227020800, 87178291200, 1307674368000, 20922789888000,
                     355687428096000, 6402373705728000, 121645100408832000,
                     2432902008176640000)

"""`factorial(n)`: n!, for 0 <= n <= 20 (OverflowError beyond, as Int64 cannot hold it)."""
function factorial(n::Integer)
    n < 0 && throw(DomainError(n, "`n` must not be negative."))
    n > 20 && throw(OverflowError(string(n, " is too large to look up in the table; ",
                                         "consider using `factorial(big(", n, "))` instead")))
    n == 0 ? oftype(n, 1) : oftype(n, _FACTORIALS[n])
end

"""`gcd(a, b)`: the greatest common divisor (non-negative)."""
function gcd(a::Integer, b::Integer)
    a, b = promote(a, b)
    while b != 0
        a, b = b, rem(a, b)
    end
    abs(a)
end
function lcm(a::Integer, b::Integer)
    (a == 0 || b == 0) && return zero(promote_type(typeof(a), typeof(b)))
    abs(a ÷ gcd(a, b) * b)
end
function binomial(n::Integer, k::Integer)
    (k < 0 || k > n) && return 0
    k == 0 ? 1 : div(binomial(n - 1, k - 1) * n, k)
end

"""
    isapprox(x, y; atol=0, rtol=...)
    x ≈ y

Approximate equality: `abs(x - y) <= max(atol, rtol * max(abs(x), abs(y)))`; the default
rtol is `sqrt(eps)` of the float type involved (0 when atol > 0 or both are integers).
"""
function isapprox(x::Number, y::Number; atol=0, rtol=_rtoldefault(x, y, atol), nans=false)
    x == y && return true
    (nans && isnan(x) && isnan(y)) && return true
    isfinite(x) && isfinite(y) && abs(x - y) <= max(atol, rtol * max(abs(x), abs(y)))
end
_rtolof(x::AbstractFloat) = sqrt(eps(typeof(x)))
_rtolof(x::Real) = 0
_rtoldefault(x, y, atol) = atol > 0 ? 0 : max(_rtolof(x), _rtolof(y))
function isapprox(x::AbstractArray, y::AbstractArray; atol=0, rtol=_rtoldefault(zero(eltype(x)), zero(eltype(y)), atol), nans=false)
    d = norm(x - y)
    isfinite(d) && return d <= max(atol, rtol * max(norm(x), norm(y)))
    x == y
end
≈(x, y) = isapprox(x, y)
"""`cmp(x, y)`: -1, 0 or 1 as x is less than, equal to or greater than y."""
cmp(x, y) = isless(x, y) ? -1 : (isless(y, x) ? 1 : 0)
