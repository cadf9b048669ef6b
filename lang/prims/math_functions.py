"""Elementwise math intrinsics: `sqrt`, `exp`, `log`, trigonometry, `atan2`, `abs`, `sign`,
rounding, `min` / `max`, `copysign`, `signbit` and `nextfloat`.

Like those of `scalar.py`, they take scalars or same-shape numpy arrays and follow Julia:
  * integer arguments of the float functions are converted to Float64 first;
  * they raise DomainError where Julia does (sqrt(-1.0), log(-1.0), asin(2.0), sin(Inf));
  * `round` rounds half to even; `min` / `max` propagate NaN and order -0.0 before 0.0;
    abs(typemin(Int64)) wraps to typemin(Int64).

Python floats go through the `math` module (fast); everything else through numpy, inside
`np.errstate(all="ignore")` so that overflow gives Inf instead of a warning.

Each intrinsic's shape rule is registered right under its evaluation, from the helpers of
`scalar.py` ("shape rules: the helpers"): the float functions give `float_dtype` (integers
become Float64), `abs`, `sign` and rounding keep the type, `min` / `max` promote.
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from . import primitive, shape_rule
from .scalar import (AbstractValue, _cast_to, _domain_error, _first_bad, _quiet, as_float,
                     bool_dtype, element_dtype, elementwise_layout, float_dtype,
                     from_numpy_like, is_int_kind, no_method, no_method_for_values,
                     numeric_operands, promote_dtype, register_elementwise_rule, same_dtype,
                     to_numpy, value_dtype, wrap64)
from .. import lattice as L, types as T


# ---------------------------------------------------------------- unary math
def _unary_float(name: str, py_fn: Callable[[float], float] | None, np_fn: Callable[[Any], Any],
                 derivative: str, domain: Callable[[Any], Any] | None = None,
                 domain_msg: str = "", overflow_sign: bool = False) -> None:
    """Register a float-valued math function.  `domain(x)` is the mask of arguments for
    which Julia raises DomainError."""
    def impl(x: Any) -> Any:
        x = as_float(x)
        if type(x) is float and py_fn is not None:
            try:
                return py_fn(x)
            except OverflowError:
                if overflow_sign:
                    return math.copysign(math.inf, x)
                return math.inf
            except ValueError:
                pass   # domain error or a special value: decide below with numpy
        ax = to_numpy(x)
        if value_dtype(ax) is None:
            raise no_method_for_values(name, x)
        if domain is not None:
            bad = domain(ax)
            if np.any(bad):
                raise _domain_error(_first_bad(x, bad), domain_msg)
        return from_numpy_like(_quiet(np_fn, ax), ax)
    impl.__name__ = name
    impl.__doc__ = f"Elementwise `{name}` (integers are converted to Float64)."
    primitive(name, 1, derivative=derivative)(impl)
    register_elementwise_rule(name, impl, float_dtype)


def _complex_msg(fn: str) -> str:
    return (f"{fn} was called with a negative real argument but will only return a complex "
            f"result if called with a complex argument. Try {fn}(Complex(x)).")


def _negative(x: Any) -> Any:
    return x < 0


def _infinite(x: Any) -> Any:
    return np.isinf(x)


def _outside_unit(x: Any) -> Any:
    return np.abs(x) > 1


_unary_float("sqrt", math.sqrt, np.sqrt, "sqrt", _negative, _complex_msg("sqrt"))
_unary_float("cbrt", None, np.cbrt, "cbrt")    # math.cbrt(-27.0) is not exact
_unary_float("exp", math.exp, np.exp, "exp")
_unary_float("exp2", math.exp2, np.exp2, "exp2")
_unary_float("expm1", math.expm1, np.expm1, "expm1")
_unary_float("log", math.log, np.log, "log", _negative, _complex_msg("log"))
_unary_float("log2", math.log2, np.log2, "log2", _negative, _complex_msg("log2"))
_unary_float("log10", math.log10, np.log10, "log10", _negative, _complex_msg("log10"))
_unary_float("log1p", math.log1p, np.log1p, "log1p", lambda x: x < -1,
             "log1p was called with a real argument < -1 but will only return a complex result "
             "if called with a complex argument. Try log1p(Complex(x)).")
_unary_float("sin", math.sin, np.sin, "sin", _infinite, "sin(x) is only defined for finite x.")
_unary_float("cos", math.cos, np.cos, "cos", _infinite, "cos(x) is only defined for finite x.")
_unary_float("tan", math.tan, np.tan, "tan", _infinite, "tan(x) is only defined for finite x.")
_unary_float("asin", math.asin, np.arcsin, "asin", _outside_unit,
             "asin(x) is not defined for |x| > 1.")
_unary_float("acos", math.acos, np.arccos, "acos", _outside_unit,
             "acos(x) is not defined for |x| > 1.")
_unary_float("atan", math.atan, np.arctan, "atan")
_unary_float("sinh", math.sinh, np.sinh, "sinh", overflow_sign=True)
_unary_float("cosh", math.cosh, np.cosh, "cosh")
_unary_float("tanh", math.tanh, np.tanh, "tanh")


@primitive("atan2", 2, derivative="atan2")
def atan2(y: Any, x: Any) -> Any:
    """`atan(y, x)`: the angle of the point (x, y), in (-pi, pi]."""
    ty, tx = type(y), type(x)
    if (ty is float or ty is int) and (tx is float or tx is int):
        return math.atan2(float(y), float(x))
    ay, ax = numeric_operands("atan2", y, x)    # atan(Float32, Int64) is a Float32 (Julia)
    return from_numpy_like(_quiet(np.arctan2, as_float(ay), as_float(ax)), y, x)


def _atan2_dtype(a: np.dtype, b: np.dtype) -> np.dtype:
    return float_dtype(promote_dtype(a, b))


register_elementwise_rule("atan2", atan2, _atan2_dtype)


@primitive("abs", 1, derivative="abs")
def abs_(x: Any) -> Any:
    """`abs(x)`; abs(typemin(Int64)) wraps to typemin(Int64) as in Julia."""
    t = type(x)
    if t is int:
        return wrap64(abs(x))
    if t is float:
        return abs(x)
    if t is bool:
        return x
    dt = value_dtype(x)
    if dt is None:
        raise no_method_for_values("abs", x)
    if dt == np.bool_:
        return x
    return from_numpy_like(_quiet(np.abs, x), x)


register_elementwise_rule("abs", abs_, same_dtype)


@primitive("sign", 1, derivative="none")
def sign(x: Any) -> Any:
    """`sign(x)`: -1, 0 or 1 of x's type; sign(-0.0) is -0.0 and sign(NaN) is NaN."""
    t = type(x)
    if t is int:
        return (x > 0) - (x < 0)
    if t is bool:
        return x
    if t is float:
        if x == 0.0 or x != x:
            return x
        return 1.0 if x > 0 else -1.0
    if value_dtype(x) is None:
        raise no_method_for_values("sign", x)
    ax = np.asarray(x)
    if ax.dtype == np.bool_:
        return x
    res = np.where(ax == 0, ax, np.sign(ax)).astype(ax.dtype)
    return from_numpy_like(res if isinstance(x, np.ndarray) else ax.dtype.type(res), x)


