# Strings.  Arr has no Char type: indexing or iterating a string gives one-character
# strings.  `"a $x b"` is lowered to `string("a ", x, " b")`.

"""`string(xs...)`: the concatenation of the printed forms of xs (what `print` writes)."""
string(s::String) = s
string(xs...) = Intrinsics.string_concat(map(x -> Intrinsics.print_string(_printable(x)), xs))
_printable(x) = x
"""`repr(x)`: the text `show(x)` writes (strings get quotes)."""
repr(x) = Intrinsics.repr_string(_printable(x))

*(a::String, b::String) = Intrinsics.string_concat((a, b))
*(a::String, b::String, rest::String...) = Intrinsics.string_concat((a, b, rest...))
^(s::String, n::Integer) = repeat(s, n)
"""`repeat(s, n)`: s repeated n times."""
function repeat(s::String, n::Integer)
    n < 0 && throw(ArgumentError(string("can't repeat a string ", n, " times")))
    Intrinsics.string_concat(ntuple(_ -> s, n))
end

length(s::String) = Intrinsics.string_length(s)
ncodeunits(s::String) = Intrinsics.string_ncodeunits(s)
sizeof(s::String) = Intrinsics.string_ncodeunits(s)
isempty(s::String) = Intrinsics.string_length(s) == 0
firstindex(s::String) = 1
lastindex(s::String) = Intrinsics.string_length(s)
getindex(s::String, i::Integer) = Intrinsics.string_slice(s, i, i)
getindex(s::String, r::UnitRange) = Intrinsics.string_slice(s, first(r), last(r))
iterate(s::String, i=1) = i > length(s) ? nothing : (Intrinsics.string_slice(s, i, i), i + 1)
collect(s::String) = Intrinsics.array_from_tuple(String, ntuple(i -> s[i], length(s)), (length(s),))
first(s::String) = s[1]
last(s::String) = s[length(s)]
first(s::String, n::Integer) = Intrinsics.string_slice(s, 1, min(n, length(s)))
last(s::String, n::Integer) = Intrinsics.string_slice(s, max(1, length(s) - n + 1), length(s))
reverse(s::String) = join(reverse(collect(s)))

<(a::String, b::String) = Intrinsics.lt(a, b)
<=(a::String, b::String) = Intrinsics.le(a, b)
isless(a::String, b::String) = Intrinsics.lt(a, b)
isless(a::Symbol, b::Symbol) = isless(string(a), string(b))

uppercase(s::String) = Intrinsics.string_upper(s)
lowercase(s::String) = Intrinsics.string_lower(s)
strip(s::String) = Intrinsics.string_strip(s)
"""`split(s, delim)`: the pieces of s between occurrences of delim (whitespace by default)."""
split(s::String) = Intrinsics.string_split(s, nothing)
split(s::String, delim::String) = Intrinsics.string_split(s, delim)
"""`join(xs, delim="")`: the printed forms of xs joined by delim."""
function join(xs, delim="")
    out = ""
    first_item = true
    for x in xs
        out = first_item ? string(x) : string(out, delim, x)
        first_item = false
    end
    out
end
replace(s::String, p::Pair) = Intrinsics.string_replace(s, p.first, p.second)
"""`occursin(needle, haystack)`: whether needle is a substring of haystack."""
occursin(needle::String, haystack::String) = Intrinsics.string_find(haystack, needle, 1) > 0
contains(haystack::String, needle::String) = occursin(needle, haystack)
startswith(s::String, prefix::String) = length(prefix) <= length(s) && s[1:length(prefix)] == prefix
endswith(s::String, suffix::String) = length(suffix) <= length(s) && s[(length(s) - length(suffix) + 1):length(s)] == suffix
function findfirst(needle::String, s::String)
    i = Intrinsics.string_find(s, needle, 1)
    i == 0 ? nothing : i:(i + length(needle) - 1)
end
chomp(s::String) = endswith(s, "\n") ? s[1:(length(s) - 1)] : s
lpad(s, n::Integer, p::String=" ") = string(repeat(p, max(0, n - length(string(s)))), s)
rpad(s, n::Integer, p::String=" ") = string(s, repeat(p, max(0, n - length(string(s)))))
codepoint(c::String) = Intrinsics.string_codepoint(c, 1)
Char(n::Integer) = Intrinsics.string_from_codepoint(n)

"""`parse(T, s)`: the number of type T written in s."""
parse(::Type{T}, s::String) where {T<:Number} = Intrinsics.parse_number(T, s)
tryparse(::Type{T}, s::String) where {T<:Number} = _tryparse(T, s)
function _tryparse(T, s)
    try
        return Intrinsics.parse_number(T, s)
    catch
        return nothing
    end
end

Symbol(s::String) = Intrinsics.symbol(s)
Symbol(xs...) = Intrinsics.symbol(string(xs...))
String(s::String) = s
String(s::Symbol) = Intrinsics.symbol_name(s)
