"""Array intrinsics: shape, indexing, construction, higher-order maps and reductions.

Arrays are numpy arrays in row-major order (element `[i, j]` of an Arr matrix is
`a[i-1, j-1]`); arrays whose element type is not a number are `values.ObjArray`s.
Every intrinsic returns a fresh array or an array nobody else holds, so the interpreter may
later update an array in place when its old value is dead; only `broadcast_to` returns a
read-only view, which `elementwise` consumes.

Higher-order intrinsics (`elementwise`, `reduce`, `accumulate`) receive the interpreter
context and call Arr functions with `ctx.call(f, *args)`.  When `f` is a generic function
from a fixed table (`+`, `sin`, `max`, ...) and the operands are numeric arrays, they
compute with numpy instead; the element type of the result is that of `f` applied to the
first elements, so Julia's promotion rules (decided by the Arr methods) still hold.
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from . import primitive, PRIMITIVES
from .. import source
from ..values import ObjArray, StepRange, StructValue, UnitRange, box, obj_array
from .misc import bounds_error, range_collect, range_getindex, range_length
from .scalar import (as_float, as_int, convert_to_dtype, divide_error, dtype_of, from_numpy, make_scalar,
                     promote_dtype, scalar_dtype, shape_tuple, to_numpy, type_name,
                     value_dtype, _quiet)


def _types():
    from .. import types
    return types


# ---------------------------------------------------------------- helpers
def is_colon(x: Any) -> bool:
    """Whether x is the value `Colon()` (`:` as an index)."""
    if type(x) is slice:
        return True
    return isinstance(x, StructValue) and type_name(x.type) == "Colon"


def _summary(x: Any) -> str:
    from .misc import summary
    return summary(x)


def element_type(x: np.ndarray) -> Any:
    """The Arr element type of an array."""
    if x.dtype == object:
        et = getattr(x, "eltype", None)
        return et if et is not None else _types().BUILTIN_TYPES["Any"]
    return _types().eltype_from_dtype(x.dtype)


def flat_values(x: np.ndarray) -> list:
    """The elements of an array in row-major order, in the Arr representation."""
    flat = x.reshape(-1)
    if x.dtype in (np.float64, np.int64, np.bool_) or x.dtype == object:
        return flat.tolist()
    return list(flat)          # numpy scalars (np.float32, ...) are the Arr values


def array_from_values(items: list, shape: tuple[int, ...], eltype: Any = None) -> np.ndarray:
    """An array of the given shape from Arr values in row-major order.

    With `eltype` the values are converted to it (typed comprehensions).  Without, the
    element type is the common type of the values; numbers of mixed types give an array of
    their type join, as Julia's `collect` does (`Vector{Real}`)."""
    shape = tuple(shape)
    if eltype is not None:
        dt = dtype_of(eltype)
        if dt is not None:
            if not items:
                return np.zeros(shape, dtype=dt)
            nat = array_from_values(items, shape)
            if nat.dtype == object:
                return np.array([convert_to_dtype(dt, v) for v in items], dtype=dt).reshape(shape)
            return convert_to_dtype(dt, nat)
        return obj_array(list(items), eltype, shape)
    if not items:
        return obj_array([], _types().BUILTIN_TYPES["Any"], shape)
    t0 = type(items[0])
    if all(type(v) is t0 for v in items):
        if t0 is float:
            return np.array(items, dtype=np.float64).reshape(shape)
        if t0 is int:
            return np.array(items, dtype=np.int64).reshape(shape)
        if t0 is bool:
            return np.array(items, dtype=np.bool_).reshape(shape)
        if issubclass(t0, np.generic) and scalar_dtype(items[0]) is not None:
            return np.array(items, dtype=items[0].dtype).reshape(shape)
    t = _types()
    T = None
    for v in items:
        Tv = t.typeof(v)
        if T is None:
            T = Tv
        elif Tv != T:
            join = getattr(t, "typejoin", None)
            T = join(T, Tv) if join is not None else t.BUILTIN_TYPES["Any"]
    dt = dtype_of(T)
    if dt is not None:
        return np.array([to_numpy(v) for v in items], dtype=dt).reshape(shape)
    return obj_array(list(items), T, shape)


def _generic_name(f: Any) -> str | None:
    """The name of a generic function (None for closures, types, ...)."""
    from ..dispatch import GenericFunction
    if isinstance(f, GenericFunction):
        return f.name
    return None


def _collect_if_range(x: Any) -> Any:
    if isinstance(x, (UnitRange, StepRange)):
        return range_collect(x)
    return x


# ---------------------------------------------------------------- shape
@primitive("size", 1, derivative="none")
def size(x: Any) -> tuple:
    """`size(x)`: the dimensions of an array, as a tuple."""
    if isinstance(x, (UnitRange, StepRange)):
        return (range_length(x),)
    return tuple(int(d) for d in x.shape)


@primitive("ndims", 1, derivative="none")
def ndims(x: Any) -> int:
    """`ndims(x)`."""
    return int(x.ndim)


@primitive("length", 1, derivative="none")
def length(x: Any) -> int:
    """`length(x)`: the number of elements of an array."""
    if isinstance(x, (UnitRange, StepRange)):
        return range_length(x)
    return int(x.size)