register_elementwise_rule("sign", sign, same_dtype)


def _rounding(name: str, np_fn: Callable[[Any], Any]) -> None:
    def impl(x: Any) -> Any:
        if type(x) in (int, bool):
            return x
        if value_dtype(x) is None:
            raise no_method_for_values(name, x)
        if isinstance(x, (np.ndarray, np.generic)) and x.dtype.kind in "biu":
            return x
        return from_numpy_like(_quiet(np_fn, to_numpy(x)), x)
    impl.__name__ = name
    impl.__doc__ = (f"Elementwise `{name}` of a float, keeping its type (integers unchanged)."
                    + (" Ties round to even." if name == "round" else ""))
    primitive(name, 1, derivative="none")(impl)
    register_elementwise_rule(name, impl, same_dtype)


_rounding("floor", np.floor)
_rounding("ceil", np.ceil)
_rounding("trunc", np.trunc)
_rounding("round", np.round)    # numpy rounds half to even, like Julia's RoundNearest


def _float_min(x: float, y: float) -> float:
    if x != x or y != y:
        return math.nan
    if x == y:
        return x if math.copysign(1.0, x) < 0 else y
    return x if x < y else y


def _float_max(x: float, y: float) -> float:
    if x != x or y != y:
        return math.nan
    if x == y:
        return y if math.copysign(1.0, x) < 0 else x
    return x if x > y else y


