"""StableHLO lowerings of the intrinsics in `mapreduce.py` (`elementwise`, `reduce`,
`accumulate`, `argextreme`), kept apart from the reference evaluations for size.

`elementwise` traces f once on whole arrays (`ctx.batch`: each "scalar" argument holds
one element per position, so the scalar lowerings emit whole-array operations); when f
cannot be traced that way (a branch on the data, a loop) it becomes a `while` over the
elements, in row-major order.  `reduce` with `+ * max min & |` on numbers is one
`stablehlo.reduce` (floating-point sums and products in numpy's order when small);
other operators fold left in order (a `while`).  `accumulate` is a `while` along the
dimension; `argextreme` is two reductions (the extreme, then its first index).
Every `while` that calls Arr code carries the error state (`ctx.err`) with it.
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from contextlib import contextmanager

from . import lowering
from .mapreduce import (_ACCUM_NP, _REDUCE_NP, _generic_name, _reduce_axes, _types,
                        arrays_shape, make_scalar, scalar_dtype, source, to_numpy)
from . import hlo_rules as H
from .ranges import range_collect
from ..values import StepRange, UnitRange


def _st():
    from .. import staging
    return staging


def _eltype(d: Any) -> Any:
    """The element type of a run-time array."""
    return _types().unwrap(d.arr_type)[0].params[0]


def _arr_type(elt: Any, ndim: int) -> Any:
    T = _types()
    return T.apply_type(T.BUILTIN_TYPES["Array"], (elt, ndim))


_is_batched = H.is_batched
_unbatched = H.unbatched


@contextmanager
def _dry(ctx: Any):
    """Trace something only to look at its result: what it emits is dropped after."""
    saved = _save(ctx)
    try:
        yield
    finally:
        _restore(ctx, saved)


def _save(ctx: Any) -> tuple:
    return ctx.em.lines, len(ctx.em.lines), ctx.err, len(ctx.errors), ctx.batch, ctx.mask


def _restore(ctx: Any, saved: tuple) -> None:
    """Back to a `_save`d point: what was emitted since is dropped."""
    lines, n, ctx.err, nerr, ctx.batch, ctx.mask = saved
    del lines[n:]
    del ctx.errors[nerr:]


def _as_array(ctx: Any, x: Any) -> Any:
    """An array argument as a run-time array (ranges collected, constants embedded); other
    values as they are."""
    st = _st()
    if isinstance(x, (UnitRange, StepRange)):
        x = range_collect(ctx.need_const(x, "a range's length"))
    if isinstance(x, np.ndarray):
        if x.dtype.kind not in "biuf":
            ctx.fail("an array of non-numbers")
        if x.size == 0:
            return _full(ctx, 0, x.dtype, x.shape)
        return ctx.const(np.ascontiguousarray(x))
    if isinstance(x, st.Dyn) and x.is_array:
        return x
    return x


def _full(ctx: Any, value: Any, dtype: Any, shape: tuple) -> Any:
    """An array of one value (a constant or a run-time scalar)."""
    st = _st()
    dt = np.dtype(dtype)
    d = ctx.dyn(value, dt) if H.is_dyn(value) else ctx.const(make_scalar(value, dt), dt)
    elt = d.arr_type if H.is_dyn(value) else st.scalar_type(dt)
    if shape:
        d = ctx.broadcast(d, shape)
    return st.Dyn(d.name, _arr_type(elt, len(shape)), dt, shape)


def _is_arr(x: Any) -> bool:
    return H.is_dyn(x) and x.is_array


def _numeric_leaf(v: Any) -> bool:
    return H.is_dyn(v) and not v.is_array and not v.shape or \
        (not H.is_dyn(v) and not isinstance(v, np.ndarray) and scalar_dtype(v) is not None)


def _leaf_elt(v: Any) -> Any:
    return v.arr_type if H.is_dyn(v) else _types().typeof(v)


def _reshape(ctx: Any, x: Any, shape: tuple, arr_type: Any = None) -> Any:
    at = arr_type if arr_type is not None else (
        _arr_type(_eltype(x), len(shape)) if x.is_array else x.arr_type)
    if tuple(x.shape) == tuple(shape):
        return _st().Dyn(x.name, at, x.dtype, x.shape)
    return ctx.op("stablehlo.reshape", [x], at, x.dtype, tuple(shape))


def _transpose(ctx: Any, x: Any, perm: tuple) -> Any:
    if perm == tuple(range(len(perm))):
        return x
    shape = tuple(x.shape[p] for p in perm)
    from .. import hlo
    return ctx.op("stablehlo.transpose", [x], x.arr_type, x.dtype, shape,
                  f"permutation = {hlo.i64_array(perm)}")


def _elem(ctx: Any, flat: Any, k: Any) -> Any:
    """Element k (a 0-based Int64) of a vector, as a scalar."""
    elt = _eltype(flat)
    k = ctx.dyn(k, np.int64)
    piece = ctx.op("stablehlo.dynamic_slice", [flat, k], elt, flat.dtype, (1,),
                   "slice_sizes = array<i64: 1>")
    return ctx.op("stablehlo.reshape", [piece], elt, flat.dtype, ())


def _put(ctx: Any, flat: Any, v: Any, k: Any) -> Any:
    """The vector with element k (0-based) set to the scalar v."""
    d = ctx.dyn(v, flat.dtype)
    one = ctx.op("stablehlo.reshape", [d], flat.arr_type, flat.dtype, (1,))
    return ctx.op("stablehlo.dynamic_update_slice", [flat, one, ctx.dyn(k, np.int64)],
                  flat.arr_type, flat.dtype, flat.shape)


def _add_i64(ctx: Any, a: Any, b: Any) -> Any:
    if not H.is_dyn(a) and not H.is_dyn(b):
        return int(a) + int(b)
    st = _st()
    return ctx.op("stablehlo.add", [ctx.dyn(a, np.int64), ctx.dyn(b, np.int64)],
                  st.scalar_type(np.int64), np.int64, ())


def _mul_i64(ctx: Any, a: Any, b: int) -> Any:
    if not H.is_dyn(a):
        return int(a) * b
    st = _st()
    return ctx.op("stablehlo.multiply", [a, ctx.const(b, np.int64)],
                  st.scalar_type(np.int64), np.int64, ())


def _fori(ctx: Any, lo: int, hi: int, state: Any, body: Callable[[Any, Any], Any]) -> Any:
    """`for k in lo:hi-1: state = body(k, state)` as a `stablehlo.while` (k a 0-based Int64
    run-time value).  The state's numbers and arrays are loop-carried, and so is the error
    state: the loop stops at the first error, as the interpreter would."""
    st = _st()
    if hi <= lo:
        return state
    leaves: list = []
    skel = st.flatten(state, leaves)
    init = [ctx.const(lo, np.int64)] + [ctx.dyn(x) for x in leaves] + \
        [ctx.dyn(e, np.int64) for e in ctx.err]
    types = [d.htype for d in init]
    nerr, err0 = len(ctx.err), ctx.err
    with ctx.em.region() as cond:
        ps = [(ctx.em.fresh("c"), t) for t in types]
        ctx.em.block_header(ps)
        k = st.Dyn(ps[0][0], init[0].arr_type, np.int64, ())
        go = ctx.compare(k, ctx.const(hi, np.int64), "LT")
        code = st.Dyn(ps[len(ps) - nerr][0], init[0].arr_type, np.int64, ())
        go = ctx.logical("and", go, ctx.compare(code, ctx.const(0, np.int64), "EQ"))
        ctx.em.ret([(go.name, go.htype)])
    with ctx.em.region() as loop:
        ps = [(ctx.em.fresh("s"), t) for t in types]
        ctx.em.block_header(ps)
        cur = [st.Dyn(p, d.arr_type, d.dtype, d.shape) for (p, _), d in zip(ps, init)]
        k = cur[0]
        err_in = ctx.err = tuple(cur[len(cur) - nerr:])
        old_leaves = cur[1:len(cur) - nerr]
        new = body(k, st.unflatten(skel, iter(old_leaves)))
        if new is st.DEAD:
            new_leaves = old_leaves
        else:
            new_leaves = []
            if not st.skel_equal(skel, st.flatten(new, new_leaves)):
                ctx.fail("a loop value changes type: "
                         f"{st.describe(state)} to {st.describe(new)}")
        outs = [ctx.op("stablehlo.add", [k, ctx.const(1, np.int64)], k.arr_type, np.int64, ())]
        for old, x in zip(old_leaves, new_leaves):
            if H.is_dyn(x) and (x.dtype != old.dtype or x.shape != old.shape):
                ctx.fail("a loop value changes type or shape")
            outs.append(ctx.dyn(x, old.dtype, old.shape))
        same_err = ctx.err is err_in
        outs += [ctx.dyn(e, np.int64) for e in ctx.err]
        ctx.em.ret([(d.name, d.htype) for d in outs])
    names = ctx.em.op("stablehlo.while", [(d.name, d.htype) for d in init], types, "",
                      [cond, loop])
    res = [st.Dyn(n, d.arr_type, d.dtype, d.shape) for n, d in zip(names, init)]
    # (when the body cannot raise, the error state passes through unchanged)
    ctx.err = err0 if same_err else tuple(res[len(res) - nerr:])
    return st.unflatten(skel, iter(res[1:len(res) - nerr]))


# ---------------------------------------------------------------- elementwise
@lowering("elementwise")
def elementwise_lower(ctx: Any, f: Any, args: Any) -> Any:
    st = _st()
    if type(args) is not tuple:
        ctx.fail(f"elementwise over a {st.describe(args)}")
    args = tuple(_as_array(ctx, a) for a in args)
    shape = arrays_shape(args, _is_arr)
    if shape is None:
        return ctx.call(f, list(args))
    if ctx.batch is not None and _is_batched((f, args)):
        ctx.fail("a map inside a map over the elements of an array")
    if math.prod(shape) == 0:
        return _elementwise_empty(ctx, f, args, shape)
    old = ctx.batch
    try:
        res = _elementwise_batched(ctx, f, args, shape)
        if res is not None:
            return res
        ctx.batch = None
        return _elementwise_loop(ctx, f, args, shape)
    finally:
        ctx.batch = old


def _elementwise_batched(ctx: Any, f: Any, args: tuple, shape: tuple) -> Any:
    """f traced once on whole arrays; None when it cannot be (then: one element at a time).
    Inside a branch of an enclosing map (`ctx.mask`), only an f without run-time checks
    is batched, as the checks would need that map's mask."""
    st = _st()
    saved = _save(ctx)
    ctx.mask = None
    try:
        ctx.batch = tuple(shape)
        elems = [st.Dyn(a.name, _eltype(a), a.dtype, shape) if _is_arr(a) else a
                 for a in args]
        r = ctx.call(f, elems)
        ctx.batch = None
        res = _batched_result(ctx, r, shape)
    except st.NotCompilable as e:
        _restore(ctx, saved)
        if isinstance(e, st.NeedConst) and e.origins:
            raise
        return None
    if saved[5] is not None and ctx.err is not saved[2]:
        _restore(ctx, saved)
        return None
    ctx.mask = saved[5]
    return res


