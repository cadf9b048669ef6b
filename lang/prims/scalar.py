"""Elementwise intrinsics: arithmetic, comparisons, logic and conversion, and the scalar
representation helpers every intrinsic family uses.

Every intrinsic here takes scalars (Python int/float/bool or numpy scalars, see values.py) or
same-shape numpy arrays, and returns the same kind of value.  The stdlib promotes the
arguments first (`+(x::Number, y::Number) = +(promote(x, y)...)`), so an intrinsic normally
sees operands of one type; mixed operands still work and follow numpy's promotion.

Semantics follow Julia:
  * Int64 arithmetic wraps (two's complement), on Python ints as in numpy int64 arrays;
  * integer `int_div` truncates, `int_rem` has the sign of the dividend, and both raise
    DivideError on a zero divisor (and on typemin(Int) / -1);
  * float operations are IEEE (1/0 = Inf); `pow` raises DomainError where Julia does
    ((-2.0)^0.5, 2^-1);
  * `convert` raises InexactError for a value that does not fit the target type exactly.

The math functions (`sqrt`, `exp`, `sin`, `abs`, `round`, `min`, ...) are in
`math_functions.py`.

Python floats go through the `math` module (fast); everything else through numpy, inside
`np.errstate(all="ignore")` so that overflow gives Inf instead of a warning.
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from . import primitive
from .. import source
from ..values import box

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1
_MASK64 = (1 << 64) - 1


def wrap64(n: int) -> int:
    """Wrap a Python int into Int64's range (two's complement)."""
    if INT64_MIN <= n <= INT64_MAX:
        return n
    n &= _MASK64
    return n - (1 << 64) if n > INT64_MAX else n


# ---------------------------------------------------------------- representation helpers
def to_numpy(x: Any) -> Any:
    """An Arr scalar or array as a numpy scalar or array (Int64 -> np.int64, ...)."""
    t = type(x)
    if t is bool:
        return np.bool_(x)
    if t is int:
        return np.int64(x)
    if t is float:
        return np.float64(x)
    return x


def from_numpy(x: Any) -> Any:
    """A numpy result back in the Arr representation (0-d arrays become scalars)."""
    if isinstance(x, np.ndarray) and x.ndim == 0 and not isinstance(x, np.matrix):
        return box(x[()])
    return box(x)


def is_array(x: Any) -> bool:
    return isinstance(x, np.ndarray)


def is_float_value(x: Any) -> bool:
    if type(x) is float:
        return True
    if isinstance(x, (np.floating, np.ndarray)):
        return np.issubdtype(x.dtype, np.floating)
    return False


def as_float(x: Any) -> Any:
    """Integers and Bools (scalar or array) as Float64; floats unchanged (`float(x)`)."""
    t = type(x)
    if t is float:
        return x
    if t is int or t is bool:
        return float(x)
    if isinstance(x, (np.ndarray, np.generic)) and not np.issubdtype(x.dtype, np.floating):
        return np.asarray(x, dtype=np.float64) if isinstance(x, np.ndarray) else np.float64(x)
    return x


def arr_repr(x: Any) -> str:
    """Julia's repr of a value, for error messages (display.py when it is there)."""
    try:
        from .. import display
        return display.repr_string(x)
    except Exception:
        pass
    if type(x) is float:
        if math.isinf(x):
            return "Inf" if x > 0 else "-Inf"
        if math.isnan(x):
            return "NaN"
        return repr(x)
    if type(x) is bool:
        return "true" if x else "false"
    if isinstance(x, np.float32):
        return f"{float(x)!r}f0" if np.isfinite(x) else ("NaN32" if np.isnan(x) else
                                                        ("Inf32" if x > 0 else "-Inf32"))
    if isinstance(x, np.generic):
        return f"{type_name_of_dtype(x.dtype)}({x})"
    return repr(x)


# Julia names of the numeric types, and their numpy dtypes.
_NAME_TO_DTYPE: dict[str, Any] = {
    "Float16": np.dtype(np.float16), "Float32": np.dtype(np.float32),
    "Float64": np.dtype(np.float64), "Int8": np.dtype(np.int8), "Int16": np.dtype(np.int16),
    "Int32": np.dtype(np.int32), "Int64": np.dtype(np.int64), "UInt8": np.dtype(np.uint8),
    "UInt16": np.dtype(np.uint16), "UInt32": np.dtype(np.uint32),
    "UInt64": np.dtype(np.uint64), "Bool": np.dtype(np.bool_),
}
_DTYPE_TO_NAME = {v: k for k, v in _NAME_TO_DTYPE.items()}
try:  # BFloat16 exists only where ml_dtypes is installed (it comes with jaxlib)
    import ml_dtypes  # type: ignore
    _NAME_TO_DTYPE["BFloat16"] = np.dtype(ml_dtypes.bfloat16)
    _DTYPE_TO_NAME[np.dtype(ml_dtypes.bfloat16)] = "BFloat16"
