"""Elementwise intrinsics: arithmetic, comparisons, logic and conversion.  The scalar
representation helpers every intrinsic family uses live in `numeric.py` and are
re-exported from here.

Every intrinsic here takes scalars (Python int/float/bool or numpy scalars, see values.py) or
same-shape numpy arrays (DimensionMismatch for arrays of different shapes: broadcasting is
the stdlib's job), and returns the same kind of value.  The stdlib promotes the arguments
first (`+(x::Number, y::Number) = +(promote(x, y)...)`), so an intrinsic normally sees
operands of one type; mixed operands still work and follow Julia's promotion
(`promote_dtype`).

Each intrinsic's shape rule is registered right under its reference evaluation; most are
`elementwise_rule`s built from a function from argument dtypes to the result dtype
(`arithmetic_dtype`, `float_dtype`, ...), see "shape rules" in `numeric.py`.

Semantics follow Julia:
  * Int64 arithmetic wraps (two's complement), on Python ints as in numpy int64 arrays;
  * integer `int_div` truncates, `int_rem` has the sign of the dividend, and both raise
    DivideError on a zero divisor (and on typemin(Int) / -1);
  * float operations are IEEE (1/0 = Inf); `pow` raises DomainError where Julia does
    ((-2.0)^0.5, 2^-1);
  * `convert` raises InexactError for a value that does not fit the target type exactly;
  * shifts keep the type of the shifted value (a Bool shifts as an Int64);
  * a 0-d array in gives a 0-d array out;
  * a String, `nothing` or another non-number raises MethodError (comparisons excepted), as
    do floats for the integer operations (`&`, `~`, shifts).

The math functions (`sqrt`, `exp`, `sin`, `abs`, `round`, `min`, ...) are in
`math_functions.py`.

Python floats go through the `math` module (fast); everything else through numpy, inside
`np.errstate(all="ignore")` so that overflow gives Inf instead of a warning.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from . import primitive, shape_rule
from .. import lattice as L, source, types as T
from ..lattice import AbstractValue
from ..values import box
from .numeric import (  # noqa: F401  (re-exported: other families import them from here)
    INT64, FLOAT64, BOOL, _arr_type_name,
    INT64_MIN, INT64_MAX, _MASK64, wrap64, to_numpy, from_numpy, from_numpy_like, is_array,
    is_float_value, as_float, arr_repr, _NAME_TO_DTYPE, _DTYPE_TO_NAME, type_name,
    type_name_of_dtype, _DTYPE_OF_TYPE, dtype_of, scalar_dtype, value_dtype, make_scalar,
    promote_dtype, as_int, shape_tuple, _quiet, exception_value, _domain_error, _first_bad,
    dims_string, shape_mismatch, check_same_shape, no_method, no_method_for_values,
    ElementwiseLayout, SCALAR_LAYOUT, _array_rank, elementwise_layout, element_dtype,
    folds_constants, _is_nan, elementwise_rule, register_elementwise_rule, is_int_kind,
    _int_if_bool, arithmetic_dtype, float_dtype, same_dtype, bool_dtype,
)


# ---------------------------------------------------------------- binary arithmetic
# Mixed operand types are promoted first, by Julia's rules (Int64 + Float32 is Float32,
# Int32 + Int64 is Int64, Bool + T is T), so `+(x::BitReal, y::BitReal)` can call the
# intrinsic directly.
def _cast_to(x: Any, dt: np.dtype) -> Any:
    if isinstance(x, np.ndarray):
        return x if x.dtype == dt else _quiet(x.astype, dt)
    return _quiet(dt.type, x)


def promote_operands(x: Any, y: Any) -> tuple[Any, Any]:
    """x and y as numpy values of their promoted type (Julia's promote_type)."""
    ax, ay = to_numpy(x), to_numpy(y)
    dx, dy = value_dtype(ax), value_dtype(ay)
    if dx is None or dy is None or dx == dy:
        return ax, ay
    dt = promote_dtype(dx, dy)
    return _cast_to(ax, dt), _cast_to(ay, dt)


def numeric_operands(name: str, x: Any, y: Any) -> tuple[Any, Any]:
    """`promote_operands(x, y)` for the numpy path of an elementwise intrinsic: numbers or
    numeric arrays (MethodError otherwise) of one shape (DimensionMismatch otherwise)."""
    check_same_shape(x, y)
    ax, ay = promote_operands(x, y)
    if value_dtype(ax) is None or value_dtype(ay) is None:
        raise no_method_for_values(name, x, y)
    return ax, ay


def _bools_to_int(ax: Any, ay: Any) -> tuple[Any, Any]:
    if value_dtype(ax) == np.bool_:          # Bool arithmetic gives Int
        return _cast_to(ax, np.dtype(np.int64)), _cast_to(ay, np.dtype(np.int64))
    return ax, ay


def _binary(name: str, py_op: Callable[[Any, Any], Any], np_fn: Callable[[Any, Any], Any],
            derivative: str, bool_to_int: bool) -> None:
    """Register `name` with its shape rule: the promoted type (Int64 for two Bools when
    `bool_to_int`, as `true + true == 2` but `true * true == true`)."""
    def impl(x: Any, y: Any) -> Any:
        tx, ty = type(x), type(y)
        if tx is int and ty is int:
            return wrap64(py_op(x, y))
        if (tx is float and (ty is float or ty is int)) or (tx is int and ty is float):
            return py_op(float(x), float(y))
        if tx is bool and ty is bool and bool_to_int:
            return wrap64(py_op(int(x), int(y)))
        ax, ay = numeric_operands(name, x, y)
        if bool_to_int:
            ax, ay = _bools_to_int(ax, ay)
        return from_numpy_like(_quiet(np_fn, ax, ay), ax, ay)
    impl.__name__ = name
    impl.__doc__ = (f"Elementwise `{name}` of two numbers or same-shape arrays, after promoting "
                    "them to a common type.")
    primitive(name, 2, derivative=derivative)(impl)
    register_elementwise_rule(name, impl, arithmetic_dtype if bool_to_int else promote_dtype)


_binary("add", lambda a, b: a + b, np.add, "add", True)          # rule: arithmetic_dtype
_binary("sub", lambda a, b: a - b, np.subtract, "sub", True)     # rule: arithmetic_dtype
_binary("mul", lambda a, b: a * b, np.multiply, "mul", False)    # rule: promote_dtype


@primitive("div", 2, derivative="div")
def div(x: Any, y: Any) -> Any:
    """Float division `x / y` after promotion (integers are divided as Float64; 1/0 is Inf)."""
    tx, ty = type(x), type(y)
    if (tx is float or tx is int) and (ty is float or ty is int) and y != 0:
        return float(x) / float(y)
    ax, ay = numeric_operands("div", x, y)
    if value_dtype(ax).kind in "iub":
        ax, ay = _cast_to(ax, np.dtype(np.float64)), _cast_to(ay, np.dtype(np.float64))
    return from_numpy_like(_quiet(np.divide, ax, ay), x, y)


def _div_dtype(a: np.dtype, b: np.dtype) -> np.dtype:
    return float_dtype(promote_dtype(a, b))


register_elementwise_rule("div", div, _div_dtype)


@primitive("neg", 1, derivative="neg")
def neg(x: Any) -> Any:
    """Elementwise negation `-x` (wraps for typemin(Int64))."""
    if type(x) is int:
        return wrap64(-x)
    if type(x) is float:
        return -x
    if type(x) is bool:
        return -int(x)
    if value_dtype(x) is None:
        raise no_method_for_values("neg", x)
    if isinstance(x, (np.ndarray, np.generic)) and x.dtype == np.bool_:
        x = x.astype(np.int64)
    return from_numpy_like(_quiet(np.negative, x), x)


register_elementwise_rule("neg", neg, _int_if_bool)


def _int_pow(x: int, n: int) -> int:
    if n < 0:
        if x == 1:
            return 1
        if x == -1:
            return 1 if n % 2 == 0 else -1
        raise _domain_error(n, f"Cannot raise an integer x to a negative power {n}.\n"
                               f"Make x or {n} a float by adding a zero decimal (e.g., 2.0^{n} "
                               f"or 2^{float(n)} instead of 2^{n})or write 1/x^{-n}, "
                               f"float(x)^{n}, x^float({n}) or (x//1)^{n}.")
    return wrap64(pow(x, n, 1 << 64))


@primitive("pow", 2, derivative="pow")
def pow_(x: Any, y: Any) -> Any:
    """`x ^ y`.  With an integer exponent the result has the base's type (integer powers
    wrap; a negative power of an integer other than ±1 is a DomainError); otherwise the
    operands are promoted, and a negative base with a non-integer exponent is a DomainError."""
    tx, ty = type(x), type(y)
    if tx is int and ty is int:
        return _int_pow(x, y)
    ax, ay = to_numpy(x), to_numpy(y)
    dx, dy = value_dtype(ax), value_dtype(ay)
    if dx is None or dy is None:
        raise source.MethodError(f"no method matching ^(::{_arr_type_name(x)}, "
                                 f"::{_arr_type_name(y)})")
    check_same_shape(ax, ay)
    if dy.kind in "iub":
        if dx.kind in "iub":
            iy = np.asarray(ay).astype(np.int64)
            bad = (iy < 0) & (np.abs(np.asarray(ax).astype(np.int64)) != 1)
            if np.any(bad):
                _int_pow(2, int(_first_bad(np.broadcast_to(iy, bad.shape), bad)))
            if dx == np.bool_:
                res = np.asarray(ax) | (iy == 0)
            else:
                base = np.asarray(ax)
                # integer powers wrap: computed modulo 2^64 in UInt64, whose low bits they are
                wrapped = _quiet(np.power, base.astype(np.uint64),
                                 np.maximum(iy, 0).astype(np.uint64)).astype(dx)
                res = np.where(iy < 0, np.where(iy % 2 == 0, 1, base), wrapped)
            res = np.asarray(res).astype(dx)
            return from_numpy_like(res, ax, ay)
        ay = _cast_to(ay, dx)            # a float base keeps its precision
    else:
        ax, ay = promote_operands(ax, ay)
    res = _quiet(np.power, ax, ay)
    nan_out = np.isnan(res)
    if np.any(nan_out):
        bad = nan_out & ~np.isnan(ax) & ~np.isnan(ay)
        if np.any(bad):
            raise _domain_error(_first_bad(ax, np.broadcast_to(bad, np.shape(res))),
                                "Exponentiation yielding a complex result requires a complex "
                                "argument.\nReplace x^y with (x+0im)^y, Complex(x)^y, or similar.")
    return from_numpy_like(res, ax, ay)


def _pow_dtype(a: np.dtype, b: np.dtype) -> np.dtype:
    """An integer (or Bool) exponent keeps the base's type; otherwise the promoted type."""
    return a if is_int_kind(b) else promote_dtype(a, b)


register_elementwise_rule("pow", pow_, _pow_dtype)


def divide_error() -> source.ArrError:
    return source.DivideError("integer division error", value=exception_value("DivideError"))


def _int_operands(name: str, x: Any, y: Any) -> tuple[Any, Any] | None:
    """The promoted operands when both are integers (Bools as Int64), else None."""
    ax, ay = numeric_operands(name, x, y)
    if value_dtype(ax).kind not in "iub" or value_dtype(ay).kind not in "iub":
        return None
    ax, ay = _bools_to_int(ax, ay)
    if np.any(np.asarray(ay) == 0):
        raise divide_error()
    return ax, ay


@primitive("int_div", 2, derivative="none")
def int_div(x: Any, y: Any) -> Any:
    """`x ÷ y`: division truncated toward zero, after promotion.  DivideError for an integer
    zero divisor (and for typemin ÷ -1)."""
    if type(x) is int and type(y) is int:
        if y == 0 or (x == INT64_MIN and y == -1):
            raise divide_error()
        q = abs(x) // abs(y)
        return q if (x < 0) == (y < 0) else -q
    ints = _int_operands("int_div", x, y)
    if ints is not None:
        ax, ay = ints
        dt = value_dtype(ax)
        if dt.kind == "i" and np.any((np.asarray(ax) == np.iinfo(dt).min) & (np.asarray(ay) == -1)):
            raise divide_error()
        q = _quiet(np.floor_divide, ax, ay)
        fix = (_quiet(np.remainder, ax, ay) != 0) & ((np.asarray(ax) < 0) != (np.asarray(ay) < 0))
        return from_numpy_like(np.where(fix, q + 1, q).astype(np.asarray(q).dtype), x, y)
    ax, ay = promote_operands(x, y)        # Float32 ÷ Int64 is a Float32, as in Julia
    r = _quiet(np.fmod, ax, ay)
    return from_numpy_like(_quiet(np.trunc, _quiet(np.divide, ax - r, ay)), x, y)


register_elementwise_rule("int_div", int_div, arithmetic_dtype)


@primitive("int_rem", 2, derivative="rem")
def int_rem(x: Any, y: Any) -> Any:
    """`x % y` = `rem(x, y)`: the remainder with the sign of the dividend, after promotion.
    DivideError for an integer zero divisor; `fmod` for floats."""
    if type(x) is int and type(y) is int:
        if y == 0:
            raise divide_error()
        r = abs(x) % abs(y)
        return -r if x < 0 else r
    ints = _int_operands("int_rem", x, y)
    if ints is not None:
        return from_numpy_like(_quiet(np.fmod, *ints), x, y)
    return from_numpy_like(_quiet(np.fmod, *promote_operands(x, y)), x, y)


register_elementwise_rule("int_rem", int_rem, arithmetic_dtype)


# ---------------------------------------------------------------- comparisons and logic
def _compare(name: str, py_op: Callable[[Any, Any], bool], np_fn: Callable[[Any, Any], Any]) -> None:
    def impl(x: Any, y: Any) -> Any:
        tx, ty = type(x), type(y)
        if (tx is int or tx is float or tx is bool) and (ty is int or ty is float or ty is bool):
            return py_op(x, y)
        if tx is str and ty is str:
            return py_op(x, y)
        check_same_shape(x, y)
        return from_numpy_like(np_fn(to_numpy(x), to_numpy(y)), x, y)
    impl.__name__ = name
    impl.__doc__ = f"Elementwise comparison `{name}` (IEEE: comparisons with NaN are false)."
    primitive(name, 2, derivative="none")(impl)
    shape_rule(name)(folds_constants(impl)(comparison_shape))


def comparison_shape(x: AbstractValue, y: AbstractValue) -> AbstractValue:
    """A comparison gives a Bool, or an array of Bools, whatever it compares."""
    layout = elementwise_layout(x, y)
    return L.TOP if layout is None else layout.result(T.BUILTIN_TYPES["Bool"])


_compare("eq", lambda a, b: a == b, np.equal)
_compare("ne", lambda a, b: a != b, np.not_equal)
_compare("lt", lambda a, b: a < b, np.less)
_compare("le", lambda a, b: a <= b, np.less_equal)
_compare("gt", lambda a, b: a > b, np.greater)
_compare("ge", lambda a, b: a >= b, np.greater_equal)


def _logic(name: str, py_op: Callable[[Any, Any], Any], np_fn: Callable[[Any, Any], Any]) -> None:
    def impl(x: Any, y: Any) -> Any:
        tx, ty = type(x), type(y)
        if tx is bool and ty is bool:
            return bool(py_op(x, y))
        if tx is int and ty is int:
            return py_op(x, y)
        ax, ay = numeric_operands(name, x, y)
        if not is_int_kind(value_dtype(ax)) or not is_int_kind(value_dtype(ay)):
            raise no_method_for_values(name, x, y)
        return from_numpy_like(np_fn(ax, ay), x, y)
    impl.__name__ = name
    impl.__doc__ = f"Elementwise `{name}`: logical on Bool, bitwise on integers (promoted)."
    primitive(name, 2, derivative="none")(impl)
    register_elementwise_rule(name, impl, _logic_dtype)


def _logic_dtype(a: np.dtype, b: np.dtype) -> np.dtype | None:
    """The promoted type of Bools and integers (no method for floats)."""
    return promote_dtype(a, b) if is_int_kind(a) and is_int_kind(b) else None


_logic("and", lambda a, b: a & b, np.bitwise_and)
_logic("or", lambda a, b: a | b, np.bitwise_or)
_logic("xor", lambda a, b: a ^ b, np.bitwise_xor)


@primitive("not", 1, derivative="none")
def not_(x: Any) -> Any:
    """`!x` on Bool, `~x` (bitwise complement) on integers."""
    if type(x) is bool:
        return not x
    if type(x) is int:
        return ~x
    ax = to_numpy(x)
    if value_dtype(ax) is None or not is_int_kind(value_dtype(ax)):
        raise no_method_for_values("not", x)
    return from_numpy_like(np.invert(ax), x)


def _int_dtype(dt: np.dtype) -> np.dtype | None:
    """The type itself for Bool and integers (no method for floats)."""
    return dt if is_int_kind(dt) else None


register_elementwise_rule("not", not_, _int_dtype)


def _shift(name: str, x: Any, n: Any, left: bool) -> Any:
    """`x << n` (left) or `x >> n` on numpy values, as Julia: the result has x's type (Bool
    shifts as Int64), a negative n shifts the other way, and shifting by the bit width or
    more gives 0 (or -1 for a negative x shifted right)."""
    ax, an = to_numpy(x), to_numpy(n)
    dx, dn = value_dtype(ax), value_dtype(an)
    if dx is None or dn is None or not is_int_kind(dx) or not is_int_kind(dn):
        raise no_method_for_values(name, x, n)
    check_same_shape(ax, an)
    if dx == BOOL:
        ax, dx = _cast_to(ax, INT64), INT64
    bits = 8 * dx.itemsize
    k = np.asarray(an)
    k = (np.minimum(k, bits) if dn.kind == "u" else np.clip(k.astype(np.int64), -bits, bits))
    k = k.astype(np.int64) if left else -k.astype(np.int64)
    xs = np.asarray(ax)
    res = np.where(k >= 0, np.left_shift(xs, np.maximum(k, 0).astype(dx)),
                   np.right_shift(xs, np.maximum(-k, 0).astype(dx))).astype(dx)
    return from_numpy_like(res, x, n)


def _shift_dtype(a: np.dtype, n: np.dtype) -> np.dtype | None:
    return _int_if_bool(a) if is_int_kind(a) and is_int_kind(n) else None


@primitive("shl", 2, derivative="none")
def shl(x: Any, n: Any) -> Any:
    """`x << n` (wraps; 0 when n >= the bit width; the result has x's type)."""
    if type(x) is int and type(n) is int:
        return wrap64(x << n) if 0 <= n < 64 else (0 if n >= 0 else x >> min(-n, 63))
    return _shift("shl", x, n, True)


register_elementwise_rule("shl", shl, _shift_dtype)


@primitive("shr", 2, derivative="none")
def shr(x: Any, n: Any) -> Any:
    """`x >> n`: arithmetic shift right (the result has x's type)."""
    if type(x) is int and type(n) is int:
        return x >> n if n >= 0 else (wrap64(x << -n) if -n < 64 else 0)
    return _shift("shr", x, n, False)


register_elementwise_rule("shr", shr, _shift_dtype)


@primitive("isnan", 1, derivative="none")
def isnan(x: Any) -> Any:
    """`isnan(x)` (false for integers)."""
    if type(x) is float:
        return x != x
    if type(x) in (int, bool):
        return False
    dt = value_dtype(x)
    if dt is None:
        raise no_method_for_values("isnan", x)
    return from_numpy_like(np.isnan(x) if dt.kind == "f" else np.zeros(np.shape(x), bool), x)


register_elementwise_rule("isnan", isnan, bool_dtype)


@primitive("isinf", 1, derivative="none")
def isinf(x: Any) -> Any:
    """`isinf(x)` (false for integers)."""
    if type(x) is float:
        return math.isinf(x)
    if type(x) in (int, bool):
        return False
    dt = value_dtype(x)
    if dt is None:
        raise no_method_for_values("isinf", x)
    return from_numpy_like(np.isinf(x) if dt.kind == "f" else np.zeros(np.shape(x), bool), x)


register_elementwise_rule("isinf", isinf, bool_dtype)


@primitive("select", 3, derivative="select")
def select(c: Any, a: Any, b: Any) -> Any:
    """`select(c, a, b)`: a where c is true, else b (elementwise on arrays)."""
    if type(c) is bool:
        return a if c else b
    if isinstance(c, np.ndarray):
        check_same_shape(c, a, b)
        da, db = value_dtype(a), value_dtype(b)
        res = np.where(c, to_numpy(a), to_numpy(b))
        if da is not None and db is not None:
            res = res.astype(promote_dtype(da, db), copy=False)
        return from_numpy_like(res, c)
    return a if bool(c) else b


@shape_rule("select")
def select_shape(c: AbstractValue, a: AbstractValue, b: AbstractValue) -> AbstractValue:
    """A known condition picks a or b itself; an unknown scalar one gives either (their
    Union); an array of conditions gives an array of the promoted element type."""
    if c.is_const:
        return a if bool(c.const) else b
    if _array_rank(c.type) == -1:
        return L.TOP if elementwise_layout(c) is None else either(a, b)
    layout = elementwise_layout(c, a, b)
    da, db = element_dtype(a), element_dtype(b)
    if layout is None or da is None or db is None:
        return L.TOP
    return layout.result(T.eltype_from_dtype(promote_dtype(da, db)))


def either(a: AbstractValue, b: AbstractValue) -> AbstractValue:
    """The value that is a or b: like `lattice.join`, but types that differ make a Union (so a
    result of concrete types stays a small Union instead of their abstract supertype)."""
    if a == b:
        return a
    shape = a.shape if a.shape == b.shape else None
    if T.type_equal(a.type, b.type):
        return AbstractValue(a.type, shape)
    return AbstractValue(T.make_union(a.type, b.type), shape)


# ---------------------------------------------------------------- conversion
def _inexact(T_name: str, x: Any, trunc_form: bool) -> source.ArrError:
    from .. import types
    from ..values import Symbol
    T = types.BUILTIN_TYPES.get(T_name)
    func = Symbol("trunc" if trunc_form else T_name)
    value = exception_value("InexactError", func, T, x)
    if trunc_form:
        return source.InexactError(f"trunc({T_name}, {arr_repr(x)})", value=value)
    return source.InexactError(f"{T_name}({arr_repr(x)})", value=value)


def convert_to_dtype(dt: np.dtype, x: Any, T_name: str | None = None) -> Any:
    """Convert a number or numeric array to dtype `dt` with Julia's exactness checks."""
    dt = np.dtype(dt)
    name = T_name or type_name_of_dtype(dt)
    src = value_dtype(to_numpy(x))
    if src is None:
        raise source.MethodError(f"Cannot `convert` an object of type {type(x).__name__} "
                                 f"to an object of type {name}")
    if src == dt:
        return x
    if dt.kind in "iub":
        ax = np.asarray(to_numpy(x))
        if src.kind == "f" or src.kind == "V":
            fx = ax.astype(np.float64)
            ok = np.isfinite(fx) & (fx == np.trunc(fx))
            if dt.kind == "b":
                ok &= (fx == 0) | (fx == 1)
            else:
                info = np.iinfo(dt)
                # float(typemax) rounds up to 2^63, which is already out of range
                ok &= (fx >= float(info.min)) & (fx < float(info.max) + 1.0)
            if not np.all(ok):
                raise _inexact(name, _first_bad(x, ~ok), False)
        elif dt.kind == "b":
            ok = (ax == 0) | (ax == 1)
            if not np.all(ok):
                raise _inexact(name, _first_bad(x, ~ok), False)
        elif src.kind in "iu":
            info = np.iinfo(dt)
            ok = (ax >= int(info.min)) & (ax <= int(info.max))
            if not np.all(ok):
                raise _inexact(name, _first_bad(x, ~ok), True)
    if isinstance(x, np.ndarray):
        return _quiet(x.astype, dt)
    if type(x) is int and dt.kind == "f":
        return make_scalar(float(x) if dt == np.float64 else dt.type(x), dt)
    return make_scalar(_quiet(dt.type, to_numpy(x)), dt)


@primitive("convert", 2, derivative="convert")
def convert(T: Any, x: Any) -> Any:
    """`convert(T, x)` for a numeric type T and a number (or numeric array: elementwise).
    InexactError when x has no exact representation in T (`Int64(2.5)`)."""
    dt = dtype_of(T)
    if dt is None:
        raise source.MethodError(f"Cannot `convert` an object of type "
                                 f"{_arr_type_name(x)} to an object of type {type_name(T)}")
    return convert_to_dtype(dt, x)


@shape_rule("convert")
@folds_constants(convert)
def convert_shape(target: AbstractValue, x: AbstractValue) -> AbstractValue:
    """`convert(T, x)` is a T, or an array of T of x's shape; MethodError for a non-numeric T
    or x.  Whether x fits T exactly (InexactError) depends on its value."""
    t = type_argument(target)
    if t is None:
        return L.TOP
    dt = dtype_of(t)
    if dt is None:
        raise source.MethodError(f"Cannot `convert` an object of type {T.show_type(x.type)} "
                                 f"to an object of type {type_name(t)}")
    result = T.eltype_from_dtype(dt)
    if element_dtype(x) is not None:
        layout = elementwise_layout(x)
        return L.TOP if layout is None else layout.result(result)
    if _array_rank(x.type) == -1 and T.is_concrete(x.type):       # a String, a Symbol, ...
        raise source.MethodError(f"Cannot `convert` an object of type {T.show_type(x.type)} "
                                 f"to an object of type {type_name(t)}")
    if T.issubtype(x.type, T.BUILTIN_TYPES["Number"]):
        return L.scalar(result)
    return L.TOP


def type_argument(a: AbstractValue) -> Any:
    """The type that an argument of type `Type{X}` stands for (its constant, or X); None when
    it is not known."""
    if a.is_const:
        return a.const
    t = a.type
    if type(t) is T.DataType and t.typename is T.TYPE_TN and t.params \
            and not isinstance(t.params[0], T.TypeVar):
        return t.params[0]
    return None


@primitive("float_bits", 2, derivative="none")
def float_bits(T: Any, x: Any) -> Any:
    """`reinterpret(T, x)` between a float type and the unsigned integer of its width
    (ArgumentError when the sizes differ)."""
    dt = dtype_of(T)
    ax = to_numpy(x)
    src = value_dtype(ax)
    if dt is None or src is None:
        raise no_method("reinterpret", f"Type{{{type_name(T)}}}", _arr_type_name(x))
    if dt.itemsize != src.itemsize:
        raise _size_mismatch(src, dt)
    return from_numpy_like(np.asarray(ax).view(dt) if isinstance(ax, np.ndarray)
                           else np.asarray(ax).view(dt)[()], ax)


def _size_mismatch(src: np.dtype, dt: np.dtype) -> source.ArrError:
    return source.ArgumentError(f"cannot reinterpret a `{type_name_of_dtype(src)}` as "
                                f"`{type_name_of_dtype(dt)}`: they have different sizes")


@shape_rule("float_bits")
@folds_constants(float_bits)
def float_bits_shape(target: AbstractValue, x: AbstractValue) -> AbstractValue:
    """A T of x's shape; MethodError for non-numeric types, ArgumentError for sizes that
    differ."""
    t = type_argument(target)
    src = element_dtype(x)
    if t is None or src is None:
        return L.TOP
    dt = dtype_of(t)
    if dt is None:
        raise no_method("reinterpret", f"Type{{{type_name(t)}}}", T.show_type(x.type))
    if dt.itemsize != src.itemsize:
        raise _size_mismatch(src, dt)
    layout = elementwise_layout(x)
    return L.TOP if layout is None else layout.result(T.eltype_from_dtype(dt))


# ---------------------------------------------------------------- StableHLO lowerings
# Each rule mirrors the reference evaluation above, on run-time values (`hlo_rules`);
# the checks that raise (DivideError, DomainError, InexactError) become run-time checks
# whose error is rebuilt by running the reference evaluation on the failing values.
from . import lowering  # noqa: E402
from . import hlo_rules as H  # noqa: E402
from .. import hlo  # noqa: E402


def _lower_binary(name: str, opname: str, dtype_rule: Callable[..., np.dtype]) -> None:
    def rule(ctx: Any, x: Any, y: Any) -> Any:
        dx, dy = H.numeric_args(ctx, name, (x, y))
        dt = dtype_rule(dx, dy)
        return H.elementwise(ctx, opname, (x, y), dt)
    lowering(name)(rule)


_lower_binary("add", "stablehlo.add", arithmetic_dtype)
_lower_binary("sub", "stablehlo.subtract", arithmetic_dtype)
_lower_binary("mul", "stablehlo.multiply", promote_dtype)
_lower_binary("and", "stablehlo.and", _logic_dtype)
_lower_binary("or", "stablehlo.or", _logic_dtype)
_lower_binary("xor", "stablehlo.xor", _logic_dtype)


@lowering("div")
def div_lower(ctx: Any, x: Any, y: Any) -> Any:
    dx, dy = H.numeric_args(ctx, "div", (x, y))
    # (a constant divisor is opaque to XLA, see Stager.const: `x / c` stays a division)
    return H.elementwise(ctx, "stablehlo.divide", (x, y), _div_dtype(dx, dy))


@lowering("neg")
def neg_lower(ctx: Any, x: Any) -> Any:
    (dx,) = H.numeric_args(ctx, "neg", (x,))
    return H.elementwise(ctx, "stablehlo.negate", (x,), _int_if_bool(dx))


@lowering("not")
def not_lower(ctx: Any, x: Any) -> Any:
    (dx,) = H.numeric_args(ctx, "not", (x,))
    if not is_int_kind(dx):
        raise H.ctx_static(no_method("not", type_name_of_dtype(dx)))
    return H.elementwise(ctx, "stablehlo.not", (x,), dx)


def _lower_compare(name: str, direction: str) -> None:
    def rule(ctx: Any, x: Any, y: Any) -> Any:
        dx, dy = H.numeric_args(ctx, name, (x, y))
        return H.compare_op(ctx, direction, (x, y), promote_dtype(dx, dy))
    lowering(name)(rule)


for _name, _dir in (("eq", "EQ"), ("ne", "NE"), ("lt", "LT"), ("le", "LE"), ("gt", "GT"),
                    ("ge", "GE")):
    _lower_compare(_name, _dir)


def _zero_divisor_check(ctx: Any, x: Any, y: Any, dt: np.dtype, impl: Callable) -> None:
    yd = ctx.dyn(y, dt) if H.is_dyn(y) else y
    bad = H.compare_op(ctx, "EQ", (yd, 0), dt) if H.is_dyn(yd) else (yd == 0)
    if dt.kind == "i":
        low = H.compare_op(ctx, "EQ", (x, int(np.iinfo(dt).min)), dt)
        minus = H.compare_op(ctx, "EQ", (y, -1), dt)
        over = H.elementwise(ctx, "stablehlo.and", (low, minus), BOOL)
        bad = H.elementwise(ctx, "stablehlo.or", (bad, over), BOOL) if H.is_dyn(bad) else \
            (over if not bad else True)
    H.check_args(ctx, bad, impl, (x, y))


@lowering("int_div")
def int_div_lower(ctx: Any, x: Any, y: Any) -> Any:
    dx, dy = H.numeric_args(ctx, "int_div", (x, y))
    dt = arithmetic_dtype(dx, dy)
    if dt.kind in "iu":
        _zero_divisor_check(ctx, x, y, dt, int_div)
        return H.elementwise(ctx, "stablehlo.divide", (x, y), dt)
    r = H.elementwise(ctx, "stablehlo.remainder", (x, y), dt)
    num = H.elementwise(ctx, "stablehlo.subtract", (x, r), dt)
    q = H.elementwise(ctx, "stablehlo.divide", (num, y), dt)
    return H.elementwise(ctx, "stablehlo.round_nearest_even", (q,), dt)


@lowering("int_rem")
def int_rem_lower(ctx: Any, x: Any, y: Any) -> Any:
    dx, dy = H.numeric_args(ctx, "int_rem", (x, y))
    dt = arithmetic_dtype(dx, dy)
    if dt.kind in "iu":
        yd = ctx.dyn(y, dt) if H.is_dyn(y) else y
        bad = H.compare_op(ctx, "EQ", (yd, 0), dt) if H.is_dyn(yd) else (yd == 0)
        H.check_args(ctx, bad, int_rem, (x, y))
        # typemin % -1 is 0 (XLA may trap on it): divide by 1 instead
        if H.is_dyn(y):
            minus = H.compare_op(ctx, "EQ", (y, -1), dt)
            y = ctx.select(minus, ctx.dyn(1, dt), ctx.dyn(y, dt))
    return H.elementwise(ctx, "stablehlo.remainder", (x, y), dt)


@lowering("pow")
def pow_lower(ctx: Any, x: Any, y: Any) -> Any:
    dx, dy = H.numeric_args(ctx, "pow", (x, y))
    dt = _pow_dtype(dx, dy)
    if is_int_kind(dy):
        if is_int_kind(dx):
            if dx == BOOL:
                ye = H.compare_op(ctx, "EQ", (y, 0), np.dtype(np.int64))
                return H.elementwise(ctx, "stablehlo.or", (x, ye), BOOL)
            neg_exp = H.compare_op(ctx, "LT", (y, 0), np.dtype(np.int64))
            absx = H.elementwise(ctx, "stablehlo.abs", (x,), dt)
            not_one = H.compare_op(ctx, "NE", (absx, 1), dt)
            bad = H.elementwise(ctx, "stablehlo.and", (neg_exp, not_one), BOOL)
            H.check_args(ctx, bad, pow_, (x, y))
            return _int_pow_lower(ctx, x, y, dt)
        return H.elementwise(ctx, "stablehlo.power", (x, y), dt)
    res = H.elementwise(ctx, "stablehlo.power", (x, y), dt)
    nan_out = H.compare_op(ctx, "NE", (res, res), dt)
    okx = H.compare_op(ctx, "EQ", (x, x), dt)
    oky = H.compare_op(ctx, "EQ", (y, y), dt)
    bad = H.elementwise(ctx, "stablehlo.and", (nan_out, okx), BOOL)
    bad = H.elementwise(ctx, "stablehlo.and", (bad, oky), BOOL)
    H.check_args(ctx, bad, pow_, (x, y))
    return res


def _int_pow_lower(ctx: Any, x: Any, y: Any, dt: np.dtype) -> Any:
    """x^y for integers, wrapping like the reference (XLA's integer `power` does not wrap
    for large exponents): square-and-multiply over the exponent's bits; a negative
    exponent (only ±1 get here) gives 1 or x by its parity."""
    from ..staging import Dyn
    shape = max(H.leaf_shape(x), H.leaf_shape(y), key=len)
    at = H.result_type(dt, (x, y), shape)
    if not H.is_dyn(y):                      # a constant exponent: unrolled now
        e = int(y)
        if e < 0:
            return ctx.dyn(x, dt, shape) if e % 2 else ctx.dyn(1, dt, shape)
        acc: Any = ctx.dyn(1, dt, shape)
        b = ctx.dyn(x, dt, shape)
        while e:
            if e & 1:
                acc = ctx.op("stablehlo.multiply", [acc, b], at, dt, shape)
            e >>= 1
            if e:
                b = ctx.op("stablehlo.multiply", [b, b], at, dt, shape)
        return acc
    em = ctx.em
    i64 = np.dtype(np.int64)
    t, ti = hlo.tensor(dt, shape), hlo.tensor(i64, shape)
    ts = hlo.tensor(i64, ())
    init = [ctx.dyn(0, i64), ctx.dyn(1, dt, shape), ctx.dyn(x, dt, shape),
            ctx.dyn(y, i64, shape)]
    types_ = [ts, t, t, ti]
    with em.region() as cond:
        ps = [(em.fresh("c"), ty) for ty in types_]
        em.block_header(ps)
        k = Dyn(ps[0][0], at, i64, ())
        go = ctx.compare(k, ctx.dyn(64, i64), "LT")
        em.ret([(go.name, go.htype)])
    with em.region() as body:
        ps = [(em.fresh("s"), ty) for ty in types_]
        em.block_header(ps)
        k = Dyn(ps[0][0], at, i64, ())
        acc, b, e = (Dyn(ps[1][0], at, dt, shape), Dyn(ps[2][0], at, dt, shape),
                     Dyn(ps[3][0], at, i64, shape))
        one = ctx.dyn(1, i64, shape)
        bit = ctx.op("stablehlo.and", [e, one], at, i64, shape)
        odd = ctx.compare(bit, one, "EQ")
        acc2 = ctx.select(odd, ctx.op("stablehlo.multiply", [acc, b], at, dt, shape), acc)
        b2 = ctx.op("stablehlo.multiply", [b, b], at, dt, shape)
        e2 = ctx.op("stablehlo.shift_right_logical", [e, one], at, i64, shape)
        k2 = ctx.op("stablehlo.add", [k, ctx.dyn(1, i64)], at, i64, ())
        em.ret([(v.name, v.htype) for v in (k2, acc2, b2, e2)])
    names = em.op("stablehlo.while", [(v.name, v.htype) for v in init], types_, "",
                  [cond, body])
    res = Dyn(names[1], at, dt, shape)
    yd = ctx.dyn(y, i64, shape)
    neg = ctx.compare(yd, ctx.dyn(0, i64, shape), "LT")
    parity = ctx.op("stablehlo.and", [yd, ctx.dyn(1, i64, shape)], at, i64, shape)
    even = ctx.compare(parity, ctx.dyn(0, i64, shape), "EQ")
    neg_val = ctx.select(even, ctx.dyn(1, dt, shape), ctx.dyn(x, dt, shape))
    return ctx.select(neg, neg_val, res)


def _lower_shift(name: str, left: bool, impl: Callable) -> None:
    def rule(ctx: Any, x: Any, n: Any) -> Any:
        dx, dn = H.numeric_args(ctx, name, (x, n))
        dt = _shift_dtype(dx, dn)
        if dt is None:
            raise H.ctx_static(no_method(name, type_name_of_dtype(dx), type_name_of_dtype(dn)))
        xd = ctx.dyn(x, dt)
        nd = ctx.dyn(n, dt)
        right = "stablehlo.shift_right_logical" if dt.kind == "u" else \
            "stablehlo.shift_right_arithmetic"
        nonneg = H.compare_op(ctx, "GE", (nd, 0), dt)
        negn = H.elementwise(ctx, "stablehlo.negate", (nd,), dt)
        fwd_op, back_op = ("stablehlo.shift_left", right) if left else (right, "stablehlo.shift_left")
        # Julia: shifting by the width or more gives 0 (or the sign for >>)
        fwd = H.elementwise(ctx, fwd_op, (xd, nd), dt)
        back = H.elementwise(ctx, back_op, (xd, negn), dt)
        res = ctx.select(nonneg, fwd, back)
        return res
    lowering(name)(rule)


_lower_shift("shl", True, shl)
_lower_shift("shr", False, shr)


@lowering("isnan")
def isnan_lower(ctx: Any, x: Any) -> Any:
    (dx,) = H.numeric_args(ctx, "isnan", (x,))
    if dx.kind != "f":
        return False if not H.is_array_value(x) else H.compare_op(ctx, "NE", (x, x), dx)
    return H.compare_op(ctx, "NE", (x, x), dx)


@lowering("isinf")
def isinf_lower(ctx: Any, x: Any) -> Any:
    (dx,) = H.numeric_args(ctx, "isinf", (x,))
    if dx.kind != "f":
        return False if not H.is_array_value(x) else H.compare_op(ctx, "NE", (x, x), dx)
    a = H.elementwise(ctx, "stablehlo.abs", (x,), dx)
    return H.compare_op(ctx, "EQ", (a, float("inf")), dx)


@lowering("select")
def select_lower(ctx: Any, c: Any, a: Any, b: Any) -> Any:
    if not H.is_dyn(c):
        if isinstance(c, np.ndarray):
            c = ctx.const(c)
        else:
            return a if c else b
    da, db = H.leaf_dtype(a), H.leaf_dtype(b)
    if da is None or db is None:
        ctx.fail("`ifelse` on run-time data choosing between values that are not numbers")
    dt = promote_dtype(da, db)
    shape = max(H.leaf_shape(c), H.leaf_shape(a), H.leaf_shape(b), key=len)
    return ctx.select(c, ctx.dyn(a, dt, shape), ctx.dyn(b, dt, shape))


@lowering("convert")
def convert_lower(ctx: Any, Tt: Any, x: Any) -> Any:
    dt = dtype_of(Tt)
    (src,) = H.numeric_args(ctx, "convert", (x,))
    if dt is None:
        raise H.ctx_static(source.MethodError(
            f"Cannot `convert` an object of type {T.show_type(T.typeof(x))} to an object of "
            f"type {type_name(Tt)}"))
    if src == dt:
        return x
    xd = ctx.dyn(x)
    if dt.kind in "iub":
        if src.kind == "f":
            f = ctx.convert(xd, np.float64)
            fr = H.elementwise(ctx, "stablehlo.floor", (f,), FLOAT64)
            ok = H.compare_op(ctx, "EQ", (f, fr), FLOAT64)
            if dt.kind == "b":
                lo, hi = 0.0, 1.0
            else:
                info = np.iinfo(dt)
                lo, hi = float(info.min), float(info.max) + 1.0
            ge = H.compare_op(ctx, "GE", (f, lo), FLOAT64)
            lt = H.compare_op(ctx, "LT" if dt.kind != "b" else "LE", (f, hi), FLOAT64)
            ok = H.elementwise(ctx, "stablehlo.and", (ok, ge), BOOL)
            ok = H.elementwise(ctx, "stablehlo.and", (ok, lt), BOOL)
            bad = H.elementwise(ctx, "stablehlo.not", (ok,), BOOL)
            H.check_args(ctx, bad, lambda v: convert(Tt, v), (x,))
        elif src.kind in "iub" and src != BOOL:
            if dt.kind == "b":
                lo, hi = 0, 1
            else:
                info = np.iinfo(dt)
                si = np.iinfo(src)
                lo, hi = max(int(info.min), int(si.min)), min(int(info.max), int(si.max))
            if dt.kind == "b" or lo > np.iinfo(src).min or hi < np.iinfo(src).max:
                ge = H.compare_op(ctx, "GE", (xd, lo), src)
                le = H.compare_op(ctx, "LE", (xd, hi), src)
                ok = H.elementwise(ctx, "stablehlo.and", (ge, le), BOOL)
                bad = H.elementwise(ctx, "stablehlo.not", (ok,), BOOL)
                H.check_args(ctx, bad, lambda v: convert(Tt, v), (x,))
    at = H.result_type(dt, (x,), xd.shape)
    if dt == BOOL:
        z = ctx.const(0, src, xd.shape)
        return ctx.op("stablehlo.compare", [xd, z], at, BOOL, xd.shape,
                      "comparison_direction = #stablehlo<comparison_direction NE>")
    return ctx.op("stablehlo.convert", [xd], at, dt, xd.shape)


@lowering("float_bits")
def float_bits_lower(ctx: Any, Tt: Any, x: Any) -> Any:
    dt = dtype_of(Tt)
    (src,) = H.numeric_args(ctx, "float_bits", (x,))
    if dt is None or dt.itemsize != src.itemsize:
        raise H.ctx_static(_size_mismatch(src, dt) if dt is not None else
                           no_method("reinterpret", f"Type{{{type_name(Tt)}}}",
                                     type_name_of_dtype(src)))
    xd = ctx.dyn(x)
    return ctx.op("stablehlo.bitcast_convert", [xd], H.result_type(dt, (x,), xd.shape), dt,
                  xd.shape)