def _batched_result(ctx: Any, r: Any, shape: tuple) -> Any:
    """The array of a batched trace's result."""
    st = _st()
    if r is st.DEAD:
        return r
    if H.is_dyn(r) and not r.is_array and r.shape in (tuple(shape), ()):
        at = _arr_type(r.arr_type, len(shape))
        if r.shape == ():
            r = ctx.broadcast(r, shape)
        return st.Dyn(r.name, at, r.dtype, shape)
    if _numeric_leaf(r):
        return _full(ctx, r, scalar_dtype(r), shape)
    ctx.fail(f"a map whose function returns {st.describe(r)}")


def _elementwise_empty(ctx: Any, f: Any, args: tuple, shape: tuple) -> Any:
    """No elements: the element type is that of f on zeros (as the interpreter decides)."""
    st = _st()
    dts = [H.leaf_dtype(a) for a in args]
    if any(d is None for d in dts):
        ctx.fail("an empty map over non-numbers")
    zeros = [make_scalar(0, d) for d in dts]
    with _dry(ctx):
        err = ctx.err
        try:
            r = ctx.call(f, zeros)
        except st.NotCompilable:
            r = None
        if ctx.err is not err:
            r = None
    if H.is_dyn(r) and not r.is_array and not r.shape:
        dt = r.dtype
    elif r is not None and r is not st.DEAD and _numeric_leaf(r):
        dt = scalar_dtype(r)
    else:
        ctx.fail("an empty map whose element type is decided at run time")
    return _full(ctx, 0, dt, shape)


