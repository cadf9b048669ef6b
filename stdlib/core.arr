# The core: identity and type queries, conversion fallbacks, and the small built-in
# structs (Colon, Pair, Ref, Nothing helpers).

"""`a === b`: true when a and b are the same value (same type and same contents)."""
===(a, b) = Intrinsics.egal(a, b)
!==(a, b) = !Intrinsics.egal(a, b)

"""`typeof(x)`: the concrete type of x."""
typeof(x) = Intrinsics.typeof(x)

"""`isa(x, T)`, also written `x isa T`."""
isa(x, T) = Intrinsics.isa(x, T)

"""`issubtype(A, B)`, also written `A <: B`."""
issubtype(A, B) = Intrinsics.issubtype(A, B)

isnothing(x) = x === nothing
something(x, ys...) = x === nothing ? something(ys...) : x
something() = throw(ArgumentError("No value arguments present"))

"""`fieldnames(T)`: the field names of a struct type as a tuple of Symbols."""
fieldnames(T) = Intrinsics.fieldnames(T)
nfields(x) = Intrinsics.nfields(x)
getfield(x, f) = Intrinsics.getfield(x, f)
getproperty(x, f::Symbol) = Intrinsics.getfield(x, f)
fieldcount(T) = length(fieldnames(T))

"""
    convert(T, x)

Convert x to type T.  Numbers convert exactly or throw InexactError (`convert(Int, 2.5)`).
"""
function convert(::Type{T}, x) where {T}
    x isa T && return x
    throw(MethodError(convert, (T, x)))
end

# `:` as an index, and as the value `dims=:`
Colon() = Intrinsics.struct_new(Colon, ())

"""`a => b` makes a `Pair` with fields `first` and `second`."""
Pair(a::A, b::B) where {A, B} = Intrinsics.struct_new(Pair{A, B}, (a, b))
(=>)(a, b) = Pair(a, b)
first(p::Pair) = p.first
last(p::Pair) = p.second
getindex(p::Pair, i::Integer) = i == 1 ? p.first : (i == 2 ? p.second : throw(BoundsError(p, i)))
length(p::Pair) = 2
iterate(p::Pair, i=1) = i > 2 ? nothing : (p[i], i + 1)
==(p::Pair, q::Pair) = p.first == q.first && p.second == q.second

"""`Ref(x)` wraps x so that broadcasting treats it as a scalar: `f.(xs, Ref(y))`."""
struct Ref
    x
end
getindex(r::Ref) = r.x

"""`UndefInitializer`: `undef` in `Vector{T}(undef, n)`-style code (arrays start zeroed)."""
struct UndefInitializer end
const undef = UndefInitializer()

"""`ignore_derivatives(x)`: x, with no gradient flowing through it."""
ignore_derivatives(x) = x
