# Ranges: `a:b` (UnitRange), `a:s:b` (StepRange) and `range(a, b; length=n)`.
#
# A range is a value with fields start (step) stop; float ranges compute their elements
# exactly from the decimal numbers they stand for, so `(0:0.1:1)[4] == 0.3`.

(:)(a::Int64, b::Int64) = Intrinsics.unitrange(a, b)
(:)(a::Integer, b::Integer) = Intrinsics.unitrange(Int64(a), Int64(b))
(:)(a::Integer, s::Integer, b::Integer) = Intrinsics.steprange(Int64(a), Int64(s), Int64(b))
(:)(a::Real, b::Real) = Intrinsics.steprange(float(a), 1.0, float(b))
(:)(a::Real, s::Real, b::Real) = Intrinsics.steprange(float(a), float(s), float(b))

"""
    range(start, stop; length=nothing, step=nothing)
    range(start; stop, length, step)

A range from start to stop: with `length`, that many evenly spaced Float64 values;
with `step`, `start:step:stop`.
"""
function range(start, stop; length=nothing, step=nothing)
    if length !== nothing
        return Intrinsics.linrange(start, stop, length)
    elseif step !== nothing
        return start:step:stop
    end
    start:stop
end
function range(start; stop=nothing, length=nothing, step=nothing)
    if stop === nothing
        length === nothing && throw(ArgumentError("range needs stop or length"))
        s = step === nothing ? 1 : step
        return start:s:(start + (length - 1) * s)
    end
    range(start, stop; length=length, step=step)
end
range(start, stop, length::Integer) = Intrinsics.linrange(start, stop, length)
LinRange(start, stop, length::Integer) = Intrinsics.linrange(start, stop, length)

first(r::AbstractRange) = Intrinsics.getfield(r, 1)
last(r::UnitRange) = Intrinsics.getfield(r, 2)
last(r::StepRange) = Intrinsics.getfield(r, 3)
step(r::UnitRange) = 1
step(r::StepRange) = Intrinsics.getfield(r, 2)
length(r::AbstractRange) = Intrinsics.range_length(r)
size(r::AbstractRange) = (Intrinsics.range_length(r),)
isempty(r::AbstractRange) = Intrinsics.range_length(r) == 0
firstindex(r::AbstractRange) = 1
lastindex(r::AbstractRange) = length(r)
collect(r::AbstractRange) = Intrinsics.range_collect(r)

getindex(r::AbstractRange, i::Integer) = Intrinsics.range_getindex(r, i)
function getindex(r::UnitRange, s::UnitRange)
    isempty(s) && return first(r):(first(r) - 1)
    (first(s) >= 1 && last(s) <= length(r)) || throw(BoundsError(r, s))
    (first(r) + first(s) - 1):(first(r) + last(s) - 1)
end
getindex(r::AbstractRange, ::Colon) = r
getindex(r::AbstractRange, idx::AbstractArray) = getindex(collect(r), idx)
getindex(r::AbstractRange, idx::AbstractRange) = getindex(collect(r), idx)

# (the iteration methods call intrinsics directly: they run for every loop iteration)
function iterate(r::UnitRange)
    lo = Intrinsics.getfield(r, 1)
    Intrinsics.gt(lo, Intrinsics.getfield(r, 2)) ? nothing : (lo, lo)
end
function iterate(r::UnitRange, s)
    Intrinsics.eq(s, Intrinsics.getfield(r, 2)) && return nothing
    n = Intrinsics.add(s, 1)
    (n, n)
end
function iterate(r::StepRange, i=1)
    Intrinsics.gt(i, Intrinsics.range_length(r)) ? nothing : (Intrinsics.range_getindex(r, i), Intrinsics.add(i, 1))
end

function in(x, r::AbstractRange)
    isempty(r) && return false
    s = step(r)
    lo, hi = s > 0 ? (first(r), last(r)) : (last(r), first(r))
    (lo <= x <= hi) || return false
    k = (x - first(r)) / s
    isinteger(k) && r[Int64(k) + 1] == x
end

reverse(r::UnitRange) = Intrinsics.steprange(last(r), -1, first(r))
reverse(r::StepRange) = Intrinsics.steprange(last(r), -step(r), first(r))
==(a::AbstractRange, b::AbstractRange) = length(a) == length(b) && collect(a) == collect(b)
sum(r::UnitRange) = isempty(r) ? 0 : (first(r) + last(r)) * length(r) ÷ 2