def _elementwise_loop(ctx: Any, f: Any, args: tuple, shape: tuple) -> Any:
    """f called on each element in row-major order, in a `while` loop."""
    st = _st()
    n = math.prod(shape)
    flats = [_reshape(ctx, a, (n,)) if _is_arr(a) else None for a in args]

    def at(k: Any) -> list:
        return [_elem(ctx, fl, k) if fl is not None else a for fl, a in zip(flats, args)]
    with _dry(ctx):
        k0 = st.Dyn(ctx.em.fresh("p"), st.scalar_type(np.int64), np.int64, ())
        r = ctx.call(f, at(k0))
    if r is st.DEAD:
        return ctx.call(f, at(0))          # the first element raises
    if not _numeric_leaf(r):
        ctx.fail(f"a map whose function returns {st.describe(r)}")
    elt = _leaf_elt(r)
    dt = r.dtype if H.is_dyn(r) else scalar_dtype(r)
    out = _full(ctx, 0, dt, (n,))
    out = st.Dyn(out.name, _arr_type(elt, 1), dt, (n,))

    def body(k: Any, out: Any) -> Any:
        v = ctx.call(f, at(k))
        if v is st.DEAD:
            return v
        if not _numeric_leaf(v) or (H.is_dyn(v) and v.dtype != dt) or \
                (not H.is_dyn(v) and scalar_dtype(v) != dt):
            ctx.fail("a map whose function's result type varies")
        return _put(ctx, out, v, k)
    out = _fori(ctx, 0, n, out, body)
    return _reshape(ctx, out, shape, _arr_type(elt, len(shape)))


