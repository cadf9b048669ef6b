"""Range intrinsics: `a:b` (UnitRange), `a:s:b` (StepRange), `range(a, b; length=n)`.

Ranges are `values.UnitRange` / `values.StepRange`.  Float ranges compute their length and
elements exactly on the rational numbers their endpoints stand for (`0:0.1:1` has 11
elements and its 4th is 0.3, as in Julia).

Shape rules: a range decides shapes (`collect(1:n)` has n elements), so the rules fold
whenever the endpoints are known; otherwise the range's type still follows from the
endpoint types (integer endpoints give `UnitRange{Int64}` / `StepRange{Int64, Int64}`,
anything else a `StepRange{Float64, Float64}`).  A range value itself is not an ndarray:
its abstraction has shape `()`, as `lattice.of_value` gives it, and the length lives in
the constant.
"""
from __future__ import annotations

import math
from fractions import Fraction
from functools import reduce
from typing import Any

import numpy as np

from . import primitive, shape_rule
from .. import lattice as L
from .. import source
from .. import types
from ..lattice import NO_CONST, AbstractValue
from ..values import StepRange, UnitRange
from .misc import BOTTOM, bounds_error, fold, is_int_type, known, never_int
from .scalar import as_int, make_scalar, promote_dtype, scalar_dtype, wrap64

UNITRANGE_INT = types.apply_type(types.UnitRangeType, (types.Int64,))
STEPRANGE_INT = types.apply_type(types.StepRangeType, (types.Int64, types.Int64))
STEPRANGE_FLOAT = types.apply_type(types.StepRangeType, (types.Float64, types.Float64))
_RANGE_TYPENAMES = (UNITRANGE_INT.typename, STEPRANGE_INT.typename)


def _lift(x: Any) -> Fraction:
    """The simplest fraction that rounds to the float x (`0.1` -> 1/10), else x exactly.
    Like Julia's `rat`, this makes `0:0.1:1` hit 0.3 exactly."""
    if isinstance(x, (int, np.integer)):
        return Fraction(int(x))
    fx = float(x)
    exact = Fraction(fx)
    if exact.denominator == 1:
        return exact
    for limit in (100, 10_000, 1_000_000, 100_000_000):
        f = exact.limit_denominator(limit)
        if float(f) == fx:
            return f
    return exact


def _is_float_range(r: Any) -> bool:
    vals = (r.start, r.stop) if isinstance(r, UnitRange) else (r.start, r.step, r.stop)
    return any(isinstance(v, (float, np.floating)) for v in vals)


def _range_parts(r: Any) -> tuple[Fraction, Fraction, int]:
    if isinstance(r, UnitRange):
        a, s = _lift(r.start), Fraction(1)
        b = _lift(r.stop)
    else:
        a, s, b = _lift(r.start), _lift(r.step), _lift(r.stop)
    if s == 0:
        return a, s, 0
    n = math.floor((b - a) / s) + 1
    return a, s, max(0, n)


def _range_eltype(r: Any) -> np.dtype:
    vals = (r.start, r.stop) if isinstance(r, UnitRange) else (r.start, r.step, r.stop)
    dt = np.dtype(np.int64)
    for v in vals:
        dt = promote_dtype(dt, scalar_dtype(v) or np.dtype(np.float64))
    return dt


def range_eltype(rt: Any) -> Any | None:
    """The element type of the ranges of type rt (None when the type does not say):
    Int64 for integer endpoints, else their promotion with Int64 (`_range_eltype`)."""
    if type(rt) is not types.DataType or rt.typename not in _RANGE_TYPENAMES or \
            not all(p in types.NUMERIC_INFO for p in rt.params):
        return None
    if all(is_int_type(p) for p in rt.params):
        return types.Int64
    return reduce(types.promote_type, rt.params, types.Int64)