except Exception:  # pragma: no cover - optional dependency
    pass


def type_name(T: Any) -> str:
    """The printed name of an Arr type value (`Float32`, `Vector{Int64}`)."""
    from .. import types
    if types.is_type(T):
        return types.show_type(T)
    return str(T)


def type_name_of_dtype(dt: Any) -> str:
    return _DTYPE_TO_NAME.get(np.dtype(dt), str(dt))


_DTYPE_OF_TYPE: dict[Any, np.dtype | None] = {}     # a cache: types are immutable


def dtype_of(T: Any) -> np.dtype | None:
    """The numpy dtype of a numeric Arr type (None for non-numeric types and non-types)."""
    if isinstance(T, np.dtype):
        return T if T != object else None
    if isinstance(T, str):
        return _NAME_TO_DTYPE.get(T)
    try:
        return _DTYPE_OF_TYPE[T]
    except (KeyError, TypeError):
        pass
    from .. import types
    if not types.is_type(T):
        return None
    try:
        dt = np.dtype(types.numpy_dtype(T))
    except source.ArrError:
        return None
    dt = None if dt == object else dt
    _DTYPE_OF_TYPE[T] = dt
    return dt


def scalar_dtype(x: Any) -> np.dtype | None:
    """The numpy dtype representing scalar `x`'s Arr type, or None if not a number."""
    t = type(x)
    if t is bool:
        return np.dtype(np.bool_)
    if t is int:
        return np.dtype(np.int64)
    if t is float:
        return np.dtype(np.float64)
    if isinstance(x, np.generic) and x.dtype.kind in "biuf":
        return x.dtype
    if isinstance(x, np.generic) and x.dtype in _DTYPE_TO_NAME:
        return x.dtype
    return None


def value_dtype(x: Any) -> np.dtype | None:
    """The numeric dtype of a scalar or numeric array (None otherwise)."""
    if isinstance(x, np.ndarray):
        return x.dtype if x.dtype != object else None
    return scalar_dtype(x)


def make_scalar(v: Any, dt: np.dtype) -> Any:
    """A numpy value cast to `dt`, in the Arr representation (Python int/float/bool for
    Int64/Float64/Bool)."""
    if dt == np.int64:
        return int(v)
    if dt == np.float64:
        return float(v)
    if dt == np.bool_:
        return bool(v)
    return dt.type(v)


def promote_dtype(a: np.dtype, b: np.dtype) -> np.dtype:
    """Julia's promote_type on numeric dtypes (Int64 + Float32 is Float32, Int8 + UInt8 is
    UInt8, Bool + T is T)."""
    a, b = np.dtype(a), np.dtype(b)
    if a == b:
        return a
    if a.kind == "b":
        return b
    if b.kind == "b":
        return a
    fa, fb = a.kind == "f" or a.kind == "V", b.kind == "f" or b.kind == "V"
    if fa and fb:
        return a if a.itemsize >= b.itemsize else b
    if fa:
        return a
    if fb:
        return b
    if a.kind == b.kind:
        return a if a.itemsize >= b.itemsize else b
    # signed with unsigned: the bigger one; unsigned on a tie
    if a.itemsize == b.itemsize:
        return a if a.kind == "u" else b
    return a if a.itemsize > b.itemsize else b


def as_int(x: Any) -> int | None:
    """x as a Python int if it is an integer (not a Bool), else None."""
    if isinstance(x, (bool, np.bool_)):
        return None
    if isinstance(x, (int, np.integer)):
        return int(x)
    return None


def shape_tuple(shape: Any) -> tuple[int, ...]:
    """Array dimensions (a tuple or one integer) as a tuple of non-negative ints."""
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (shape,)
    out = []
    for d in shape:
        n = as_int(d)
        if n is None:
            raise source.ArgumentError(f"invalid array dimension {d!r}")
        if n < 0:
            raise source.ArgumentError(f"invalid Array dimensions: negative dimension {n}")
        out.append(n)
    return tuple(out)