def _np_min(x: Any, y: Any) -> Any:
    # np.minimum propagates NaN; of equal values (0.0 and -0.0) pick as `_float_min` does
    # (numpy's SIMD loops return either operand for them)
    m = np.minimum(x, y)
    if value_dtype(m) is not None and value_dtype(m).kind == "f":
        m = np.where(x == y, np.where(np.signbit(x), x, y), m) if np.ndim(m) else \
            ((x if np.signbit(x) else y) if x == y else m)
    return m


def _np_max(x: Any, y: Any) -> Any:
    m = np.maximum(x, y)
    if value_dtype(m) is not None and value_dtype(m).kind == "f":
        m = np.where(x == y, np.where(np.signbit(x), y, x), m) if np.ndim(m) else \
            ((y if np.signbit(x) else x) if x == y else m)
    return m


def _minmax(name: str, py_float: Callable[[float, float], float],
            np_fn: Callable[[Any, Any], Any]) -> None:
    def impl(x: Any, y: Any) -> Any:
        tx, ty = type(x), type(y)
        if tx is int and ty is int:
            return x if (x < y) == (name == "min") else y
        if (tx is float or tx is int) and (ty is float or ty is int):
            return py_float(float(x), float(y))
        return from_numpy_like(np_fn(*numeric_operands(name, x, y)), x, y)
    impl.__name__ = name
    impl.__doc__ = (f"Elementwise `{name}` after promotion; NaN wins, and -0.0 is less than 0.0.")
    primitive(name, 2, derivative=name)(impl)
    register_elementwise_rule(name, impl, promote_dtype)


_minmax("min", _float_min, _np_min)
_minmax("max", _float_max, _np_max)


@primitive("copysign", 2, derivative="copysign")
def copysign(x: Any, y: Any) -> Any:
    """`copysign(x, y)`: |x| with the sign of y, of x's type (as a float)."""
    if type(x) is float and type(y) is float:
        return math.copysign(x, y)
    numeric_operands("copysign", x, y)         # checks only: the result has x's type
    ax, ay = to_numpy(as_float(x)), to_numpy(as_float(y))
    return from_numpy_like(np.copysign(ax, _cast_to(ay, value_dtype(ax))), x, y)  # keeps sign


def _copysign_dtype(a: np.dtype, b: np.dtype) -> np.dtype:
    return float_dtype(a)


register_elementwise_rule("copysign", copysign, _copysign_dtype)


@primitive("signbit", 1, derivative="none")
def signbit(x: Any) -> Any:
    """`signbit(x)`: true when the sign bit is set (so also for -0.0)."""
    if type(x) is float:
        return math.copysign(1.0, x) < 0
    if type(x) is int:
        return x < 0
    ax = to_numpy(x)
    if value_dtype(ax) is None:
        raise no_method_for_values("signbit", x)
    return from_numpy_like(np.signbit(ax), x)


register_elementwise_rule("signbit", signbit, bool_dtype)


@primitive("nextfloat", 2, derivative="none")
def nextfloat(x: Any, n: Any) -> Any:
    """`nextfloat(x, n)`: the n-th representable float after x (before x if n < 0)."""
    ax = to_numpy(x)
    dx, dn = value_dtype(ax), value_dtype(n)
    if dx is None or dx.kind != "f" or dn is None or not is_int_kind(dn) \
            or isinstance(n, np.ndarray):
        raise no_method_for_values("nextfloat", x, n)
    toward = ax.dtype.type(np.inf if n >= 0 else -np.inf)
    for _ in range(abs(int(n))):
        ax = _quiet(np.nextafter, ax, toward)
    return from_numpy_like(ax, x)


# Not folded: the evaluation takes |n| steps.
@shape_rule("nextfloat")
def nextfloat_shape(x: AbstractValue, n: AbstractValue) -> AbstractValue:
    """A float of x's type and shape, moved by an integer n."""
    layout = elementwise_layout(x)
    dx, dn = element_dtype(x), element_dtype(n)
    if layout is None or dx is None or dn is None or elementwise_layout(n) is None:
        return L.TOP
    if dx.kind != "f" or not is_int_kind(dn) or elementwise_layout(n).is_array:
        raise no_method("nextfloat", T.show_type(x.type), T.show_type(n.type))
    return layout.result(T.eltype_from_dtype(dx))