@primitive("array_eltype", 1, derivative="none")
def array_eltype(x: np.ndarray) -> Any:
    """`eltype(x)` of an array."""
    return element_type(x)


@primitive("reshape", 2, derivative="reshape")
def reshape(x: np.ndarray, shape: tuple) -> np.ndarray:
    """`reshape(x, dims)` in row-major order; one dimension may be `:` (Colon())."""
    x = _collect_if_range(x)
    dims = list(shape) if isinstance(shape, tuple) else [shape]
    colons = [i for i, d in enumerate(dims) if is_colon(d)]
    if len(colons) > 1:
        raise source.DimensionMismatch("new dimensions cannot contain more than one Colon")
    if colons:
        known = 1
        for i, d in enumerate(dims):
            if i not in colons:
                known *= int(d)
        if known == 0 or x.size % known != 0:
            from .misc import index_repr
            shown = ", ".join(index_repr(d) if is_colon(d) else str(d) for d in dims)
            raise source.DimensionMismatch(f"array size {x.size} must be divisible by the "
                                           f"product of the new dimensions ({shown})")
        dims[colons[0]] = x.size // known
    dims = list(shape_tuple(tuple(dims)))
    if math.prod(dims) != x.size:
        shown = "(" + ", ".join(str(d) for d in dims) + ("," if len(dims) == 1 else "") + ")"
        raise source.DimensionMismatch(f"new dimensions {shown} must be consistent with "
                                       f"array size {x.size}")
    return x.reshape(dims).copy()


@primitive("permutedims", 2, derivative="permutedims")
def permutedims(x: np.ndarray, perm: tuple) -> np.ndarray:
    """`permutedims(x, perm)` (1-based permutation); `transpose` of a matrix is (2, 1)."""
    p = [int(i) - 1 for i in perm]
    if sorted(p) != list(range(x.ndim)):
        raise source.ArgumentError("no valid permutation of dimensions")
    return np.ascontiguousarray(np.transpose(x, p))


@primitive("broadcast_to", 2, derivative="broadcast_to")
def broadcast_to(x: Any, shape: tuple) -> Any:
    """`x` stretched to `shape` by Julia's rules: dimensions line up from the first, a
    missing trailing dimension counts as 1, and only size-1 dimensions stretch.  Returns a
    read-only view (use it as an operand, not as a result)."""
    shape = shape_tuple(shape)
    x = _collect_if_range(x)
    if not isinstance(x, np.ndarray):
        if scalar_dtype(x) is not None:
            return np.broadcast_to(to_numpy(x), shape)
        out = obj_array([x], _types().typeof(x)).reshape(())
        return np.broadcast_to(out, shape)
    if x.ndim > len(shape):
        if any(d != 1 for d in x.shape[len(shape):]):
            raise source.DimensionMismatch(
                f"cannot broadcast array of size {_dims_str(x.shape)} to {_dims_str(shape)}")
        x = x.reshape(x.shape[:len(shape)])
    xs = x.shape + (1,) * (len(shape) - x.ndim)
    for a, b in zip(xs, shape):
        if a != b and a != 1:
            raise source.DimensionMismatch("arrays could not be broadcast to a common size; "
                                           f"got a dimension with lengths {a} and {b}")
    return np.broadcast_to(x.reshape(xs), shape)


@primitive("broadcast_shape", 2, derivative="none")
def broadcast_shape(a: tuple, b: tuple) -> tuple:
    """The shape two shapes broadcast to (Julia: aligned from the first dimension, missing
    trailing dimensions are 1, size-1 dimensions stretch); DimensionMismatch otherwise."""
    n = max(len(a), len(b))
    out = []
    for i in range(n):
        da = a[i] if i < len(a) else 1
        db = b[i] if i < len(b) else 1
        if da == db or db == 1:
            out.append(da)
        elif da == 1:
            out.append(db)
        else:
            raise source.DimensionMismatch("arrays could not be broadcast to a common size; "
                                           f"got a dimension with lengths {da} and {db}")
    return tuple(out)


def _dims_str(shape: tuple) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


# ---------------------------------------------------------------- elementwise map
def _fast_mod(x: Any, y: Any) -> Any:
    dx, dy = value_dtype(x), value_dtype(y)
    if dx is not None and dx.kind in "iub" and dy is not None and dy.kind in "iub":
        if np.any(np.asarray(y) == 0):
            raise divide_error()
        return np.mod(x, y)
    r = _quiet(np.fmod, x, y)
    return np.where((r != 0) & ((r < 0) != (np.asarray(y) < 0)), r + y, r)


def _prim(name: str) -> Callable[..., Any]:
    return PRIMITIVES[name].impl


# generic function name -> {arity: (numpy-capable implementation, cast inputs to result?)}
_FAST: dict[str, dict[int, tuple[Callable[..., Any], bool]]] = {}


def _fast(names: str, arity: int, fn: Callable[..., Any] | str, cast: bool = True) -> None:
    for name in names.split():
        _FAST.setdefault(name, {})[arity] = (fn, cast)


