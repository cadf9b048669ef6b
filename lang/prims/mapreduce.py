"""Higher-order array intrinsics: `elementwise` (what broadcasting runs), `reduce`,
`accumulate`, and `argextreme`.

Higher-order intrinsics (`elementwise`, `reduce`, `accumulate`) receive the interpreter
context and call Arr functions with `ctx.call(f, *args)`.  When `f` is a generic function
from a fixed table (`+`, `sin`, `max`, ...) and the operands are numeric arrays, they
compute with numpy instead; the element type of the result is that of `f` applied to the
first elements, so Julia's promotion rules (decided by the Arr methods) still hold.

`elementwise(f, args)` on numeric arrays tries, in order:
1. the fast table (`_fast_elementwise`): one numpy call for a known `f`;
2. a vectorised kernel (`vectorize_call`): an `f` whose body is straight-line code over
   fast-table operations runs once on whole arrays;
3. `f` called on each element in row-major order, the results collected by
   `array_from_values`.
`reduce` and `accumulate` try numpy (`_REDUCE_NP`, `_ACCUM_NP`) and otherwise fold with
`ctx.call` left to right in row-major order.

Their shape rules get the inference context and ask `ctx.infer_call(f, ...)` for what `f`
returns on elements (`element_value` of the arrays' element types).  A fold's accumulator
type is the fixed point of joining `f(acc, element)` into it (`_fold_value`).
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from . import primitive, shape_rule, PRIMITIVES
from .. import lattice as L, source
from ..lattice import NO_CONST, AbstractValue
from ..values import box, obj_array
from .array import (_collect_if_range, _dims_str, _generic_name, _types, array_from_values,
                    array_value, collected_value, element_value, flat_values, is_colon,
                    known_eltype, known_rank, known_shape, known_size, known_value,
                    like_array, tuple_items)
from .scalar import (as_float, as_int, convert_to_dtype, divide_error, dtype_of, from_numpy,
                     make_scalar, promote_dtype, scalar_dtype, to_numpy, type_name, value_dtype,
                     _quiet)


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


def arrays_shape(args: tuple, is_array: Callable[[Any], bool]) -> tuple | None:
    """The one shape of the arrays among `elementwise`'s arguments (None: no array);
    DimensionMismatch when two differ."""
    shape = None
    for a in args:
        if is_array(a):
            if shape is None:
                shape = a.shape
            elif a.shape != shape:
                raise source.DimensionMismatch(
                    f"elementwise: array shapes {_dims_str(shape)} and {_dims_str(a.shape)} "
                    "differ")
    return shape


@primitive("elementwise", 2, needs_ctx=True, derivative="elementwise")
def elementwise(ctx: Any, f: Any, args: tuple) -> Any:
    """`elementwise(f, (xs...))`: f applied to corresponding elements of same-shape arrays
    (scalar arguments are used for every element).  The result has the arrays' shape."""
    args = tuple(_collect_if_range(a) for a in args)
    shape = arrays_shape(args, lambda a: isinstance(a, np.ndarray))
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


@shape_rule("elementwise")
def elementwise_shape(ctx: Any, f: AbstractValue, args: AbstractValue) -> AbstractValue:
    items = tuple_items(args)
    if items is None or any(not L.is_array(a) and a.shape != () for a in items):
        return L.TOP                            # not known which arguments are arrays
    arrays = [a for a in items if L.is_array(a)]
    if not arrays:
        return ctx.infer_call(f, *items)
    shapes = [s for s in map(known_shape, arrays) if s is not None]
    ranks = {r for r in map(known_rank, arrays) if r is not None}
    for s in shapes[1:]:
        if s != shapes[0]:
            raise source.DimensionMismatch(f"elementwise: array shapes {_dims_str(shapes[0])} "
                                           f"and {_dims_str(s)} differ")
    if len(ranks) > 1:
        raise source.DimensionMismatch("elementwise: array ranks differ")
    elems = [element_value(known_eltype(a)) if L.is_array(a) else a for a in items]
    r = ctx.infer_call(f, *elems)
    eltype = r.type if _types().is_concrete(r.type) else None
    shape, rank = (shapes[0] if shapes else None), (ranks.pop() if ranks else None)
    if all(dtype_of(e.type) is not None for e in elems) and dtype_of(eltype) is not None:
        return array_value(eltype, shape, rank)     # numbers: empty arrays keep the type
    return collected_value(eltype, shape, rank)


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