def _quiet(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """fn(*args, **kwargs) with numpy's floating-point warnings off (overflow gives Inf)."""
    with np.errstate(all="ignore"):
        return fn(*args, **kwargs)


def exception_value(kind: str, *fields: Any) -> Any:
    """The Arr exception struct `kind(fields...)` that `catch err` binds for an error raised
    by an intrinsic (None when the type is unknown)."""
    from .. import types
    from ..values import StructValue
    t = types.BUILTIN_TYPES.get(kind)
    if t is None or len(types.struct_fieldnames(t)) != len(fields):
        return None
    return StructValue(t, tuple(fields))


def _domain_error(value: Any, msg: str) -> source.ArrError:
    return source.DomainError(f"with {arr_repr(value)}:\n{msg}",
                              value=exception_value("DomainError", value, msg))


def _first_bad(x: Any, mask: Any) -> Any:
    if isinstance(mask, np.ndarray):
        return from_numpy(np.asarray(x).reshape(-1)[int(np.argmax(mask.reshape(-1)))])
    return x


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


def _bools_to_int(ax: Any, ay: Any) -> tuple[Any, Any]:
    if value_dtype(ax) == np.bool_:          # Bool arithmetic gives Int
        return _cast_to(ax, np.dtype(np.int64)), _cast_to(ay, np.dtype(np.int64))
    return ax, ay


def _binary(name: str, py_op: Callable[[Any, Any], Any], np_fn: Callable[[Any, Any], Any],
            derivative: str, bool_to_int: bool) -> None:
    def impl(x: Any, y: Any) -> Any:
        tx, ty = type(x), type(y)
        if tx is int and ty is int:
            return wrap64(py_op(x, y))
        if (tx is float and (ty is float or ty is int)) or (tx is int and ty is float):
            return py_op(float(x), float(y))
        if tx is bool and ty is bool and bool_to_int:
            return wrap64(py_op(int(x), int(y)))
        ax, ay = promote_operands(x, y)
        if bool_to_int:
            ax, ay = _bools_to_int(ax, ay)
        return from_numpy(_quiet(np_fn, ax, ay))
    impl.__name__ = name
    impl.__doc__ = (f"Elementwise `{name}` of two numbers or same-shape arrays, after promoting "
                    "them to a common type.")
    primitive(name, 2, derivative=derivative)(impl)


_binary("add", lambda a, b: a + b, np.add, "add", True)
_binary("sub", lambda a, b: a - b, np.subtract, "sub", True)
_binary("mul", lambda a, b: a * b, np.multiply, "mul", False)


@primitive("div", 2, derivative="div")
def div(x: Any, y: Any) -> Any:
    """Float division `x / y` after promotion (integers are divided as Float64; 1/0 is Inf)."""
    tx, ty = type(x), type(y)
    if (tx is float or tx is int) and (ty is float or ty is int) and y != 0:
        return float(x) / float(y)
    ax, ay = promote_operands(x, y)
    if value_dtype(ax) is not None and value_dtype(ax).kind in "iub":
        ax, ay = _cast_to(ax, np.dtype(np.float64)), _cast_to(ay, np.dtype(np.float64))
    return from_numpy(_quiet(np.divide, ax, ay))


@primitive("neg", 1, derivative="neg")
def neg(x: Any) -> Any:
    """Elementwise negation `-x` (wraps for typemin(Int64))."""
    if type(x) is int:
        return wrap64(-x)
    if type(x) is float:
        return -x
    if type(x) is bool:
        return -int(x)
    if isinstance(x, (np.ndarray, np.generic)) and x.dtype == np.bool_:
        x = x.astype(np.int64)
    return from_numpy(_quiet(np.negative, x))


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
    if dy.kind in "iub":
        if dx.kind in "iub":
            iy = np.asarray(ay).astype(np.int64)
            bad = (iy < 0) & (np.abs(np.asarray(ax).astype(np.int64)) != 1)
            if np.any(bad):
                _int_pow(2, int(_first_bad(iy, bad)))
            if dx == np.bool_:
                res = np.asarray(ax) | (iy == 0)
            else:
                base = np.asarray(ax)
                res = np.where(iy < 0, np.where(iy % 2 == 0, 1, base),
                               _quiet(np.power, base, np.maximum(iy, 0).astype(base.dtype)))
            res = np.asarray(res).astype(dx)
            return from_numpy(res if isinstance(ax, np.ndarray) or isinstance(ay, np.ndarray)
                              else res.reshape(())[()])
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
    return from_numpy(res)


def divide_error() -> source.ArrError:
    return source.DivideError("integer division error", value=exception_value("DivideError"))


def _int_operands(x: Any, y: Any) -> tuple[Any, Any] | None:
    """The promoted operands when both are integers (Bools as Int64), else None."""
    ax, ay = promote_operands(x, y)
    dt = value_dtype(ax)
    if dt is None or dt.kind not in "iub" or value_dtype(ay).kind not in "iub":
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
    ints = _int_operands(x, y)
    if ints is not None:
        ax, ay = ints
        dt = value_dtype(ax)
        if dt.kind == "i" and np.any((np.asarray(ax) == np.iinfo(dt).min) & (np.asarray(ay) == -1)):
            raise divide_error()
        q = _quiet(np.floor_divide, ax, ay)
        fix = (_quiet(np.remainder, ax, ay) != 0) & ((np.asarray(ax) < 0) != (np.asarray(ay) < 0))
        return from_numpy(np.where(fix, q + 1, q).astype(np.asarray(q).dtype))
    ax, ay = promote_operands(as_float(x), as_float(y))
    r = _quiet(np.fmod, ax, ay)
    return from_numpy(_quiet(np.trunc, _quiet(np.divide, ax - r, ay)))


@primitive("int_rem", 2, derivative="rem")
def int_rem(x: Any, y: Any) -> Any:
    """`x % y` = `rem(x, y)`: the remainder with the sign of the dividend, after promotion.
    DivideError for an integer zero divisor; `fmod` for floats."""
    if type(x) is int and type(y) is int:
        if y == 0:
            raise divide_error()
        r = abs(x) % abs(y)
        return -r if x < 0 else r
    ints = _int_operands(x, y)
    if ints is not None:
        return from_numpy(_quiet(np.fmod, *ints))
    return from_numpy(_quiet(np.fmod, *promote_operands(as_float(x), as_float(y))))


# ---------------------------------------------------------------- comparisons and logic
def _compare(name: str, py_op: Callable[[Any, Any], bool], np_fn: Callable[[Any, Any], Any]) -> None:
    def impl(x: Any, y: Any) -> Any:
        tx, ty = type(x), type(y)
        if (tx is int or tx is float or tx is bool) and (ty is int or ty is float or ty is bool):
            return py_op(x, y)
        if tx is str and ty is str:
            return py_op(x, y)
        return from_numpy(np_fn(to_numpy(x), to_numpy(y)))
    impl.__name__ = name
    impl.__doc__ = f"Elementwise comparison `{name}` (IEEE: comparisons with NaN are false)."
    primitive(name, 2, derivative="none")(impl)


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
        return from_numpy(np_fn(*promote_operands(x, y)))
    impl.__name__ = name
    impl.__doc__ = f"Elementwise `{name}`: logical on Bool, bitwise on integers (promoted)."
    primitive(name, 2, derivative="none")(impl)


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
    return from_numpy(np.invert(to_numpy(x)))


@primitive("shl", 2, derivative="none")
def shl(x: Any, n: Any) -> Any:
    """`x << n` (wraps; 0 when n >= the bit width)."""
    if type(x) is int and type(n) is int:
        return wrap64(x << n) if 0 <= n < 64 else (0 if n >= 0 else x >> -n)
    return from_numpy(np.left_shift(to_numpy(x), to_numpy(n)))


@primitive("shr", 2, derivative="none")
def shr(x: Any, n: Any) -> Any:
    """`x >> n`: arithmetic shift right."""
    if type(x) is int and type(n) is int:
        return x >> n if n >= 0 else wrap64(x << -n)
    return from_numpy(np.right_shift(to_numpy(x), to_numpy(n)))


@primitive("isnan", 1, derivative="none")
def isnan(x: Any) -> Any:
    """`isnan(x)` (false for integers)."""
    if type(x) is float:
        return x != x
    if type(x) in (int, bool):
        return False
    return from_numpy(np.isnan(x) if value_dtype(x).kind == "f" else np.zeros(np.shape(x), bool))


@primitive("isinf", 1, derivative="none")
def isinf(x: Any) -> Any:
    """`isinf(x)` (false for integers)."""
    if type(x) is float:
        return math.isinf(x)
    if type(x) in (int, bool):
        return False
    return from_numpy(np.isinf(x) if value_dtype(x).kind == "f" else np.zeros(np.shape(x), bool))


@primitive("select", 3, derivative="select")
def select(c: Any, a: Any, b: Any) -> Any:
    """`select(c, a, b)`: a where c is true, else b (elementwise on arrays)."""
    if type(c) is bool:
        return a if c else b
    if isinstance(c, np.ndarray):
        da, db = value_dtype(a), value_dtype(b)
        res = np.where(c, to_numpy(a), to_numpy(b))
        if da is not None and db is not None:
            res = res.astype(promote_dtype(da, db), copy=False)
        return from_numpy(res)
    return a if bool(c) else b


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


def _arr_type_name(x: Any) -> str:
    try:
        from .. import types
        return str(types.typeof(x))
    except Exception:
        dt = scalar_dtype(x)
        return type_name_of_dtype(dt) if dt is not None else type(x).__name__


@primitive("float_bits", 2, derivative="none")
def float_bits(T: Any, x: Any) -> Any:
    """`reinterpret(T, x)` between a float type and the unsigned integer of its width."""
    dt = dtype_of(T)
    ax = to_numpy(x)
    return from_numpy(np.asarray(ax).view(dt) if isinstance(ax, np.ndarray)
                      else np.asarray(ax).view(dt)[()])