def _init_fast_table() -> None:
    if _FAST:
        return
    _fast("+", 2, "add"); _fast("-", 2, "sub"); _fast("*", 2, "mul"); _fast("/", 2, "div")
    _fast("^", 2, "pow"); _fast("÷ div", 2, "int_div"); _fast("% rem", 2, "int_rem")
    _fast("mod", 2, _fast_mod)
    _fast("-", 1, "neg"); _fast("+ identity", 1, lambda x: x)
    _fast("min", 2, "min"); _fast("max", 2, "max")
    _fast("atan", 2, "atan2"); _fast("copysign", 2, "copysign")
    for name in ("abs sign sqrt cbrt exp exp2 log log2 log10 log1p expm1 sin cos tan asin "
                 "acos atan sinh cosh tanh floor ceil round trunc").split():
        _fast(name, 1, name)
    _fast("abs2", 1, lambda x: x * x)
    _fast("float", 1, as_float)
    _fast("== isequal", 2, "eq", cast=False); _fast("!= ≠", 2, "ne", cast=False)
    _fast("<", 2, "lt", cast=False); _fast("<= ≤", 2, "le", cast=False)
    _fast(">", 2, "gt", cast=False); _fast(">= ≥", 2, "ge", cast=False)
    _fast("&", 2, "and"); _fast("|", 2, "or"); _fast("xor ⊻", 2, "xor")
    _fast("! ~", 1, "not")
    _fast("isnan", 1, "isnan", cast=False); _fast("isinf", 1, "isinf", cast=False)
    _fast("isfinite", 1, lambda x: np.isfinite(x), cast=False)
    _fast("signbit", 1, "signbit", cast=False)
    _fast("ifelse", 3, "select", cast=False)


def _cast(x: Any, dt: np.dtype) -> Any:
    if isinstance(x, np.ndarray):
        return x if x.dtype == dt else _quiet(x.astype, dt)
    return _quiet(dt.type, to_numpy(x))


def _fast_elementwise(ctx: Any, f: Any, args: tuple, shape: tuple) -> Any:
    """numpy evaluation of a known elementwise function; None when it does not apply."""
    name = _generic_name(f)
    if name is not None:
        _init_fast_table()
        entry = _FAST.get(name, {}).get(len(args))
        if entry is None:
            return None
        fn, cast = entry
        if isinstance(fn, str):
            fn = _prim(fn)
    else:
        dt = dtype_of(f) if _is_type(f) else None
        if dt is None or len(args) != 1 or value_dtype(args[0]) is None:
            return None
        return convert_to_dtype(dt, np.asarray(args[0]) if isinstance(args[0], np.ndarray)
                                else args[0], type_name(f))
    if any(value_dtype(a) is None for a in args):
        return None
    n = math.prod(shape)
    if n > 0:
        firsts = [a.reshape(-1)[0] if isinstance(a, np.ndarray) else a for a in args]
        r0 = ctx.call(f, *[box(v) for v in firsts])
    else:
        try:
            r0 = ctx.call(f, *[_zero_of(a) for a in args])
        except source.ArrError:
            dts = [value_dtype(a) for a in args]
            dt = dts[0]
            for d in dts[1:]:
                dt = promote_dtype(dt, d)
            return np.zeros(shape, dtype=dt)
    rdt = scalar_dtype(r0)
    if rdt is None:
        return None
    if n == 0:
        return np.zeros(shape, dtype=rdt)
    if name == "*" and rdt.kind == "f" and any(value_dtype(a) == np.bool_ for a in args):
        return None        # `false * NaN == 0.0`: leave it to the Arr method
    ops = [_cast(a, rdt) for a in args] if cast else [to_numpy(a) for a in args]
    try:
        res = fn(*ops)
    except source.ArrError:
        raise
    except Exception:
        return None
    res = np.asarray(res)
    if res.shape != shape:
        res = np.broadcast_to(res, shape)
    return res.astype(rdt) if res.dtype != rdt else np.ascontiguousarray(res)


def _is_type(f: Any) -> bool:
    return _types().is_type(f)


def _zero_of(a: Any) -> Any:
    dt = value_dtype(a)
    return make_scalar(dt.type(0), dt)


@primitive("elementwise", 2, needs_ctx=True, derivative="elementwise")
def elementwise(ctx: Any, f: Any, args: tuple) -> Any:
    """`elementwise(f, (xs...))`: f applied to corresponding elements of same-shape arrays
    (scalar arguments are used for every element).  The result has the arrays' shape."""
    args = tuple(_collect_if_range(a) for a in args)
    shape = None
    for a in args:
        if isinstance(a, np.ndarray):
            if shape is None:
                shape = a.shape
            elif a.shape != shape:
                raise source.DimensionMismatch(
                    f"elementwise: array shapes {_dims_str(shape)} and {_dims_str(a.shape)} "
                    "differ")
    if shape is None:
        return ctx.call(f, *args)
    if all(value_dtype(a) is not None for a in args):
        vec = vectorize_call(ctx, f, args, shape)
        if vec is not None:
            return vec
    n = math.prod(shape)
    if n == 0:
        if all(value_dtype(a) is not None for a in args):
            try:
                r0 = ctx.call(f, *[_zero_of(a) for a in args])
                dt = scalar_dtype(r0)
                if dt is not None:
                    return np.zeros(shape, dtype=dt)
            except source.ArrError:
                pass
        return obj_array([], _types().BUILTIN_TYPES["Any"], shape)
    cols = [flat_values(a) if isinstance(a, np.ndarray) else None for a in args]
    results = []
    for k in range(n):
        results.append(ctx.call(f, *[c[k] if c is not None else a for c, a in zip(cols, args)]))
    return array_from_values(results, shape)