def _reduce_axes(ndim: int | None, dims: Any) -> tuple[int, ...] | None:
    """0-based axes to reduce of an array of `ndim` dimensions (None: unknown); None for all."""
    if dims is None or is_colon(dims):
        return None
    ds = dims if isinstance(dims, tuple) else (dims,)
    axes = []
    for d in ds:
        n = as_int(d)
        if n is None or n < 1:
            raise source.ArgumentError(f"region dimension(s) must be ≥ 1, got {d}")
        if ndim is None or n <= ndim:
            axes.append(n - 1)
    return tuple(sorted(set(axes)))


@primitive("reduce", 4, needs_ctx=True, derivative="reduce")
def reduce(ctx: Any, f: Any, x: Any, init: Any, dims: Any) -> Any:
    """`reduce(f, x, init, dims)`: fold `f` over the elements of x, starting from `init`.
    `dims` is `nothing` (all elements: a scalar result) or a tuple of 1-based dimensions
    (kept with size 1).  Elements are combined left to right in row-major order; for
    `+ * max min & |` on numeric arrays numpy computes it."""
    x = _collect_if_range(x)
    axes = _reduce_axes(x.ndim, dims)
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


@shape_rule("reduce")
def reduce_shape(ctx: Any, f: AbstractValue, x: AbstractValue, init: AbstractValue,
                 dims: AbstractValue) -> AbstractValue:
    elem, shape, rank, T = element_value(known_eltype(x)), known_shape(x), known_rank(x), _types()
    d = known_value(dims)
    if d is NO_CONST and not T.issubtype(dims.type, T.make_union(T.TupleType, T.Integer)):
        return L.TOP                            # not known whether along dimensions
    axes = None if d is NO_CONST else _reduce_axes(rank, d)
    if d is not NO_CONST and axes is None:      # all elements: the accumulator itself
        return _fold_value(ctx, f, init, elem, shape is not None and math.prod(shape) > 0)
    kept = None if shape is None or axes is None else \
        tuple(1 if i in axes else n for i, n in enumerate(shape))
    folded = None if kept is None else math.prod(shape[i] for i in axes)
    acc = _fold_value(ctx, f, init, elem, bool(folded))
    return collected_value(acc.type if T.is_concrete(acc.type) else None, kept, rank)


_MAX_FOLD_STEPS = 8


def _fold_value(ctx: Any, f: AbstractValue, init: AbstractValue, elem: AbstractValue,
                nonempty: bool) -> AbstractValue:
    """The accumulator of a left fold of f from init over elements like `elem`: the fixed
    point of joining f(acc, elem) into acc.  A fold over no elements returns init, so init
    is part of it unless there are elements."""
    first = _widen(ctx.infer_call(f, init, elem))
    acc = first if nonempty else L.join(_widen(init), first)
    for _ in range(_MAX_FOLD_STEPS):
        nxt = L.join(acc, _widen(ctx.infer_call(f, acc, elem)))
        if nxt == acc:
            return acc
        acc = nxt
    return L.TOP


def _widen(a: AbstractValue) -> AbstractValue:
    return AbstractValue(a.type, a.shape)


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
    return np.moveaxis(res, -1, ax).copy()         # (an ObjArray keeps its element type)


@shape_rule("accumulate")
def accumulate_shape(ctx: Any, f: AbstractValue, x: AbstractValue,
                     dim: AbstractValue) -> AbstractValue:
    rank, d = known_rank(x), known_value(dim)
    if d is not NO_CONST and (int(d) < 1 or (rank is not None and int(d) > max(rank, 1))):
        raise source.ArgumentError(f"invalid dimension {d}")
    # The running values start with an element itself: a type-stable f keeps the element
    # type (an empty x is returned as it is); otherwise the element type is unknown.
    eltype = known_eltype(x)
    if eltype is not None and _types().is_concrete(eltype):
        elem = element_value(eltype)
        if ctx.infer_call(f, elem, elem).type == eltype:
            return like_array(x)
    return array_value(None, known_shape(x), rank)


@primitive("argextreme", 2, derivative="none")
def argextreme(x: Any, ismax: bool) -> int:
    """The 1-based linear (row-major) index of the first maximum (`ismax`) or minimum of a
    numeric array; a NaN counts as the extreme, as in Julia's findmax/findmin."""
    x = _collect_if_range(x)
    if x.size == 0:
        raise source.ArgumentError("collection must be non-empty")
    flat = x.reshape(-1)
    return int(np.argmax(flat) if ismax else np.argmin(flat)) + 1


@shape_rule("argextreme")
def argextreme_shape(x: AbstractValue, ismax: AbstractValue) -> AbstractValue:
    if known_size(x) == 0:
        raise source.ArgumentError("collection must be non-empty")
    return L.scalar(_types().Int64)
