"""Numbers in the interpreter's representation, and the machinery of elementwise rules.

Split out of `scalar.py` (which re-exports every name here): converting between Python
scalars, numpy scalars and arrays (`to_numpy`, `from_numpy`, `make_scalar`), Julia's
promotion of numpy dtypes (`promote_dtype`), the errors the elementwise intrinsics share,
and the helpers that build their shape rules (`elementwise_rule`: the result dtype from
the argument dtypes, the result shape from the argument shapes, constants folded by
running the reference evaluation).
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any, Callable
import numpy as np
from . import primitive, shape_rule  # noqa: F401
from .. import lattice as L, source, types as T
from ..lattice import AbstractValue
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


def from_numpy_like(res: Any, *args: Any) -> Any:
    """`from_numpy` for an elementwise result: when an argument is a 0-d array, so is the
    result, as in Julia (numpy's ufuncs give scalars for 0-d arrays)."""
    if not isinstance(res, np.ndarray) or res.ndim == 0:
        for a in args:
            if isinstance(a, np.ndarray):
                return np.asarray(res)
    return from_numpy(res)


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
        if a.itemsize == b.itemsize:        # Float16 with BFloat16
            return np.dtype(np.float32)
        return a if a.itemsize > b.itemsize else b
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


def dims_string(shape: tuple) -> str:
    """A shape as Julia prints dimensions: `(3,)`, `(2, 3)`."""
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


def shape_mismatch(a: tuple, b: tuple) -> source.ArrError:
    return source.DimensionMismatch(f"dimensions must match: a has dims {dims_string(a)}, "
                                    f"b has dims {dims_string(b)}")


def check_same_shape(*xs: Any) -> None:
    """DimensionMismatch unless the array arguments all have one shape (a scalar goes with
    any array).  Elementwise intrinsics do not broadcast: `broadcast` does, before them."""
    shape = None
    for x in xs:
        if isinstance(x, np.ndarray):
            if shape is None:
                shape = x.shape
            elif x.shape != shape:
                raise shape_mismatch(shape, x.shape)


def no_method(name: str, *type_names: str) -> source.ArrError:
    return source.MethodError(f"no method matching {name}("
                              + ", ".join(f"::{t}" for t in type_names) + ")")


def no_method_for_values(name: str, *xs: Any) -> source.ArrError:
    return no_method(name, *(_arr_type_name(x) for x in xs))


# ---------------------------------------------------------------- shape rules: the helpers
# A shape rule mirrors its evaluation in numpy dtypes: the arguments' element types become
# dtypes (`dtype_of`), go through the promotion the evaluation applies (`promote_dtype`, Bool
# arithmetic to Int64, integers to Float64 for `/`, ...), and the result dtype becomes an Arr
# type again.  Arrays must agree in shape (DimensionMismatch) and give theirs to the result.
# When every argument is a constant (always a scalar), the rule runs the evaluation instead.
@dataclass(frozen=True, slots=True)
class ElementwiseLayout:
    """Where the arguments of an elementwise call put its result: a scalar, or an array of
    `rank` dimensions and (when known) `shape`."""
    is_array: bool
    rank: int | None = None
    shape: tuple[int, ...] | None = None

    def result(self, eltype: Any) -> AbstractValue:
        if not self.is_array:
            return L.scalar(eltype)
        if self.shape is not None or self.rank is None:
            return L.array(eltype, self.shape)
        return AbstractValue(T.apply_type(T.BUILTIN_TYPES["Array"], (eltype, self.rank)))


SCALAR_LAYOUT = ElementwiseLayout(False)


def _array_rank(t: Any) -> int | None:
    """N of an `Array{E, N}` type; -1 if t is not an Array type; None if N is not known."""
    body, _ = T.unwrap(t)
    if type(body) is not T.DataType or body.typename is not T.ARRAY_TN:
        return -1
    n = body.params[1] if len(body.params) > 1 else None
    return n if isinstance(n, int) else None


def elementwise_layout(*args: AbstractValue) -> ElementwiseLayout | None:
    """The layout of an elementwise call's result; None when an argument may or may not be
    an array (its type is not known well enough).  Known array shapes (or ranks) that differ
    raise the DimensionMismatch the call raises."""
    rank: int | None = None
    shape: tuple[int, ...] | None = None
    is_array = False
    for a in args:
        n = _array_rank(a.type)
        if n == -1:                     # not an Array type: a scalar, or not known
            if L.is_array(a) or not (T.is_concrete(a.type)
                                     or T.issubtype(a.type, T.BUILTIN_TYPES["Number"])):
                return None
            continue
        if a.shape is not None and shape is not None and a.shape != shape:
            raise shape_mismatch(shape, a.shape)
        if n is not None and rank is not None and n != rank:
            raise source.DimensionMismatch(f"dimensions must match: a has {rank} dimensions, "
                                           f"b has {n}")
        is_array = True
        shape = shape if a.shape is None else a.shape
        rank = rank if n is None else n
    return ElementwiseLayout(is_array, rank, shape) if is_array else SCALAR_LAYOUT


def element_dtype(a: AbstractValue) -> np.dtype | None:
    """The numpy dtype of a number's type or a numeric array's element type (None if that
    type is not a concrete numeric type)."""
    return dtype_of(L.eltype(a) if _array_rank(a.type) != -1 else a.type)


def folds_constants(impl: Callable[..., Any]) -> Callable[[Callable[..., AbstractValue]],
                                                          Callable[..., AbstractValue]]:
    """Decorate a shape rule: when every argument is a constant, the result is the constant
    the evaluation `impl` gives (constants are scalars, so this is cheap), or the Arr error
    it raises."""
    def decorate(rule: Callable[..., AbstractValue]) -> Callable[..., AbstractValue]:
        @functools.wraps(rule)
        def folded(*args: AbstractValue) -> AbstractValue:
            if all(a.is_const for a in args):
                try:
                    value = impl(*(a.const for a in args))
                except (TypeError, ValueError, AttributeError):
                    return rule(*args)  # a constant the evaluation does not handle
                # NaN is no constant: the lattice compares constants with ==, and NaN != NaN
                return L.of_value(value, keep_const=not _is_nan(value))
            return rule(*args)
        return folded
    return decorate


def _is_nan(v: Any) -> bool:
    return isinstance(v, (float, np.floating)) and v != v


def elementwise_rule(name: str, result_dtype: Callable[..., np.dtype | None]
                     ) -> Callable[..., AbstractValue]:
    """The shape rule of an elementwise intrinsic whose result element type depends only on
    the argument dtypes: `result_dtype(*dtypes)`, or None where the intrinsic raises
    MethodError for those types (as it does for a non-numeric scalar)."""
    def rule(*args: AbstractValue) -> AbstractValue:
        layout = elementwise_layout(*args)
        dtypes = [element_dtype(a) for a in args]
        if layout is None:
            return L.TOP
        if any(d is None for d in dtypes):
            if any(d is None and _array_rank(a.type) == -1 and T.is_concrete(a.type)
                   for a, d in zip(args, dtypes)):       # a String, a Symbol, nothing, ...
                raise no_method(name, *(T.show_type(a.type) for a in args))
            return L.TOP
        dt = result_dtype(*dtypes)
        if dt is None:
            raise no_method(name, *(T.show_type(a.type) for a in args))
        return layout.result(T.eltype_from_dtype(dt))
    rule.__name__ = rule.__qualname__ = f"{name}_shape"
    return rule


def register_elementwise_rule(name: str, impl: Callable[..., Any],
                              result_dtype: Callable[..., np.dtype | None]) -> None:
    """Attach `elementwise_rule(name, result_dtype)`, folding constants, to intrinsic `name`."""
    shape_rule(name)(folds_constants(impl)(elementwise_rule(name, result_dtype)))


# Result dtypes of the elementwise families (argument dtypes -> result dtype, None: no method).
INT64, FLOAT64, BOOL = np.dtype(np.int64), np.dtype(np.float64), np.dtype(np.bool_)


def is_int_kind(dt: np.dtype) -> bool:
    """Bool or an integer dtype."""
    return dt.kind in "biu"


def _int_if_bool(dt: np.dtype) -> np.dtype:
    return INT64 if dt == BOOL else dt


def arithmetic_dtype(a: np.dtype, b: np.dtype) -> np.dtype:
    """`+`, `-`, `÷`, `%`: the promoted type, Int64 for two Bools."""
    return _int_if_bool(promote_dtype(a, b))


def float_dtype(dt: np.dtype) -> np.dtype:
    """The type `float(x)` has: floats keep theirs, integers and Bool give Float64."""
    return dt if dt.kind == "f" else FLOAT64


def same_dtype(dt: np.dtype) -> np.dtype:
    return dt


def bool_dtype(*dts: np.dtype) -> np.dtype:
    return BOOL


def _arr_type_name(x: Any) -> str:
    try:
        from .. import types
        return str(types.typeof(x))
    except Exception:
        dt = scalar_dtype(x)
        return type_name_of_dtype(dt) if dt is not None else type(x).__name__