# ---------------------------------------------------------------- vectorised kernels
# The lowering turns `a .* b .+ 1` into `broadcast((x, y) -> x * y + 1, a, b)`, and user
# functions like `sigmoid(x) = 1 / (1 + exp(-x))` are broadcast too.  When the body of
# such a function is straight-line code whose calls are all elementwise operations of the
# fast table (or, recursively, other such functions), it is run once on whole numpy
# arrays ("lanes") instead of once per element.  Anything else (branches, intrinsics,
# other calls, captured arrays) makes it decline, and the element-by-element path runs.
_VECTOR_OPS = frozenset(("arg", "const", "getglobal", "call", "checkdef", "capture", "sparam"))
_MAX_VECTOR_DEPTH = 6


class _Lane:
    """A value that varies per element: a numpy array of the broadcast shape."""
    __slots__ = ("a",)

    def __init__(self, a: np.ndarray) -> None:
        self.a = a


def vectorize_call(ctx: Any, f: Any, args: tuple, shape: tuple, depth: int = 0) -> Any:
    """f applied elementwise to numeric arrays/scalars as whole-array numpy operations, or
    None when f's body is not straight-line elementwise code."""
    if depth > _MAX_VECTOR_DEPTH or math.prod(shape) == 0:
        return None
    try:
        got = _fast_elementwise(ctx, f, args, shape)
        if got is not None:
            return got
        body = _straight_line_body(ctx, f, args)
        if body is None:
            return None
        ir, env, captures = body
        out = _run_lanes(ctx, ir, env, captures, args, shape, depth)
    except source.ArrError:
        return None      # let the element-by-element path raise it, in element order
    if out is None or not isinstance(out, np.ndarray) or out.shape != shape:
        return None
    return out


def _straight_line_body(ctx: Any, f: Any, args: tuple) -> tuple | None:
    from ..dispatch import GenericFunction
    from ..interp import Closure, MethodImpl
    firsts = [box(a.reshape(-1)[0]) if isinstance(a, np.ndarray) else a for a in args]
    if isinstance(f, Closure):
        info = f.info
        if info.vararg or info.kwnames or info.kw_vararg or info.nparams != len(args):
            return None
        ir, env, captures = info.ir, None, f.captures
    elif isinstance(f, GenericFunction):
        method, env = f.lookup(tuple(_types().typeof(v) for v in firsts))
        impl = method.impl
        if not isinstance(impl, MethodImpl) or impl.vararg or impl.has_kw or impl.drop_first \
                or impl.nparams != len(args):
            return None
        ir, captures = impl.ir, ()
    else:
        return None
    if len(ir.blocks) != 1 or ir.blocks[0].term.op != "ret":
        return None
    if any(inst.op not in _VECTOR_OPS for inst in ir.blocks[0].insts):
        return None
    return ir, env, captures


def _run_lanes(ctx: Any, ir: Any, env: Any, captures: tuple, args: tuple, shape: tuple,
               depth: int) -> Any:
    regs: dict[int, Any] = {}
    g = ctx.globals
    blk = ir.blocks[0]
    for inst in blk.insts:
        op, a = inst.op, inst.args
        if op == "arg":
            v = args[inst.attr]
            regs[inst.res] = _Lane(v) if isinstance(v, np.ndarray) else v
        elif op == "const":
            regs[inst.res] = inst.attr
        elif op == "getglobal":
            if inst.attr not in g:
                return None
            regs[inst.res] = g[inst.attr]
        elif op == "checkdef":
            regs[inst.res] = regs[a[0]]
        elif op == "capture":
            v = captures[inst.attr]
            if isinstance(v, np.ndarray) or type(v).__name__ == "Box":
                return None
            regs[inst.res] = v
        elif op == "sparam":
            if env is None or inst.attr not in env:
                return None
            regs[inst.res] = env[inst.attr]
        elif op == "call":
            flags, kwnames = inst.attr
            if flags is not None or kwnames:
                return None
            fn = regs[a[0]]
            vals = [regs[x] for x in a[1:]]
            if not any(isinstance(v, _Lane) for v in vals):
                # a call on per-call constants: only pure numeric operations may be
                # evaluated once for all elements
                if _generic_name(fn) not in _FAST or any(value_dtype(v) is None for v in vals):
                    return None
                regs[inst.res] = ctx.call(fn, *vals)
                continue
            if any(isinstance(v, np.ndarray) for v in vals):
                return None      # a whole array used inside the kernel: not elementwise
            ops = tuple(v.a if isinstance(v, _Lane) else v for v in vals)
            if any(value_dtype(v) is None for v in ops):
                return None
            res = vectorize_call(ctx, fn, ops, shape, depth + 1)
            if res is None:
                return None
            regs[inst.res] = _Lane(res)
    result = regs[blk.term.args[0]]
    if isinstance(result, _Lane):
        return result.a
    if value_dtype(result) is not None:
        return np.full(shape, to_numpy(result))
    return None