@primitive("unitrange", 2, derivative="none")
def unitrange(a: Any, b: Any) -> UnitRange:
    """`a:b` for integers; an empty range keeps `b = a - 1`, as Julia's UnitRange does."""
    ia, ib = as_int(a), as_int(b)
    if ia is None or ib is None:
        raise source.ArgumentError("unitrange needs integer endpoints")
    return UnitRange(ia, max(ib, ia - 1))


@shape_rule("unitrange")
def unitrange_shape(a: AbstractValue, b: AbstractValue) -> AbstractValue:
    if never_int(a.type) or never_int(b.type):
        raise source.ArgumentError("unitrange needs integer endpoints")
    return fold(unitrange, a, b) or AbstractValue(UNITRANGE_INT, ())


@primitive("steprange", 3, derivative="none")
def steprange(a: Any, s: Any, b: Any) -> StepRange:
    """`a:s:b`; the stop is normalised to the last element reached.  Float ranges compute
    their length on the rational numbers the endpoints stand for (0:0.1:1 has 11 elements)."""
    if s == 0:
        raise source.ArgumentError("step cannot be zero")
    ia, is_, ib = as_int(a), as_int(s), as_int(b)
    if ia is not None and is_ is not None and ib is not None:
        n = max(0, (ib - ia) // is_ + 1)
        return StepRange(ia, is_, ia + (n - 1) * is_ if n > 0 else ia - is_)
    a, s, b = float(a), float(s), float(b)
    if math.isnan(a) or math.isnan(s) or math.isnan(b):
        raise source.ArgumentError("StepRange endpoints cannot be NaN")
    fa, fs, fb = _lift(a), _lift(s), _lift(b)
    n = max(0, math.floor((fb - fa) / fs) + 1)
    last = float(fa + (n - 1) * fs) if n > 0 else a - s
    return StepRange(a, s, last)


def _endpoint_kind(t: Any) -> str | None:
    """How `steprange` treats an endpoint of type t: "int" for an integer, "float" for
    another real (Bool included: `as_int` rejects it), None when the type does not say."""
    if is_int_type(t):
        return "int"
    if types.is_concrete(t) and types.issubtype(t, types.Real):
        return "float"
    return None


@shape_rule("steprange")
def steprange_shape(a: AbstractValue, s: AbstractValue, b: AbstractValue) -> AbstractValue:
    folded = fold(steprange, a, s, b)
    if folded is not None:
        return folded
    step = known(s)
    if step is not NO_CONST and step == 0:
        raise source.ArgumentError("step cannot be zero")
    kinds = [_endpoint_kind(x.type) for x in (a, s, b)]
    if "float" in kinds:
        return AbstractValue(STEPRANGE_FLOAT, ())
    if all(k == "int" for k in kinds):
        return AbstractValue(STEPRANGE_INT, ())
    return AbstractValue(types.make_union(STEPRANGE_INT, STEPRANGE_FLOAT), ())


@primitive("linrange", 3, derivative="none")
def linrange(a: Any, b: Any, n: Any) -> StepRange:
    """`range(a, b; length=n)`: n evenly spaced Float64 values from a to b."""
    n = as_int(n)
    if n is None or n < 0:
        raise source.ArgumentError(f"range(start, stop; length={n}): length must be non-negative")
    a, b = float(a), float(b)
    if n == 1:
        if a != b:
            raise source.ArgumentError("range(a, b; length=1) needs a == b")
        return StepRange(a, 1.0, a)
    if n == 0:
        return StepRange(a, 1.0, a - 1.0)
    step = float((_lift(b) - _lift(a)) / (n - 1))
    return StepRange(a, step, b if step != 0 else a)


@shape_rule("linrange")
def linrange_shape(a: AbstractValue, b: AbstractValue, n: AbstractValue) -> AbstractValue:
    folded = fold(linrange, a, b, n)
    if folded is not None:
        return folded
    count = known(n)
    if count is not NO_CONST or never_int(n.type):
        k = None if count is NO_CONST else as_int(count)
        if k is None or k < 0:
            raise source.ArgumentError(f"range(start, stop; length={k}): length must be "
                                       "non-negative")
    return AbstractValue(STEPRANGE_FLOAT, ())


@primitive("range_length", 1, derivative="none")
def range_length(r: Any) -> int:
    """`length(r)` of a UnitRange or StepRange."""
    if not _is_float_range(r):
        if isinstance(r, UnitRange):
            return max(0, r.stop - r.start + 1)
        if r.step == 0:
            return 0
        return max(0, (r.stop - r.start) // r.step + 1)
    return _range_parts(r)[2]


@shape_rule("range_length")
def range_length_shape(r: AbstractValue) -> AbstractValue:
    return fold(range_length, r) or L.scalar(types.Int64)


def _range_element(r: Any, k: int, a: Fraction, s: Fraction, dt: np.dtype) -> Any:
    return make_scalar(dt.type(float(a + k * s)), dt)


@primitive("range_getindex", 2, derivative="none")
def range_getindex(r: Any, i: Any) -> Any:
    """`r[i]` for a range (exact for float ranges), with BoundsError."""
    k = as_int(i)
    n = range_length(r)
    if k is None or not 1 <= k <= n:
        raise bounds_error(r, (i,))
    if not _is_float_range(r):
        step = 1 if isinstance(r, UnitRange) else r.step
        return wrap_int(r.start + (k - 1) * step)
    a, s, _ = _range_parts(r)
    return _range_element(r, k - 1, a, s, _range_eltype(r))


@shape_rule("range_getindex")
def range_getindex_shape(r: AbstractValue, i: AbstractValue) -> AbstractValue:
    folded = fold(range_getindex, r, i)
    if folded is not None:
        return folded
    k = as_int(known(i))
    if never_int(i.type) or (k is not None and k < 1):
        return BOTTOM                   # BoundsError, whose message gives r's length
    elt = range_eltype(r.type)
    return L.scalar(types.Real if elt is None else elt)


def wrap_int(v: int) -> int:
    return wrap64(int(v))


@primitive("range_collect", 1, derivative="none")
def range_collect(r: Any) -> np.ndarray:
    """`collect(r)`: the elements of a range as a Vector."""
    n = range_length(r)
    if not _is_float_range(r):
        step = 1 if isinstance(r, UnitRange) else r.step
        return (np.arange(n, dtype=np.int64) * step + r.start).astype(np.int64)
    a, s, _ = _range_parts(r)
    dt = _range_eltype(r)
    if a.denominator == 1 and s.denominator == 1 and abs(a) < 2**52 and abs(s) * n < 2**52:
        return (float(a) + np.arange(n, dtype=np.float64) * float(s)).astype(dt)
    return np.array([float(a + k * s) for k in range(n)], dtype=np.float64).astype(dt)


@shape_rule("range_collect")
def range_collect_shape(r: AbstractValue) -> AbstractValue:
    elt = range_eltype(r.type)
    if elt is None:
        t = types.TypeVar("T", types.Bottom, types.Real)
        return AbstractValue(types.UnionAll(t, types.DataType(types.ARRAY_TN, (t, 1))), None)
    v = known(r)
    n = None if v is NO_CONST else range_length(v)
    return AbstractValue(types.apply_type(types.Array, (elt, 1)), None if n is None else (n,))


# ---------------------------------------------------------------- StableHLO lowerings
# An integer range may hold run-time endpoints (`1:n`): its fields are then Int64 `Dyn`s,
# and length, indexing and iteration are integer arithmetic on them.  A float range is
# computed on the rational numbers its endpoints stand for, which only the reference
# evaluation can do: its endpoints must be compile-time constants (`0:0.1:1` in the code,
# or integers the call is specialised on); indexing a constant float range at a run-time
# index is exact integer arithmetic followed by one correctly rounded division.
from . import lowering  # noqa: E402
from . import hlo_rules as H  # noqa: E402

_I64 = np.dtype(np.int64)
_F64 = np.dtype(np.float64)


def _scalar_int(ctx: Any, name: str, v: Any) -> Any:
    """An integer endpoint as an Int64 scalar Dyn (or a Python int when constant)."""
    if not H.is_dyn(v):
        return int(v)
    if v.shape:
        ctx.fail(f"`{name}` on values of an elementwise map")
    return ctx.dyn(v, _I64) if v.dtype != _I64 else v


def _iop(ctx: Any, opname: str, a: Any, b: Any) -> Any:
    """An Int64 operation on Dyns and Python ints (folded when both are ints)."""
    if not H.is_dyn(a) and not H.is_dyn(b):
        a, b = int(a), int(b)
        return {"stablehlo.add": a + b, "stablehlo.subtract": a - b,
                "stablehlo.multiply": a * b, "stablehlo.maximum": max(a, b)}[opname]
    from ..staging import scalar_type
    return ctx.op(opname, [ctx.dyn(a, _I64), ctx.dyn(b, _I64)], scalar_type(_I64), _I64, ())


def _icmp(ctx: Any, a: Any, direction: str, b: Any) -> Any:
    return ctx.compare(ctx.dyn(a, _I64), ctx.dyn(b, _I64), direction)


def _iselect(ctx: Any, c: Any, a: Any, b: Any) -> Any:
    if not H.is_dyn(c):
        return a if c else b
    return ctx.select(c, ctx.dyn(a, _I64), ctx.dyn(b, _I64))


def _floordiv(ctx: Any, a: Any, b: Any) -> Any:
    """Python's a // b on Int64 (b != 0 where it is used)."""
    if not H.is_dyn(a) and not H.is_dyn(b):
        return int(a) // int(b) if int(b) != 0 else 0
    from ..staging import scalar_type
    q = ctx.op("stablehlo.divide", [ctx.dyn(a, _I64), ctx.dyn(b, _I64)], scalar_type(_I64),
               _I64, ())
    r = _iop(ctx, "stablehlo.subtract", a, _iop(ctx, "stablehlo.multiply", q, b))
    # truncation rounds toward zero: step down when the remainder's sign differs from b's
    off = ctx.logical("and", _icmp(ctx, r, "NE", 0),
                      ctx.compare(_icmp(ctx, r, "LT", 0), _icmp(ctx, b, "LT", 0), "NE"))
    return _iselect(ctx, off, _iop(ctx, "stablehlo.subtract", q, 1), q)


def _field_kinds(r: Any) -> list[np.dtype | None]:
    vals = (r.start, r.stop) if isinstance(r, UnitRange) else (r.start, r.step, r.stop)
    return [H.leaf_dtype(v) for v in vals]


def _is_float_symbolic(r: Any) -> bool:
    return any(d is None or d.kind not in "iu" for d in _field_kinds(r))


@lowering("unitrange")
def unitrange_lower(ctx: Any, a: Any, b: Any) -> Any:
    da, db = H.leaf_dtype(a), H.leaf_dtype(b)
    if da is None or db is None or da.kind not in "iu" or db.kind not in "iu":
        raise H.ctx_static(source.ArgumentError("unitrange needs integer endpoints"))
    ia, ib = _scalar_int(ctx, "unitrange", a), _scalar_int(ctx, "unitrange", b)
    return UnitRange(ia, _iop(ctx, "stablehlo.maximum", ib, _iop(ctx, "stablehlo.subtract",
                                                                  ia, 1)))


@lowering("steprange")
def steprange_lower(ctx: Any, a: Any, s: Any, b: Any) -> Any:
    dts = [H.leaf_dtype(v) for v in (a, s, b)]
    if any(d is None or d.kind not in "iu" for d in dts):
        # a float range: its elements come from the rational numbers its endpoints stand for
        for v in (a, s, b):
            ctx.need_const(v, "an endpoint of a float range")
        return steprange(a, s, b)
    ia, is_, ib = (_scalar_int(ctx, "steprange", v) for v in (a, s, b))
    zero = _icmp(ctx, is_, "EQ", 0) if H.is_dyn(is_) else is_ == 0
    H.check_args(ctx, zero, steprange, (a, s, b))
    if not H.is_dyn(zero) and zero:
        return steprange(a, s, b)       # raises: (not reached)
    safe_step = _iselect(ctx, zero, 1, is_) if H.is_dyn(zero) else is_
    n = _iop(ctx, "stablehlo.add", _floordiv(ctx, _iop(ctx, "stablehlo.subtract", ib, ia),
                                             safe_step), 1)
    n = _iop(ctx, "stablehlo.maximum", n, 0)
    last = _iop(ctx, "stablehlo.add", ia,
                _iop(ctx, "stablehlo.multiply", _iop(ctx, "stablehlo.subtract", n, 1), is_))
    empty = _iop(ctx, "stablehlo.subtract", ia, is_)
    pos = _icmp(ctx, n, "GT", 0) if H.is_dyn(n) else n > 0
    return StepRange(ia, is_, _iselect(ctx, pos, last, empty))


@lowering("linrange")
def linrange_lower(ctx: Any, a: Any, b: Any, n: Any) -> Any:
    for v in (a, b, n):
        ctx.need_const(v, "an argument of range(a, b; length)")
    return linrange(a, b, n)


def _length_sym(ctx: Any, r: Any) -> Any:
    """range_length on a range with run-time integer fields."""
    if not isinstance(r, (UnitRange, StepRange)):
        ctx.fail(f"`length` of a {type(r).__name__}")
    if _is_float_symbolic(r):
        ctx.fail("a float range with run-time endpoints")
    start = _scalar_int(ctx, "range_length", r.start)
    stop = _scalar_int(ctx, "range_length", r.stop)
    if isinstance(r, UnitRange):
        return _iop(ctx, "stablehlo.maximum",
                    _iop(ctx, "stablehlo.add", _iop(ctx, "stablehlo.subtract", stop, start), 1), 0)
    step = _scalar_int(ctx, "range_length", r.step)
    zero = _icmp(ctx, step, "EQ", 0) if H.is_dyn(step) else step == 0
    if not H.is_dyn(zero) and zero:
        return 0
    safe = _iselect(ctx, zero, 1, step)
    n = _iop(ctx, "stablehlo.maximum", _iop(ctx, "stablehlo.add", _floordiv(
        ctx, _iop(ctx, "stablehlo.subtract", stop, start), safe), 1), 0)
    return _iselect(ctx, zero, 0, n)


@lowering("range_length")
def range_length_lower(ctx: Any, r: Any) -> Any:
    return _length_sym(ctx, r)


def _fields(r: Any) -> tuple:
    return (r.start, r.stop) if isinstance(r, UnitRange) else (r.start, r.step, r.stop)


def _bounds_check(ctx: Any, r: Any, i: Any, n: Any) -> None:
    """BoundsError (the reference evaluation's, on the run-time values) unless 1 <= i <= n."""
    bad_lo = _icmp(ctx, i, "LT", 1) if H.is_dyn(i) else int(i) < 1
    bad_hi = _icmp(ctx, i, "GT", n) if H.is_dyn(i) or H.is_dyn(n) else int(i) > int(n)
    if H.is_dyn(bad_lo) or H.is_dyn(bad_hi):
        bad = ctx.logical("or", ctx.dyn(bad_lo, np.bool_), ctx.dyn(bad_hi, np.bool_))
    else:
        bad = bad_lo or bad_hi
    parts = _fields(r) + (i,)
    dyn_at = [k for k, v in enumerate(parts) if H.is_dyn(v)]
    details = tuple(ctx.dyn(parts[k], _I64) for k in dyn_at)
    kind = type(r)

    def make(vals: tuple) -> source.ArrError:
        got = list(parts)
        for k, v in zip(dyn_at, vals):
            got[k] = int(v)
        rr = kind(*got[:-1])
        try:
            range_getindex(rr, got[-1])
        except source.ArrError as e:
            return e
        return bounds_error(rr, (got[-1],))
    ctx.check(bad, make, details)


def _exact_element(ctx: Any, r: Any, k0: Any, n: int) -> Any:
    """Element k0 + 1 (k0: Int64 Dyn, 0-based, known in range) of a constant float range,
    rounded once from its exact rational value."""
    a, s, _ = _range_parts(r)
    den = math.lcm(a.denominator, s.denominator)
    alpha, beta = int(a * den), int(s * den)
    big = max(abs(alpha), abs(alpha + (max(n, 1) - 1) * beta))
    if big >= 2 ** 53 or den >= 2 ** 53:
        ctx.fail("indexing a float range whose elements need more than 53 bits")
    num = _iop(ctx, "stablehlo.add", alpha, _iop(ctx, "stablehlo.multiply", k0, beta))
    from ..staging import scalar_type
    v = ctx.op("stablehlo.convert", [ctx.dyn(num, _I64)], scalar_type(_F64), _F64, ())
    if den != 1:
        # (the divisor behind a barrier: XLA turns a division by a constant into a
        # multiplication by its reciprocal, which is not correctly rounded)
        d = ctx.op("stablehlo.optimization_barrier", [ctx.const(float(den), _F64)],
                   scalar_type(_F64), _F64, ())
        v = ctx.op("stablehlo.divide", [v, d], scalar_type(_F64), _F64, ())
    dt = _range_eltype(r)
    return v if dt == _F64 else ctx.convert(v, dt)


@lowering("range_getindex")
def range_getindex_lower(ctx: Any, r: Any, i: Any) -> Any:
    if not isinstance(r, (UnitRange, StepRange)):
        ctx.fail(f"indexing a {type(r).__name__} as a range")
    di = H.leaf_dtype(i)
    if di is None or di.kind not in "iu":
        ctx.fail("a range index that is not an integer")
    k = _scalar_int(ctx, "range_getindex", i)
    if _is_float_symbolic(r):
        if _any_dyn(r):
            ctx.fail("a float range with run-time endpoints")
        n = range_length(r)
        _bounds_check(ctx, r, k, n)
        return _exact_element(ctx, r, _iop(ctx, "stablehlo.subtract", k, 1), n)
    n = _length_sym(ctx, r)
    _bounds_check(ctx, r, k, n)
    start = _scalar_int(ctx, "range_getindex", r.start)
    step = 1 if isinstance(r, UnitRange) else _scalar_int(ctx, "range_getindex", r.step)
    return _iop(ctx, "stablehlo.add", start,
                _iop(ctx, "stablehlo.multiply", _iop(ctx, "stablehlo.subtract", k, 1), step))


def _any_dyn(r: Any) -> bool:
    return any(H.is_dyn(v) for v in _fields(r))


@lowering("range_collect")
def range_collect_lower(ctx: Any, r: Any) -> Any:
    if not isinstance(r, (UnitRange, StepRange)):
        ctx.fail(f"`collect` of a {type(r).__name__} as a range")
    n = ctx.need_const(_length_sym(ctx, r), "the length of a collected range")
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    from ..staging import array_type
    start = _scalar_int(ctx, "range_collect", r.start)
    step = 1 if isinstance(r, UnitRange) else _scalar_int(ctx, "range_collect", r.step)
    at = array_type(_I64, 1)
    iota = ctx.op("stablehlo.iota", [], at, _I64, (n,), "iota_dimension = 0 : i64")
    if not (not H.is_dyn(step) and step == 1):
        iota = ctx.op("stablehlo.multiply", [iota, ctx.dyn(step, _I64, (n,))], at, _I64, (n,))
    return ctx.op("stablehlo.add", [iota, ctx.dyn(start, _I64, (n,))], at, _I64, (n,))