# ---------------------------------------------------------------- reduce
def _identity(name: str, dt: np.dtype) -> Any:
    """The neutral element XLA's reduce starts from."""
    if name == "+" or name == "|":
        return 0
    if name == "*":
        return 1
    if dt == np.bool_:
        return name in ("min", "&")
    if dt.kind == "f":
        return -np.inf if name == "max" else np.inf if name == "min" else None
    info = np.iinfo(dt)
    if name == "max":
        return int(info.min)
    if name == "min":
        return int(info.max)
    return -1 if dt.kind == "i" else int(info.max)            # &: all ones


def _hlo_op(name: str, dt: np.dtype) -> str:
    if dt == np.bool_ and name in ("max", "min"):
        name = "|" if name == "max" else "&"
    return {"+": "stablehlo.add", "*": "stablehlo.multiply", "max": "stablehlo.maximum",
            "min": "stablehlo.minimum", "&": "stablehlo.and", "|": "stablehlo.or"}[name]


def _xla_reduce(ctx: Any, x: Any, opname: str, init: Any, axes: tuple) -> Any:
    """x reduced with a binary StableHLO op over `axes` (dropped from the shape)."""
    r = H.reduce_axes(ctx, x, opname, init, axes)
    if r.is_array:
        r.arr_type = _arr_type(_eltype(x), len(r.shape))
    return r