# ---------------------------------------------------------------- reductions
_REDUCE_NP: dict[str, tuple[Callable[..., Any], Callable[..., Any]]] = {
    "+": (np.sum, np.add), "*": (np.prod, np.multiply),
    "max": (np.max, None), "min": (np.min, None),
    "&": (np.bitwise_and.reduce, np.bitwise_and), "|": (np.bitwise_or.reduce, np.bitwise_or),
}


def _reduce_axes(x: np.ndarray, dims: Any) -> tuple[int, ...] | None:
    """0-based axes to reduce; None for all of them."""
    if dims is None or is_colon(dims):
        return None
    ds = dims if isinstance(dims, tuple) else (dims,)
    axes = []
    for d in ds:
        n = as_int(d)
        if n is None or n < 1:
            raise source.ArgumentError(f"region dimension(s) must be ≥ 1, got {d}")
        if n <= x.ndim:
            axes.append(n - 1)
    return tuple(sorted(set(axes)))


@primitive("reduce", 4, needs_ctx=True, derivative="reduce")
def reduce(ctx: Any, f: Any, x: Any, init: Any, dims: Any) -> Any:
    """`reduce(f, x, init, dims)`: fold `f` over the elements of x, starting from `init`.
    `dims` is `nothing` (all elements: a scalar result) or a tuple of 1-based dimensions
    (kept with size 1).  Elements are combined left to right in row-major order; for
    `+ * max min & |` on numeric arrays numpy computes it."""
    x = _collect_if_range(x)
    axes = _reduce_axes(x, dims)
    red_axes = tuple(range(x.ndim)) if axes is None else axes
    kept_shape = tuple(1 if i in red_axes else d for i, d in enumerate(x.shape))
    name = _generic_name(f)
    if name in _REDUCE_NP and value_dtype(x) is not None and value_dtype(init) is not None:
        res = _fast_reduce(ctx, f, name, x, init, red_axes, kept_shape)
        if res is not None:
            return from_numpy(res.reshape(())) if axes is None else res
    if axes is None:
        acc = init
        for v in flat_values(x):
            acc = ctx.call(f, acc, v)
        return acc
    moved = np.moveaxis(x, red_axes, tuple(range(x.ndim - len(red_axes), x.ndim)))
    m = math.prod(x.shape[i] for i in red_axes)
    rows = moved.reshape(-1, m) if m > 0 else np.empty((math.prod(kept_shape), 0), x.dtype)
    out = []
    for r in range(rows.shape[0]):
        acc = init
        for v in flat_values(rows[r]):
            acc = ctx.call(f, acc, v)
        out.append(acc)
    return array_from_values(out, kept_shape)


def _fast_reduce(ctx: Any, f: Any, name: str, x: np.ndarray, init: Any,
                 red_axes: tuple[int, ...], kept_shape: tuple[int, ...]) -> np.ndarray | None:
    first = x.reshape(-1)[0] if x.size else init
    r0 = ctx.call(f, init, box(first))
    rdt = scalar_dtype(r0)
    if rdt is None:
        return None
    if x.size == 0 or any(x.shape[a] == 0 for a in red_axes):
        return np.full(kept_shape, to_numpy(init)).astype(rdt)
    reducer, combine = _REDUCE_NP[name]
    xx = x.astype(rdt) if (x.dtype != rdt and name in ("+", "*")) else x
    if name in ("&", "|") and xx.dtype.kind == "f":
        return None
    r = _quiet(reducer, xx, axis=red_axes, keepdims=True) if reducer not in (
        np.bitwise_and.reduce, np.bitwise_or.reduce) else _bitwise_reduce(reducer, xx, red_axes)
    ini = to_numpy(init)
    if name == "max":
        r = _prim("max")(np.asarray(r, dtype=rdt), _cast(ini, rdt))
    elif name == "min":
        r = _prim("min")(np.asarray(r, dtype=rdt), _cast(ini, rdt))
    else:
        r = _quiet(combine, _cast(ini, rdt), np.asarray(r).astype(rdt))
    return np.asarray(r).astype(rdt).reshape(kept_shape)


def _bitwise_reduce(reducer: Callable[..., Any], x: np.ndarray, axes: tuple[int, ...]) -> Any:
    r = x
    for a in sorted(axes, reverse=True):
        r = reducer(r, axis=a, keepdims=True)
    return r


_ACCUM_NP: dict[str, Callable[..., Any]] = {
    "+": np.cumsum, "*": np.cumprod, "max": np.maximum.accumulate, "min": np.minimum.accumulate,
}


@primitive("accumulate", 3, needs_ctx=True, derivative="accumulate")
def accumulate(ctx: Any, f: Any, x: Any, dim: int) -> np.ndarray:
    """`accumulate(f, x; dims=dim)`: running fold of f along one dimension (cumsum for +)."""
    x = _collect_if_range(x)
    ax = int(dim) - 1
    if not 0 <= ax < max(x.ndim, 1):
        raise source.ArgumentError(f"invalid dimension {dim}")
    if x.size == 0:
        return x.copy()
    name = _generic_name(f)
    if name in _ACCUM_NP and value_dtype(x) is not None:
        first = x.reshape(-1)[0]
        r0 = ctx.call(f, box(first), box(first))
        rdt = scalar_dtype(r0)
        if rdt is not None and not (name in ("max", "min") and x.dtype.kind == "f"
                                    and np.isnan(x).any()):
            return _quiet(_ACCUM_NP[name], x.astype(rdt), axis=ax)
    moved = np.moveaxis(x, ax, -1)
    rows = moved.reshape(-1, moved.shape[-1])
    out_rows = []
    for r in range(rows.shape[0]):
        vals = flat_values(rows[r])
        acc = vals[0]
        row = [acc]
        for v in vals[1:]:
            acc = ctx.call(f, acc, v)
            row.append(acc)
        out_rows.append(row)
    flat = [v for row in out_rows for v in row]
    res = array_from_values(flat, moved.shape)
    return np.ascontiguousarray(np.moveaxis(res, -1, ax))


