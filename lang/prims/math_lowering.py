"""StableHLO lowerings of the intrinsics in `math_functions.py`, kept apart from the
reference evaluations for size.

Each rule mirrors the reference evaluation above on run-time values, aiming at the same
printed results as the interpreter, whose Float64 scalars go through the C library
(glibc's `math.exp`, ...):
  * sqrt, log, sin, cos, tan and atan2 are StableHLO ops that XLA computes by calling the
    C library: used as they are;
  * exp, exp2 (glibc's table-driven algorithms), expm1, log1p, log10, sinh, cosh and tanh
    (fdlibm's, as in glibc) are written out op by op (`_Calc`) and agree with glibc
    bit for bit on all tested inputs;
  * log2, asin, acos and cbrt are computed in double-double and rounded once (correctly
    rounded but for rare cases, which is what glibc returns almost always); atan is
    atan2(x, 1).
Two XLA behaviours shape the code: its simplifier reassociates float arithmetic with
constants (`(a + C1) - C2`, `a / C`), so float constants pass through an optimization
barrier; and LLVM fuses a multiply into a following add (FMA), as glibc's FMA builds do,
except where `_no_contract` stops it.  XLA's CPU runtime flushes subnormal operands to
zero: functions of subnormals may differ from the interpreter (log(5e-324) is -Inf).
Float32 / Float16 arguments of the functions XLA has (exp, log, tanh, ...) use XLA's
own vectorized functions (`_NATIVE_32`); the others are computed in Float64 and rounded
(numpy's own Float32 functions, which the interpreter uses, are not correctly rounded
either: they differ in the last bit now and then).  Domain errors become run-time checks that re-run the reference
evaluation on the first failing value, so the message is the interpreter's.
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from . import PRIMITIVES, lowering
from .math_functions import (_atan2_dtype, _copysign_dtype, float_dtype, is_int_kind,
                             no_method_for_values, promote_dtype)
from . import hlo_rules as H
from .libm import (_Calc, _acos_f64, _asin_f64, _atan_f64, _calc_for, _cbrt_f64, _cosh_f64,
                   _exp2_f64, _exp_f64, _expm1_f64, _log10_f64, _log1p_f64, _log2_f64,
                   _sinh_f64, _tanh_f64)

_F64 = np.dtype(np.float64)
_I64 = np.dtype(np.int64)
_BOOL = np.dtype(np.bool_)
_INT_OF = {2: np.dtype(np.int16), 4: np.dtype(np.int32), 8: np.dtype(np.int64)}

# ------------------------------------------------ the float functions
_ROUTINES: dict[str, Callable[[_Calc, Any], Any]] = {
    "sqrt": lambda c, x: c.un("sqrt", x),
    "cbrt": _cbrt_f64,
    "exp": _exp_f64,
    "exp2": _exp2_f64,
    "expm1": _expm1_f64,
    "log": lambda c, x: c.un("log", x),
    "log2": _log2_f64,
    "log10": _log10_f64,
    "log1p": _log1p_f64,
    "sin": lambda c, x: c.un("sine", x),
    "cos": lambda c, x: c.un("cosine", x),
    "tan": lambda c, x: c.un("tan", x),
    "asin": _asin_f64,
    "acos": _acos_f64,
    "atan": _atan_f64,
    "sinh": _sinh_f64,
    "cosh": _cosh_f64,
    "tanh": _tanh_f64,
}


# Float32 and Float16: XLA's own (vectorized) functions.  The interpreter's numpy
# functions in these types are not correctly rounded either, so there is no exact result
# to follow, and these are several times faster than the Float64 routines above
_NATIVE_32 = {"exp": "exponential", "expm1": "exponential_minus_one", "log": "log",
              "log1p": "log_plus_one", "sqrt": "sqrt", "cbrt": "cbrt", "sin": "sine",
              "cos": "cosine", "tan": "tan", "tanh": "tanh"}


def _infinite_at(c: _Calc, x: Any) -> Any:
    return c.cmp(c.un("abs", x), "EQ", math.inf)


# where the reference evaluation raises DomainError (the `domain` masks of `_unary_float`)
_DOMAINS: dict[str, Callable[[_Calc, Any], Any]] = {
    "sqrt": lambda c, x: c.cmp(x, "LT", 0.0),
    "log": lambda c, x: c.cmp(x, "LT", 0.0),
    "log2": lambda c, x: c.cmp(x, "LT", 0.0),
    "log10": lambda c, x: c.cmp(x, "LT", 0.0),
    "log1p": lambda c, x: c.cmp(x, "LT", -1.0),
    "sin": _infinite_at,
    "cos": _infinite_at,
    "tan": _infinite_at,
    "asin": lambda c, x: c.cmp(c.un("abs", x), "GT", 1.0),
    "acos": lambda c, x: c.cmp(c.un("abs", x), "GT", 1.0),
}


def _lower_unary_float(name: str) -> None:
    routine = _ROUTINES[name]
    domain = _DOMAINS.get(name)

    native = _NATIVE_32.get(name)

    def rule(ctx: Any, x: Any) -> Any:
        (dx,) = H.numeric_args(ctx, name, (x,))
        dt = float_dtype(dx)
        if native is not None and dt.itemsize <= 4:
            xd = ctx.dyn(x, dt)
            c = _Calc(ctx, xd.shape, H.is_array_value(x))
            if domain is not None:
                H.check_args(ctx, domain(c, xd), PRIMITIVES[name].impl, (x,))
            return c.un(native, xd)
        c, xf = _calc_for(ctx, x)
        if domain is not None:
            H.check_args(ctx, domain(c, xf), PRIMITIVES[name].impl, (x,))
        return c.conv(routine(c, xf), dt)
    rule.__name__ = f"{name}_lower"
    lowering(name)(rule)


for _name in _ROUTINES:
    _lower_unary_float(_name)


@lowering("atan2")
def atan2_lower(ctx: Any, y: Any, x: Any) -> Any:
    dy, dx = H.numeric_args(ctx, "atan2", (y, x))
    dt = _atan2_dtype(dy, dx)
    shape = max(H.leaf_shape(y), H.leaf_shape(x), key=len)
    yd, xd = ctx.dyn(y, dt, shape), ctx.dyn(x, dt, shape)
    c = _Calc(ctx, shape, H.is_array_value(y) or H.is_array_value(x))
    # a constant operand is hidden from LLVM, which rewrites atan2(y, 1.0) into a
    # vectorized atan whose results differ from the C library's (NaN stays NaN)
    if not H.is_dyn(x):
        xd = c.sel(c.cmp(yd, "NE", yd), yd, xd)
    if not H.is_dyn(y):
        yd = c.sel(c.cmp(xd, "NE", xd), xd, yd)
    return c.op("stablehlo.atan2", yd, xd)


# ------------------------------------------------ abs, sign, rounding
@lowering("abs")
def abs_lower(ctx: Any, x: Any) -> Any:
    (dx,) = H.numeric_args(ctx, "abs", (x,))
    if dx.kind in "bu":
        return x
    return H.elementwise(ctx, "stablehlo.abs", (x,), dx)


@lowering("sign")
def sign_lower(ctx: Any, x: Any) -> Any:
    (dx,) = H.numeric_args(ctx, "sign", (x,))
    if dx.kind == "b":
        return x
    if dx.kind == "u":
        return H.elementwise(ctx, "stablehlo.convert", (H.compare_op(ctx, "NE", (x, 0), dx),),
                             dx, np.dtype(np.bool_))
    return H.elementwise(ctx, "stablehlo.sign", (x,), dx)


def _lower_rounding(name: str) -> None:
    def rule(ctx: Any, x: Any) -> Any:
        (dx,) = H.numeric_args(ctx, name, (x,))
        if dx.kind != "f":
            return x
        if name == "trunc":
            neg = H.compare_op(ctx, "LT", (x, 0.0), dx)
            up = H.elementwise(ctx, "stablehlo.ceil", (x,), dx)
            down = H.elementwise(ctx, "stablehlo.floor", (x,), dx)
            return ctx.select(neg, up, down)
        op = {"floor": "stablehlo.floor", "ceil": "stablehlo.ceil",
              "round": "stablehlo.round_nearest_even"}[name]
        return H.elementwise(ctx, op, (x,), dx)
    rule.__name__ = f"{name}_lower"
    lowering(name)(rule)


for _name in ("floor", "ceil", "trunc", "round"):
    _lower_rounding(_name)


# ------------------------------------------------ min, max
def _lower_minmax(name: str) -> None:
    def rule(ctx: Any, x: Any, y: Any) -> Any:
        dx, dy = H.numeric_args(ctx, name, (x, y))
        dt = promote_dtype(dx, dy)
        if dt.kind == "b":
            return H.elementwise(ctx, "stablehlo.and" if name == "min" else "stablehlo.or",
                                 (x, y), dt)
        if dt.kind != "f":
            return H.elementwise(ctx, f"stablehlo.{'minimum' if name == 'min' else 'maximum'}",
                                 (x, y), dt)
        if _on_cpu():
            # XLA's CPU maximum/minimum are IEEE 754-2019's: NaN wins and -0.0 < 0.0, in
            # either order (checked in tests/test_jit.py), which is Julia's max/min
            return H.elementwise(ctx, f"stablehlo.{'minimum' if name == 'min' else 'maximum'}",
                                 (x, y), dt)
        shape = max(H.leaf_shape(x), H.leaf_shape(y), key=len)
        xd, yd = ctx.dyn(x, dt, shape), ctx.dyn(y, dt, shape)
        args = (xd, yd)
        # NaN wins (x's, or y's through the comparisons failing); of equal values the one
        # with the sign bit set is the min (-0.0 < 0.0)
        first = H.compare_op(ctx, "LT" if name == "min" else "GT", args, dt)
        eq = H.compare_op(ctx, "EQ", args, dt)
        neg = _signbit_dyn(ctx, xd if name == "min" else yd)
        pick_x = H.elementwise(ctx, "stablehlo.or", (first, H.elementwise(
            ctx, "stablehlo.and", (eq, neg), _BOOL)), _BOOL)
        pick_x = H.elementwise(ctx, "stablehlo.or", (pick_x, H.compare_op(
            ctx, "NE", (xd, xd), dt)), _BOOL)
        res = ctx.select(pick_x, xd, yd)
        at = H.result_type(dt, (x, y), shape)
        return res if res.arr_type == at else _retype(res, at)
    rule.__name__ = f"{name}_lower"
    lowering(name)(rule)


def _on_cpu() -> bool:
    import os
    return os.environ.get("ARR_PLATFORM", "cpu").lower() == "cpu"


def _retype(d: Any, at: Any) -> Any:
    from ..staging import Dyn
    return Dyn(d.name, at, d.dtype, d.shape, d.origins)


def _signbit_dyn(ctx: Any, xd: Any) -> Any:
    """The sign bit of a float Dyn (true for -0.0 and negative NaNs)."""
    c = _Calc(ctx, xd.shape, xd.is_array)
    return c.cmp(c.bits(xd), "LT", 0)


_lower_minmax("min")
_lower_minmax("max")


# ------------------------------------------------ copysign, signbit, nextfloat
@lowering("signbit")
def signbit_lower(ctx: Any, x: Any) -> Any:
    (dx,) = H.numeric_args(ctx, "signbit", (x,))
    xd = ctx.dyn(x)
    if dx.kind == "f":
        res = _signbit_dyn(ctx, xd)
    elif dx.kind == "i":
        res = ctx.compare(xd, ctx.const(0, dx, xd.shape), "LT")
    else:
        res = ctx.const(False, _BOOL, xd.shape)
    return _retype(res, H.result_type(_BOOL, (x,), xd.shape))


@lowering("copysign")
def copysign_lower(ctx: Any, x: Any, y: Any) -> Any:
    dx, dy = H.numeric_args(ctx, "copysign", (x, y))
    dt = _copysign_dtype(dx, dy)
    shape = max(H.leaf_shape(x), H.leaf_shape(y), key=len)
    xd = ctx.dyn(x, dt, shape)
    yd = ctx.dyn(y, None, shape)
    neg = _signbit_dyn(ctx, yd) if dy.kind == "f" else \
        ctx.compare(yd, ctx.const(0, dy, shape), "LT") if dy.kind == "i" else \
        ctx.const(False, _BOOL, shape)
    c = _Calc(ctx, shape, H.is_array_value(x) or H.is_array_value(y))
    mag = c.and_(c.bits(xd), (1 << (8 * dt.itemsize - 1)) - 1)
    sign = c.sel(neg, c.c(-(1 << (8 * dt.itemsize - 1)), mag.dtype), c.c(0, mag.dtype))
    return c.from_bits(c.or_(mag, sign), dt)


@lowering("nextfloat")
def nextfloat_lower(ctx: Any, x: Any, n: Any) -> Any:
    dx, dn = H.numeric_args(ctx, "nextfloat", (x, n))
    if dx.kind != "f" or not is_int_kind(dn) or H.is_array_value(n):
        raise H.ctx_static(no_method_for_values("nextfloat", H._stand_in(x), H._stand_in(n)))
    xd = ctx.dyn(x)
    c = _Calc(ctx, xd.shape, H.is_array_value(x))
    width = 8 * dx.itemsize
    b = c.conv(c.bits(xd), _I64)
    mag = c.and_(b, (1 << (width - 1)) - 1)
    # floats in order as integers: -0.0 and 0.0 both 0, negatives below
    o = c.sel(c.cmp(b, "LT", 0), c.un("negate", mag), mag)
    nd = c.conv(ctx.dyn(n), _I64) if H.is_dyn(n) else c.c(int(n), _I64)
    inf_o = int(np.array(np.inf, dx).view(_INT_OF[dx.itemsize]))
    lim = c.c(inf_o, _I64)
    o2 = c.add(o, nd)
    # past the infinities: stay there (and a wrapped sum is past them too)
    up = c.cmp(nd, "GT", 0)
    o2 = c.sel(up, c.sel(c.or_(c.cmp(o2, "GT", lim), c.cmp(o2, "LT", o)), lim, o2),
               c.sel(c.or_(c.cmp(o2, "LT", c.un("negate", lim)), c.cmp(o2, "GT", o)),
                     c.un("negate", lim), o2))
    # back to bits; stepping up onto zero gives -0.0, down onto zero 0.0 (as nextafter)
    nb = c.sel(c.cmp(o2, "LT", 0), c.or_(c.un("negate", o2), -(1 << (width - 1))), o2)
    nb = c.sel(c.and_(c.cmp(o2, "EQ", 0), up), -(1 << (width - 1)), nb)
    idt = _INT_OF[dx.itemsize]
    res = c.from_bits(c.conv(nb, idt) if idt != _I64 else nb, dx)
    res = c.sel(c.cmp(nd, "EQ", 0), xd, res)
    return c.sel(c.cmp(xd, "NE", xd), xd, res)