@lowering("reduce")
def reduce_lower(ctx: Any, f: Any, x: Any, init: Any, dims: Any) -> Any:
    with _unbatched(ctx, (f, x, init, dims)):
        x = _as_array(ctx, x)
        if not _is_arr(x):
            ctx.fail(f"reduce over a {_st().describe(x)}")
        dims = ctx.need_const(dims, "the dimensions of a reduction")
        axes = _reduce_axes(len(x.shape), dims)
        red = tuple(range(len(x.shape))) if axes is None else axes
        kept = tuple(1 if i in red else d for i, d in enumerate(x.shape))
        name = _generic_name(f)
        if name in _REDUCE_NP and _numeric_leaf(init):
            res = _fast_reduce_lower(ctx, f, name, x, init, red, () if axes is None else kept)
            if res is not None:
                return res
        return _fold_lower(ctx, f, x, init, axes, red, kept)


def _result_dtype(ctx: Any, f: Any, a: Any, b: Any) -> np.dtype | None:
    """The dtype of f(a, b) on numbers like a and b (traced, not emitted)."""
    st = _st()

    def stand_in(v: Any) -> Any:
        if H.is_dyn(v):
            return st.Dyn(ctx.em.fresh("p"), st.scalar_type(v.dtype) if v.is_array else
                          v.arr_type, v.dtype, ())
        return v
    with _dry(ctx):
        try:
            r = ctx.call(f, [stand_in(a), stand_in(b)])
        except st.NotCompilable:
            return None
    if H.is_dyn(r) and not r.is_array and not r.shape:
        return r.dtype
    return scalar_dtype(r) if r is not st.DEAD and _numeric_leaf(r) else None


def _fast_reduce_lower(ctx: Any, f: Any, name: str, x: Any, init: Any, red: tuple,
                       kept: tuple) -> Any:
    """`_fast_reduce` on run-time values (kept: the result's shape, () for a scalar)."""
    st = _st()
    rdt = _result_dtype(ctx, f, init, x)
    if rdt is None:
        return None
    elt = st.scalar_type(rdt)
    if math.prod(x.shape) == 0 or any(x.shape[a] == 0 for a in red):
        if not kept:
            return ctx.dyn(init, rdt) if H.is_dyn(init) else \
                make_scalar(np.asarray(to_numpy(init)).astype(rdt)[()], rdt)
        if not H.is_dyn(init):
            init = np.asarray(to_numpy(init)).astype(rdt)[()]
        return _full(ctx, init, rdt, kept)
    if name in ("&", "|") and (x.dtype.kind == "f" or rdt.kind == "f"):
        return None
    xx = ctx.convert(x, rdt) if (x.dtype != rdt and name in ("+", "*")) else x
    r = _ordered_sum(ctx, xx, name, red) if xx.dtype == np.float64 and \
        name in ("+", "*") else None
    if r is None:
        r = _xla_reduce(ctx, xx, _hlo_op(name, xx.dtype), _identity(name, xx.dtype), red)
    if r.dtype != rdt:
        r = ctx.convert(r, rdt)
    ini = ctx.dyn(init, rdt, r.shape)
    r = ctx.op(_hlo_op(name, rdt), [ini, r], r.arr_type, rdt, r.shape)
    if kept:
        r = _reshape(ctx, r, kept, _arr_type(elt, len(kept)))
    return r


# Floating-point sums and products in numpy's order, so that compiled code rounds as the
# interpreter does.  numpy sums the reduced elements of each contiguous run (the trailing
# reduced dimensions, T) pairwise (`_pairwise`: blocks of up to 128 in 8 lanes) and adds
# those sums in order over the other reduced dimensions (O); a product multiplies in
# row-major order.  Size-1 dimensions do not count.  Too many elements: XLA's reduce,
# whose rounding may differ in the last place.  Only Float64: Float32 is the type of
# models, where the slices and adds of an ordered sum made modules several times larger
# (an unrolled LSTM's gradient: XLA took 15 s instead of 5) for a last-bit agreement.
_MAX_ORDERED = 1024         # elements per result
_MAX_SEQUENTIAL = 512       # operations emitted for one sum or product