@primitive("argextreme", 2, derivative="none")
def argextreme(x: Any, ismax: bool) -> int:
    """The 1-based linear (row-major) index of the first maximum (`ismax`) or minimum of a
    numeric array; a NaN counts as the extreme, as in Julia's findmax/findmin."""
    x = _collect_if_range(x)
    if x.size == 0:
        raise source.ArgumentError("collection must be non-empty")
    flat = x.reshape(-1)
    return int(np.argmax(flat) if ismax else np.argmin(flat)) + 1


# ---------------------------------------------------------------- linear algebra
@primitive("matmul", 2, derivative="matmul")
def matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`a * b` for matrix-matrix and matrix-vector products (a vector on the left is an
    n×1 matrix)."""
    a, b = _collect_if_range(a), _collect_if_range(b)
    if a.ndim == 1:
        a = a.reshape(-1, 1)
    if a.ndim != 2 or b.ndim not in (1, 2):
        raise source.MethodError(f"no method matching *(::{_summary(a)}, ::{_summary(b)})")
    if a.shape[1] != b.shape[0]:
        if b.ndim == 1:
            raise source.DimensionMismatch(f"matrix A has dimensions ({a.shape[0]},{a.shape[1]}), "
                                           f"vector B has length {b.shape[0]}")
        raise source.DimensionMismatch(f"matrix A has dimensions ({a.shape[0]},{a.shape[1]}), "
                                       f"matrix B has dimensions ({b.shape[0]},{b.shape[1]})")
    da, db = value_dtype(a), value_dtype(b)
    if da is None or db is None:
        raise source.MethodError("matrix product of non-numeric arrays is not supported")
    dt = promote_dtype(da, db)
    if dt == np.bool_:
        return (a.astype(np.int64) @ b.astype(np.int64)) > 0
    return _quiet(np.matmul, a.astype(dt, copy=False), b.astype(dt, copy=False))


# ---------------------------------------------------------------- indexing
def _index_error(x: Any, idx: tuple) -> source.ArrError:
    return bounds_error(x, idx)


def _normalize(ix: Any, n: int, x: Any, idx: tuple) -> Any:
    """One index for a dimension of length n: an int (0-based) or a 0-based int array or
    slice(None).  Raises BoundsError / ArgumentError as Julia does."""
    k = as_int(ix)
    if k is not None:
        if not 1 <= k <= n:
            raise _index_error(x, idx)
        return k - 1
    if is_colon(ix):
        return slice(None)
    if isinstance(ix, UnitRange):
        lo, hi = ix.start, ix.stop
        if as_int(lo) is None:
            raise source.ArgumentError(f"invalid index: {ix} of type {_types().typeof(ix)}")
        if hi >= lo and (lo < 1 or hi > n):
            raise _index_error(x, idx)
        return slice(lo - 1, max(hi, lo - 1))
    if isinstance(ix, StepRange):
        arr = range_collect(ix)
        if arr.dtype.kind not in "iu":
            raise source.ArgumentError(f"invalid index: {ix} of type {_types().typeof(ix)}")
        if arr.size and (arr.min() < 1 or arr.max() > n):
            raise _index_error(x, idx)
        return arr - 1
    if isinstance(ix, np.ndarray):
        if ix.dtype == np.bool_:
            if ix.ndim != 1 or ix.shape[0] != n:
                raise _index_error(x, idx)
            return np.flatnonzero(ix)
        if ix.dtype == object:
            ix = np.array([as_int(v) if as_int(v) is not None else -1 for v in ix.reshape(-1)],
                          dtype=np.int64).reshape(ix.shape)
        if ix.dtype.kind not in "iu":
            raise source.ArgumentError(f"invalid index: {_summary(ix)}")
        if ix.size and (ix.min() < 1 or ix.max() > n):
            raise _index_error(x, idx)
        return ix.astype(np.int64) - 1
    if isinstance(ix, (bool, np.bool_)):
        raise source.ArgumentError(f"invalid index: {'true' if ix else 'false'} of type Bool")
    from .scalar import arr_repr
    raise source.ArgumentError(f"invalid index: {arr_repr(ix)} of type {_types().typeof(ix)}")


def _prepare(x: np.ndarray, idx: tuple) -> tuple[np.ndarray, list]:
    """Reshape x for the number of indices (linear indexing, trailing dimensions) and
    normalise each index."""
    n = len(idx)
    if n == 0:
        if x.size != 1:
            raise _index_error(x, idx)
        return x.reshape(()), []
    if n == 1:
        ix = idx[0]
        if isinstance(ix, np.ndarray) and ix.dtype == np.bool_ and ix.ndim > 1:
            if ix.shape != x.shape:
                raise _index_error(x, idx)
            return x.reshape(-1), [np.flatnonzero(ix.reshape(-1))]
        view = x.reshape(-1)
    elif n < x.ndim:
        view = x.reshape(x.shape[:n - 1] + (-1,))
    elif n > x.ndim:
        view = x.reshape(x.shape + (1,) * (n - x.ndim))
    else:
        view = x
    return view, [_normalize(ix, view.shape[d], x, idx) for d, ix in enumerate(idx)]


@primitive("getindex", 2, derivative="getindex")
def getindex(x: Any, idx: tuple) -> Any:
    """`getindex(x, (i, j, ...))` = `x[i, j, ...]` with integers, ranges, integer arrays,
    Bool masks and `:`; integers drop their dimension.  One index is linear (row-major);
    BoundsError when out of range."""
    if isinstance(x, (UnitRange, StepRange)):
        if len(idx) == 1 and as_int(idx[0]) is not None:
            return range_getindex(x, idx[0])
        x = range_collect(x)
    if len(idx) == 1 and x.ndim == 1 and type(idx[0]) is int:
        i = idx[0]
        if not 1 <= i <= x.shape[0]:
            raise _index_error(x, idx)
        return box(x[i - 1])
    view, norm = _prepare(x, idx)
    if all(isinstance(k, int) for k in norm):
        return box(view[tuple(norm)])
    res = view
    axis = 0
    for k in norm:
        if isinstance(k, int):
            res = np.take(res, k, axis=axis)
        elif isinstance(k, slice):
            res = res[(slice(None),) * axis + (k,)]
            axis += 1
        else:
            res = np.take(res, k, axis=axis)
            axis += k.ndim
    return np.array(res, copy=True) if not isinstance(res, ObjArray) else res.copy()


def _index_arrays(view: np.ndarray, norm: list) -> tuple:
    """An advanced-indexing tuple selecting the outer product of the normalised indices."""
    arrays = []
    for d, k in enumerate(norm):
        if isinstance(k, int):
            continue
        if isinstance(k, slice):
            k = np.arange(view.shape[d])[k]
        arrays.append(k.reshape(-1))
    grids = np.ix_(*arrays) if arrays else ()
    out, j = [], 0
    for k in norm:
        if isinstance(k, int):
            out.append(k)
        else:
            out.append(grids[j])
            j += 1
    return tuple(out)


def _convert_element(x: np.ndarray, v: Any) -> Any:
    if x.dtype == object:
        return v
    return to_numpy(convert_to_dtype(x.dtype, v, type_name(element_type(x))))


@primitive("setindex", 3, derivative="setindex")
def setindex(x: np.ndarray, v: Any, idx: tuple) -> np.ndarray:
    """`setindex(x, v, (i, j, ...))`, the value of `x[i, j, ...] = v`: a copy of x with the
    selected elements replaced by v (converted to x's element type; an array v must have as
    many elements as are selected)."""
    new = x.copy()
    view, norm = _prepare(new, idx)
    if all(isinstance(k, int) for k in norm):
        if isinstance(v, np.ndarray):
            # x[i] = array is only valid for arrays of arrays
            if new.dtype != object:
                raise source.MethodError(f"Cannot `convert` an object of type {_summary(v)} "
                                         f"to an object of type {type_name(element_type(x))}")
        view[tuple(norm)] = _convert_element(new, v)
        return new
    sel = _index_arrays(view, norm)
    target_shape = np.broadcast_shapes(*[np.shape(s) for s in sel]) if sel else ()
    count = math.prod(target_shape)
    if not isinstance(v, np.ndarray):
        if isinstance(v, (UnitRange, StepRange)):
            v = range_collect(v)
        else:
            raise source.ArgumentError("indexed assignment with a single value to possibly many "
                                       "locations is not supported; perhaps use broadcasting "
                                       "`.=` instead?")
    if v.size != count:
        raise source.DimensionMismatch(f"tried to assign {v.size} elements to {count} "
                                       "destinations")
    vals = v.reshape(target_shape)
    if new.dtype != object:
        vals = convert_to_dtype(new.dtype, vals, type_name(element_type(x)))
    view[sel] = vals
    return new


# ---------------------------------------------------------------- construction
@primitive("concatenate", 2, derivative="concatenate")
def concatenate(arrays: tuple, dim: int) -> np.ndarray:
    """`cat(arrays...; dims=dim)`: arrays (or scalars) joined along dimension `dim`;
    missing trailing dimensions count as 1."""
    arrays = tuple(_collect_if_range(a) for a in arrays)
    if not arrays:
        raise source.ArgumentError("cat of no arrays")
    ax = int(dim) - 1
    parts = []
    for a in arrays:
        if not isinstance(a, np.ndarray):
            a = np.array(to_numpy(a)) if scalar_dtype(a) is not None else \
                obj_array([a], _types().typeof(a)).reshape(())
        parts.append(a)
    nd = max(ax + 1, max(p.ndim for p in parts))
    parts = [p.reshape(p.shape + (1,) * (nd - p.ndim)) for p in parts]
    ref = parts[0].shape
    for p in parts[1:]:
        for d in range(nd):
            if d != ax and p.shape[d] != ref[d]:
                got = ", ".join(str(q.shape[d]) for q in parts)
                if ax == 0 and nd == 2:
                    msg = f"number of columns of each array must match (got ({got}))"
                elif ax == 1 and nd == 2:
                    msg = f"number of rows of each array must match (got ({got}))"
                else:
                    msg = f"mismatch in dimension {d + 1} (expected {ref[d]} got {p.shape[d]})"
                raise source.DimensionMismatch(msg)
    dts = [value_dtype(p) for p in parts]
    if all(d is not None for d in dts):
        dt = dts[0]
        for d in dts[1:]:
            dt = promote_dtype(dt, d)
        return np.concatenate([p.astype(dt, copy=False) for p in parts], axis=ax)
    ets = [element_type(p) if p.dtype == object else _types().eltype_from_dtype(p.dtype)
           for p in parts]
    T = ets[0]
    t = _types()
    for e in ets[1:]:
        if e != T:
            join = getattr(t, "typejoin", None)
            T = join(T, e) if join is not None else t.BUILTIN_TYPES["Any"]
    res = np.concatenate([p.astype(object) for p in parts], axis=ax).view(ObjArray)
    res.eltype = T
    return res


@primitive("fill", 2, derivative="fill")
def fill(v: Any, shape: tuple) -> np.ndarray:
    """`fill(v, dims)`: an array of the given shape with every element v."""
    shape = shape_tuple(shape)
    dt = scalar_dtype(v)
    if dt is not None:
        return np.full(shape, to_numpy(v), dtype=dt)
    out = np.empty(shape, dtype=object)
    for k in np.ndindex(*shape):
        out[k] = v
    res = out.view(ObjArray)
    res.eltype = _types().typeof(v)
    return res


@primitive("array_from_tuple", 3, derivative="array_from_tuple")
def array_from_tuple(T: Any, values: tuple, shape: tuple) -> np.ndarray:
    """An array of element type T (`nothing`: inferred) and the given shape from a tuple of
    values in row-major order (array literals)."""
    shape = shape_tuple(shape)
    if math.prod(shape) != len(values):
        raise source.DimensionMismatch(f"array literal has {len(values)} elements, shape "
                                       f"{_dims_str(shape)} needs {math.prod(shape)}")
    return array_from_values(list(values), shape, T)


@primitive("iterate_collect", 2, needs_ctx=True, derivative="none")
def iterate_collect(ctx: Any, iterate_fn: Any, itr: Any) -> np.ndarray:
    """`collect(itr)` for any iterable: runs the iteration protocol (`iterate_fn` is the
    generic function `iterate`) and returns the items as a Vector."""
    items = []
    nxt = ctx.call(iterate_fn, itr)
    while nxt is not None:
        items.append(nxt[0])
        nxt = ctx.call(iterate_fn, itr, nxt[1])
    if not items:
        return obj_array([], _types().BUILTIN_TYPES["Any"], (0,))
    return array_from_values(items, (len(items),))


@primitive("array_to_tuple", 1, derivative="array_to_tuple")
def array_to_tuple(x: Any) -> tuple:
    """`Tuple(x)`: the elements of an array in row-major order."""
    return tuple(flat_values(_collect_if_range(x)))


@primitive("copy", 1, derivative="copy")
def copy(x: np.ndarray) -> np.ndarray:
    """`copy(x)`: a fresh array with the same elements."""
    return x.copy()


@primitive("reverse", 2, derivative="reverse")
def reverse(x: Any, dim: Any) -> np.ndarray:
    """`reverse(x; dims=dim)` (dim `nothing`: all dimensions)."""
    x = _collect_if_range(x)
    if dim is None or is_colon(dim):
        return np.flip(x).copy()
    return np.flip(x, axis=int(dim) - 1).copy()


def _sort_keys_ok(x: np.ndarray) -> bool:
    return x.dtype != object


@primitive("sortperm", 2, derivative="none")
def sortperm(x: Any, rev: bool) -> np.ndarray:
    """`sortperm(v; rev)`: the 1-based stable sorting permutation of a vector (NaN last in
    ascending order, as Julia's isless)."""
    x = _collect_if_range(x)
    if x.ndim != 1:
        raise source.ArgumentError("sortperm requires a vector")
    n = x.shape[0]
    if _sort_keys_ok(x):
        if rev:
            p = (n - 1 - np.argsort(x[::-1], kind="stable"))[::-1]
        else:
            p = np.argsort(x, kind="stable")
    else:
        vals = x.tolist()
        order = sorted(range(n), key=lambda i: vals[i], reverse=False)
        if rev:
            order = sorted(range(n), key=lambda i: vals[i], reverse=True)
        p = np.array(order, dtype=np.int64)
    return np.ascontiguousarray(p).astype(np.int64) + 1


@primitive("sort", 3, derivative="sort")
def sort(x: Any, dim: int, rev: bool) -> np.ndarray:
    """`sort(x; dims=dim, rev)`: stable sort along one dimension."""
    x = _collect_if_range(x)
    ax = int(dim) - 1
    if x.dtype == object:
        if x.ndim != 1:
            raise source.ArgumentError("sorting non-numeric arrays needs a vector")
        return x[sortperm(x, rev) - 1]
    s = np.sort(x, axis=ax, kind="stable")
    return np.flip(s, axis=ax).copy() if rev else s
