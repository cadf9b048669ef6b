"""StableHLO lowerings of `getindex` and `setindex` (`indexing.py`).

The reference evaluation's steps, on run-time values:

1. `_plan` sees the array through the indices (`indexing._view_shape`: one index is
   linear, in row-major order) and turns each index into a selection: a 0-based integer
   (run-time or constant), a constant slice (`:`, ranges, constant arithmetic index
   vectors: start, length, stride, reversed), or an index array (gathered).  Ranges and
   masks decide the result's shape, so they must be constants (a Bool mask computed at
   run time cannot be compiled: how many elements it selects is data).
2. The conditions under which the evaluation raises (an index out of bounds, an index of
   the wrong type) become one run-time check whose error is rebuilt by running the
   reference evaluation on the failing index values (`array_lowering.error_where`), so
   BoundsError shows exactly the interpreter's message.  An error that is certain ends
   the path (the executable raises it when it gets there).
3. `getindex` is a window (`dynamic_slice`), strides and reversals, then one `gather` per
   index array; `setindex` (value semantics: the updated copy) is a
   `dynamic_update_slice` of the window, or a `scatter` at the selected points.  The value
   stored is converted to the array's element type as the evaluation does (InexactError
   through the `convert` lowering).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import PRIMITIVES, lowering
from . import hlo_rules as H
from ..source import ArrError
from ..values import StepRange, UnitRange
from .array import element_type, is_colon
from .array_lowering import (any_of, as_array, dynamic_slice, dynamic_update_slice,
                             error_where, gather_axis, gather_points, known_range, out_of,
                             reshape, reverse, scatter_points, slice_, stand_in, to_scalar,
                             unbatched, _st)
from .indexing import _convert_element, _view_shape, getindex, setindex
from .numeric import as_int
from .ranges import range_collect


# ---------------------------------------------------------------- selections
def _sub1(ctx: Any, k: Any) -> Any:
    """k - 1 (0-based) for a run-time Int64 (scalar, batched or array)."""
    return ctx.op("stablehlo.subtract", [k, ctx.dyn(1, np.int64, k.shape)], k.arr_type,
                  np.int64, k.shape)


_BAD = ("int", 0)      # the selection of an index that always raises


def _const_array(i0: np.ndarray) -> tuple:
    """The selection of constant 0-based indices: a slice when they are evenly spaced."""
    if i0.ndim != 1:
        return ("array", i0)
    n = i0.shape[0]
    if n == 0:
        return ("slice", 0, 0, 1, False)
    if n == 1:
        return ("slice", int(i0[0]), 1, 1, False)
    steps = np.diff(i0)
    s = int(steps[0])
    if s == 0 or not np.all(steps == s):
        return ("array", i0)
    if s > 0:
        return ("slice", int(i0[0]), n, s, False)
    return ("slice", int(i0[-1]), n, -s, True)


def _select(ctx: Any, ix: Any, n: int, bads: list, dyn_arrays: bool) -> tuple:
    """The selection of index ix over a dimension of length n; what makes it raise goes to
    `bads` (constants or run-time Bools)."""
    st = _st()
    if isinstance(ix, st.Dyn):
        if ix.dtype == np.bool_ and ix.is_array:
            ctx.fail("a Bool mask computed at run time (how many elements it selects is data)")
        if ix.dtype.kind not in "iu":
            bads.append(True)
            return _BAD
        if ix.is_array and not dyn_arrays:
            ctx.fail("assigning at indices computed at run time (some may repeat)")
        k = ctx.dyn(ix, np.int64)
        r = known_range(ctx, ix)
        if r is None or r[0] < 1 or r[1] > n:
            bads.append(out_of(ctx, k, 1, n))
        return ("array" if ix.is_array else "int", _sub1(ctx, k))
    k = as_int(ix)
    if k is not None:
        if not 1 <= k <= n:
            bads.append(True)
            return _BAD
        return ("int", k - 1)
    if is_colon(ix):
        return ("slice", 0, n, 1, False)
    if isinstance(ix, UnitRange):
        ix = ctx.need_const(ix, "a range index (the length of what it selects)")
        lo, hi = ix.start, ix.stop
        if as_int(lo) is None or (hi >= lo and (lo < 1 or hi > n)):
            bads.append(True)
            return _BAD
        length = max(hi - lo + 1, 0)
        return ("slice", lo - 1 if length else 0, length, 1, False)
    if isinstance(ix, StepRange):
        ix = range_collect(ctx.need_const(ix, "a range index (the length of what it selects)"))
        if ix.dtype.kind not in "iu":
            bads.append(True)
            return _BAD
    if isinstance(ix, np.ndarray):
        if ix.dtype == np.bool_:
            if ix.ndim != 1 or ix.shape[0] != n:
                bads.append(True)
                return _BAD
            return _const_array(np.flatnonzero(ix).astype(np.int64))
        if ix.dtype.kind not in "iu":
            if ix.dtype == object:
                ctx.fail("an index array of type Any")
            bads.append(True)
            return _BAD
        if ix.size and (ix.min() < 1 or ix.max() > n):
            bads.append(True)
            return _BAD
        return _const_array(ix.astype(np.int64) - 1)
    if st.has_dyn(ix):
        ctx.fail(f"an index of type {st.describe(ix)}")
    bads.append(True)                  # the evaluation raises ArgumentError (invalid index)
    return _BAD


def _plan(ctx: Any, shape: tuple, idx: tuple, dyn_arrays: bool) -> tuple:
    """(the shape the array is seen with, one selection per index, the error conditions)."""
    n = len(idx)
    bads: list = []
    if n == 0:
        return (), [], [math.prod(shape) != 1]
    if n == 1 and isinstance(idx[0], np.ndarray) and idx[0].dtype == np.bool_ and \
            idx[0].ndim > 1:
        if idx[0].shape != tuple(shape):
            return (math.prod(shape),), [_BAD], [True]
        i0 = np.flatnonzero(idx[0].reshape(-1)).astype(np.int64)
        return (math.prod(shape),), [_const_array(i0)], []
    view = tuple(shape) if n == len(shape) else _view_shape(tuple(shape), n)
    sels = [_select(ctx, ix, view[d], bads, dyn_arrays) for d, ix in enumerate(idx)]
    return view, sels, bads


def _extent(sel: tuple) -> tuple:
    """The dimensions a selection contributes to the result."""
    if sel[0] == "int":
        return ()
    if sel[0] == "slice":
        return (sel[2],)
    return tuple(sel[1].shape)


def _window(sel: tuple, n: int) -> tuple:
    """(start, size) of the window a selection reads within a dimension of length n."""
    if sel[0] == "int":
        return sel[1], 1
    if sel[0] == "slice":
        _, start, length, stride, _ = sel
        return start, (length - 1) * stride + 1 if length else 0
    return 0, n


def _idx_array(ctx: Any, i0: Any) -> Any:
    return ctx.const(i0) if isinstance(i0, np.ndarray) else i0


def _check(ctx: Any, bads: list, impl: Any, args: tuple) -> bool:
    """Raise where the indices are bad; False when they always are (the path ends)."""
    bad = any_of(ctx, bads)
    error_where(ctx, bad, impl, args)
    return bad is not True


# ---------------------------------------------------------------- getindex
@lowering("getindex")
def getindex_lower(ctx: Any, x: Any, idx: Any) -> Any:
    st = _st()
    if type(idx) is not tuple or isinstance(x, (UnitRange, StepRange)):
        ctx.fail("indexing a range or with indices that are not a tuple")
    if ctx.batch is not None and _batched_scalars(idx):
        return _getindex_batched(ctx, x, idx)
    with unbatched(ctx, (x, idx)):
        xa = as_array(ctx, x)
        view_shape, sels, bads = _plan(ctx, xa.shape, idx, True)
        if not _check(ctx, bads, getindex, (stand_in(x if not H.is_dyn(x) else xa), idx)):
            return st.DEAD
        w = reshape(ctx, xa, view_shape)
        windows = [_window(s, n) for s, n in zip(sels, view_shape)]
        if any(H.is_dyn(a) or a != 0 for a, _ in windows) or \
                tuple(b for _, b in windows) != view_shape:
            w = dynamic_slice(ctx, w, [a for a, _ in windows], [b for _, b in windows])
        strides = [s[3] if s[0] == "slice" else 1 for s in sels]
        if any(k != 1 for k in strides):
            w = slice_(ctx, w, [0] * len(sels), list(w.shape), strides)
        w = reverse(ctx, w, [d for d, s in enumerate(sels) if s[0] == "slice" and s[4]])
        for d in reversed(range(len(sels))):
            if sels[d][0] == "array":
                w = gather_axis(ctx, w, d, _idx_array(ctx, sels[d][1]))
        if all(s[0] == "int" for s in sels):
            return to_scalar(ctx, w)
        return reshape(ctx, w, tuple(e for s in sels for e in _extent(s)))


def _batched_scalars(idx: tuple) -> bool:
    st = _st()
    return any(isinstance(i, st.Dyn) and not i.is_array and i.shape for i in idx)


def _getindex_batched(ctx: Any, x: Any, idx: tuple) -> Any:
    """x[i, j, ...] for each element of an elementwise map: a gather."""
    st = _st()
    bshape = ctx.batch
    if st.has_dyn(x) and (not H.is_dyn(x) or not x.is_array):
        ctx.fail("indexing a value of an elementwise map")
    if any(not (as_int(i) is not None or (isinstance(i, st.Dyn) and not i.is_array))
           for i in idx):
        ctx.fail("an index other than an integer inside an elementwise map")
    old = ctx.batch
    ctx.batch = None
    try:
        xa = as_array(ctx, x)
    finally:
        ctx.batch = old
    view_shape, sels, bads = _plan(ctx, xa.shape, idx, False)
    if not _check(ctx, bads, getindex, (stand_in(x if not H.is_dyn(x) else xa), idx)):
        return st.DEAD
    w = reshape(ctx, xa, view_shape)
    return gather_points(ctx, w, [s[1] for s in sels], tuple(bshape))


# ---------------------------------------------------------------- setindex
def _value_stand_in(v: Any) -> Any:
    """v for the index checks (whose errors come before v is looked at)."""
    if not H.is_dyn(v):
        return v
    if v.is_array:
        return stand_in(v)
    z = np.zeros((), v.dtype)[()]
    return z.item() if v.dtype in (np.float64, np.int64, np.bool_) else z


@lowering("setindex")
def setindex_lower(ctx: Any, x: Any, v: Any, idx: Any) -> Any:
    st = _st()
    if type(idx) is not tuple:
        ctx.fail("indices that are not a tuple")
    with unbatched(ctx, (x, v, idx)):
        xa = as_array(ctx, x)
        sx = stand_in(x if not H.is_dyn(x) else xa)
        vs = _value_stand_in(v)
        view_shape, sels, bads = _plan(ctx, xa.shape, idx, False)
        if not _check(ctx, bads, setindex, (sx, vs, idx)):
            return st.DEAD
        view = reshape(ctx, xa, view_shape)
        if all(s[0] == "int" for s in sels):
            new = _set_element(ctx, view, v, sels, sx, idx)
        else:
            new = _set_selection(ctx, view, v, sels, sx, vs, idx)
        if new is st.DEAD:
            return new
        return reshape(ctx, new, xa.shape)


def _certain(ctx: Any, args: tuple) -> Any:
    """The evaluation raises on these arguments (once the indices pass): end the path."""
    error_where(ctx, True, setindex, args)
    return _st().DEAD


def _converted(ctx: Any, v: Any, sx: Any, args: tuple) -> Any:
    """v converted to the array's element type, as `setindex` converts it (DEAD when that
    always raises)."""
    if H.is_dyn(v):
        if v.dtype == sx.dtype:
            return v
        return PRIMITIVES["convert"].lower(ctx, element_type(sx), v)
    try:
        c = _convert_element(sx, v)
    except ArrError:
        return _certain(ctx, args)
    return ctx.const(np.asarray(c, dtype=sx.dtype)) if isinstance(v, np.ndarray) else c


def _set_element(ctx: Any, view: Any, v: Any, sels: list, sx: Any, idx: tuple) -> Any:
    st = _st()
    if (H.is_dyn(v) and v.is_array) or isinstance(v, np.ndarray):
        return _certain(ctx, (sx, _value_stand_in(v), idx))      # MethodError
    if st.has_dyn(v) and not H.is_dyn(v):
        ctx.fail(f"storing a {st.describe(v)} in an array")
    c = _converted(ctx, v, sx, (sx, v, idx))
    if c is st.DEAD:
        return c
    nd = len(view.shape)
    upd = ctx.dyn(c, view.dtype)
    if nd == 0:
        return reshape(ctx, upd, ())
    upd = reshape(ctx, upd, (1,) * nd)
    return dynamic_update_slice(ctx, view, upd, [s[1] for s in sels])


def _set_selection(ctx: Any, view: Any, v: Any, sels: list, sx: Any, vs: Any,
                   idx: tuple) -> Any:
    st = _st()
    target = tuple(math.prod(_extent(s)) for s in sels if s[0] != "int")
    count = math.prod(target)
    if isinstance(v, (UnitRange, StepRange)):
        v = range_collect(ctx.need_const(v, "the length of a range"))
    if not (isinstance(v, np.ndarray) or (H.is_dyn(v) and v.is_array)):
        if st.has_dyn(v) and not H.is_dyn(v):
            ctx.fail(f"storing a {st.describe(v)} in an array")
        return _certain(ctx, (sx, vs, idx))                       # ArgumentError
    if isinstance(v, np.ndarray) and v.dtype.kind not in "biuf":
        ctx.fail("storing an array of non-numbers")
    if math.prod(v.shape) != count:
        return _certain(ctx, (sx, vs, idx))                       # DimensionMismatch
    if count == 0:
        return view
    if isinstance(v, np.ndarray):
        v = v.reshape(target)
    else:
        v = reshape(ctx, v, target)
    vals = _converted(ctx, v, sx, (sx, v, idx))
    if vals is st.DEAD:
        return vals
    vals = ctx.dyn(vals, view.dtype)
    if all(s[0] == "int" or (s[0] == "slice" and s[3] == 1) for s in sels):
        window = [1 if s[0] == "int" else s[2] for s in sels]
        upd = reshape(ctx, vals, tuple(window))
        upd = reverse(ctx, upd, [d for d, s in enumerate(sels) if s[0] == "slice" and s[4]])
        return dynamic_update_slice(ctx, view, upd, [s[1] for s in sels])
    coords = []
    j = 0
    for s in sels:
        if s[0] == "int":
            coords.append(s[1])
            continue
        if s[0] == "slice":
            _, start, length, stride, rev = s
            col = start + stride * np.arange(length, dtype=np.int64)
            col = col[::-1] if rev else col
        else:
            col = s[1].reshape(-1)
            if np.unique(col).size != col.size:
                ctx.fail("assigning to repeated indices")
        shape = [1] * len(target)
        shape[j] = target[j]
        coords.append(ctx.const(np.ascontiguousarray(
            np.broadcast_to(col.reshape(shape), target))))
        j += 1
    return scatter_points(ctx, view, coords, vals)