def _ordered_sum(ctx: Any, x: Any, name: str, red: tuple) -> Any:
    st = _st()
    nd = len(x.shape)
    eff = [k for k in range(nd) if x.shape[k] != 1]
    trail: list = []
    for k in reversed(eff):
        if k not in red:
            break
        trail.insert(0, k)
    if name == "*":
        outer, trail = [k for k in eff if k in red], []
    else:
        outer = [k for k in eff if k in red and k not in trail]
    kept = [k for k in range(nd) if k not in red]
    rest = [k for k in red if k not in outer and k not in trail]
    m_o = math.prod(x.shape[k] for k in outer)
    m_t = math.prod(x.shape[k] for k in trail)
    rows = math.prod(x.shape[k] for k in kept)
    if m_o * m_t > _MAX_ORDERED or \
            m_o * (m_t // 8 + 16 if m_t >= 8 else m_t + 1) > _MAX_SEQUENTIAL:
        return None
    out_shape = tuple(x.shape[k] for k in kept)
    at = st.scalar_type(x.dtype) if not out_shape else _arr_type(_eltype(x), len(out_shape))
    opname = "stablehlo.add" if name == "+" else "stablehlo.multiply"
    moved = _reshape(ctx, _transpose(ctx, x, tuple(outer + kept + trail + rest)),
                     (m_o, rows, m_t))
    acc = None
    for o in range(m_o):
        part = _reshape(ctx, _slab(ctx, moved, o), (rows, m_t))
        part = _pairwise(ctx, part, 0, m_t) if trail else _reshape(ctx, part, (rows,))
        acc = part if acc is None else ctx.op(opname, [acc, part], part.arr_type, part.dtype,
                                              part.shape)
    return _reshape(ctx, acc, out_shape, at)


def _slab(ctx: Any, x: Any, i: int) -> Any:
    """x[i:i+1, ...]."""
    from .. import hlo
    nd = len(x.shape)
    lim = (i + 1,) + tuple(x.shape[1:])
    return ctx.op("stablehlo.slice", [x], x.arr_type, x.dtype, (1,) + tuple(x.shape[1:]),
                  f"start_indices = {hlo.i64_array((i,) + (0,) * (nd - 1))}, limit_indices = "
                  f"{hlo.i64_array(lim)}, strides = {hlo.i64_array((1,) * nd)}")


def _cols(ctx: Any, x: Any, j: int, n: int) -> Any:
    """Columns j:j+n of a matrix."""
    from .. import hlo
    rows = x.shape[0]
    return ctx.op("stablehlo.slice", [x], x.arr_type, x.dtype, (rows, n),
                  f"start_indices = {hlo.i64_array((0, j))}, limit_indices = "
                  f"{hlo.i64_array((rows, j + n))}, strides = {hlo.i64_array((1, 1))}")


def _pairwise(ctx: Any, x: Any, lo: int, n: int) -> Any:
    """numpy's pairwise sum of columns lo:lo+n of the matrix x, per row: a vector."""
    def add(a: Any, b: Any) -> Any:
        return ctx.op("stablehlo.add", [a, b], a.arr_type, a.dtype, a.shape)
    rows = x.shape[0]
    if n < 8:
        r = _full(ctx, 0, x.dtype, (rows, 1))
        for j in range(n):
            r = add(r, _cols(ctx, x, lo + j, 1))
        return _reshape(ctx, r, (rows,))
    if n <= 128:
        lanes = _cols(ctx, x, lo, 8)
        i = 8
        while i < n - n % 8:
            lanes = add(lanes, _cols(ctx, x, lo + i, 8))
            i += 8
        c = [_cols(ctx, lanes, j, 1) for j in range(8)]
        r = add(add(add(c[0], c[1]), add(c[2], c[3])), add(add(c[4], c[5]), add(c[6], c[7])))
        for j in range(i, n):
            r = add(r, _cols(ctx, x, lo + j, 1))
        return _reshape(ctx, r, (rows,))
    n2 = n // 2
    n2 -= n2 % 8
    return add(_pairwise(ctx, x, lo, n2), _pairwise(ctx, x, lo + n2, n - n2))


def _fold_lower(ctx: Any, f: Any, x: Any, init: Any, axes: Any, red: tuple,
                kept: tuple) -> Any:
    """A left fold of f in row-major order, starting from init."""
    st = _st()
    n = math.prod(x.shape)
    if axes is None:
        if n == 0:
            return init
        flat = _reshape(ctx, x, (n,))
        acc = ctx.call(f, [init, _elem(ctx, flat, 0)])
        if acc is st.DEAD:
            return acc
        return _fori(ctx, 1, n, acc, lambda k, acc: ctx.call(f, [acc, _elem(ctx, flat, k)]))
    rows = math.prod(kept)
    m = math.prod(x.shape[a] for a in red)
    if m == 0 and rows > 0 and _numeric_leaf(init):
        return _batched_result(ctx, init, kept)
    if m == 0 or rows == 0:
        ctx.fail("a fold over an empty array")
    keep_axes = tuple(i for i in range(len(x.shape)) if i not in red)
    flat = _reshape(ctx, _transpose(ctx, x, keep_axes + red), (rows * m,))
    with _dry(ctx):
        p = st.Dyn(ctx.em.fresh("p"), _eltype(x), x.dtype, ())
        r = ctx.call(f, [init, p])
    if r is st.DEAD:
        return ctx.call(f, [init, _elem(ctx, flat, 0)])
    if not _numeric_leaf(r):
        ctx.fail(f"a fold along dimensions with a result of type {st.describe(r)}")
    elt = _leaf_elt(r)
    dt = r.dtype if H.is_dyn(r) else scalar_dtype(r)
    out = _full(ctx, 0, dt, (rows,))
    out = st.Dyn(out.name, _arr_type(elt, 1), dt, (rows,))

    def row(i: Any, out: Any) -> Any:
        base = _mul_i64(ctx, i, m)
        acc = ctx.call(f, [init, _elem(ctx, flat, base)])
        if acc is st.DEAD:
            return acc
        acc = _fori(ctx, 1, m, acc,
                    lambda j, acc: ctx.call(f, [acc, _elem(ctx, flat, _add_i64(ctx, base, j))]))
        if not _numeric_leaf(acc) or not _types().type_equal(_leaf_elt(acc), elt):
            ctx.fail("a fold whose result type varies")
        return _put(ctx, out, acc, i)
    out = _fori(ctx, 0, rows, out, row)
    return _reshape(ctx, out, kept, _arr_type(elt, len(kept)))


# ---------------------------------------------------------------- accumulate
def _slice_at(ctx: Any, x: Any, ax: int, j: Any) -> Any:
    """The slab of x at (0-based, run-time) position j along axis ax."""
    size = tuple(1 if k == ax else d for k, d in enumerate(x.shape))
    idx = [ctx.dyn(j, np.int64) if k == ax else ctx.const(0, np.int64)
           for k in range(len(x.shape))]
    from .. import hlo
    return ctx.op("stablehlo.dynamic_slice", [x, *idx], x.arr_type, x.dtype, size,
                  f"slice_sizes = {hlo.i64_array(size)}")


def _update_at(ctx: Any, x: Any, slab: Any, ax: int, j: Any) -> Any:
    idx = [ctx.dyn(j, np.int64) if k == ax else ctx.const(0, np.int64)
           for k in range(len(x.shape))]
    return ctx.op("stablehlo.dynamic_update_slice", [x, slab, *idx], x.arr_type, x.dtype,
                  x.shape)


@lowering("accumulate")
def accumulate_lower(ctx: Any, f: Any, x: Any, dim: Any) -> Any:
    st = _st()
    with _unbatched(ctx, (f, x, dim)):
        x = _as_array(ctx, x)
        if not _is_arr(x):
            ctx.fail(f"accumulate over a {st.describe(x)}")
        dim = ctx.need_const(dim, "the dimension of accumulate")
        ax = int(dim) - 1
        if not 0 <= ax < max(len(x.shape), 1):
            raise source.ArgumentError(f"invalid dimension {dim}")
        if math.prod(x.shape) == 0:
            return x
        if not x.shape:
            ctx.fail("accumulate over a 0-dimensional array")
        name = _generic_name(f)
        if name in _ACCUM_NP:
            rdt = _result_dtype(ctx, f, x, x)
            if rdt is not None:
                return _scan(ctx, name, ctx.convert(x, rdt) if rdt != x.dtype else x, ax)
        return _accumulate_loop(ctx, f, x, ax)


def _scan(ctx: Any, name: str, x: Any, ax: int) -> Any:
    """The running reduction of x along ax with + * max min: each slab combined with the
    one before, in order (numpy's order, so its rounding)."""
    opname = _hlo_op(name, x.dtype)

    def step(j: Any, acc: Any) -> Any:
        prev = _slice_at(ctx, acc, ax, ctx.op("stablehlo.subtract", [j, ctx.const(1, np.int64)],
                                              j.arr_type, np.int64, ()))
        cur = _slice_at(ctx, acc, ax, j)
        new = ctx.op(opname, [prev, cur], cur.arr_type, cur.dtype, cur.shape)
        return _update_at(ctx, acc, new, ax, j)
    return _fori(ctx, 1, x.shape[ax], x, step)


def _accumulate_loop(ctx: Any, f: Any, x: Any, ax: int) -> Any:
    """Running fold of f along ax, row by row (rows in row-major order), in a `while`."""
    st = _st()
    nd = len(x.shape)
    perm = tuple(k for k in range(nd) if k != ax) + (ax,)
    moved = _transpose(ctx, x, perm)
    m = x.shape[ax]
    rows = math.prod(x.shape) // m
    flat = _reshape(ctx, moved, (rows * m,))
    elt = _eltype(x)

    def row(i: Any, out: Any) -> Any:
        base = _mul_i64(ctx, i, m)
        acc = _elem(ctx, flat, base)

        def step(j: Any, state: Any) -> Any:
            acc, out = state
            k = _add_i64(ctx, base, j)
            acc = ctx.call(f, [acc, _elem(ctx, flat, k)])
            if acc is st.DEAD:
                return acc
            if not _numeric_leaf(acc) or not _types().type_equal(_leaf_elt(acc), elt):
                ctx.fail("accumulate with a function whose result type is not the element type")
            return (acc, _put(ctx, out, acc, k))
        acc, out = _fori(ctx, 1, m, (acc, out), step)
        return out
    out = _fori(ctx, 0, rows, flat, row)
    back = tuple(perm.index(k) for k in range(nd))
    return _transpose(ctx, _reshape(ctx, out, moved.shape), back)


# ---------------------------------------------------------------- argextreme
@lowering("argextreme")
def argextreme_lower(ctx: Any, x: Any, ismax: Any) -> Any:
    """The first index of the extreme: the extreme (NaN if any: it counts as the extreme),
    then the least position holding it (or holding a NaN)."""
    st = _st()
    with _unbatched(ctx, (x, ismax)):
        x = _as_array(ctx, x)
        if not _is_arr(x) or x.dtype.kind not in "biuf":
            ctx.fail(f"argextreme over a {st.describe(x)}")
        ismax = bool(ctx.need_const(ismax, "argextreme's direction"))
        n = math.prod(x.shape)
        if n == 0:
            raise source.ArgumentError("collection must be non-empty")
        flat = _reshape(ctx, x, (n,))
        name = "max" if ismax else "min"
        ext = _xla_reduce(ctx, flat, _hlo_op(name, x.dtype), _identity(name, x.dtype), (0,))
        hit = ctx.compare(flat, ext, "EQ")
        if x.dtype.kind == "f":
            hit = ctx.logical("or", hit, ctx.compare(flat, flat, "NE"))
        i64 = st.scalar_type(np.int64)
        iota = ctx.op("stablehlo.iota", [], i64, np.int64, (n,), "iota_dimension = 0 : i64")
        pos = ctx.select(hit, iota, ctx.const(n, np.int64, (n,)))
        first = _xla_reduce(ctx, pos, "stablehlo.minimum", n, (0,))
        return ctx.op("stablehlo.add", [first, ctx.const(1, np.int64)], i64, np.int64, ())
