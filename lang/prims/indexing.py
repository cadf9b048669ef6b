"""Indexing intrinsics: `getindex` and `setindex`, Julia's `x[i, j, ...]` and
`x[i, j, ...] = v` on arrays and ranges.

1. `_prepare` reshapes the array for the number of indices: one index is linear (row-major),
   fewer indices than dimensions fold the trailing ones, more add dimensions of length 1.
2. `_normalize` turns each index (an integer, a range, an integer array, a Bool mask or `:`)
   into a 0-based int, slice or int array, raising BoundsError / ArgumentError as Julia does.
3. `getindex` takes one dimension at a time: an integer drops its dimension, an array index
   contributes its own dimensions.  `setindex` selects the outer product of the indices
   (`_index_arrays`) in a copy of the array and stores the converted values there.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import primitive
from .. import source
from ..values import ObjArray, StepRange, UnitRange, box
from .array import _summary, _types, element_type, is_colon
from .misc import bounds_error, range_collect, range_getindex
from .scalar import as_int, convert_to_dtype, to_numpy, type_name


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
def setindex(x: np.ndarray, v: Any, idx: tuple, inplace: bool = False) -> np.ndarray:
    """`setindex(x, v, (i, j, ...))`, the value of `x[i, j, ...] = v`: a copy of x with the
    selected elements replaced by v (converted to x's element type; an array v must have as
    many elements as are selected).

    `inplace=True` is the interpreter's promise that nothing else refers to `x` (see
    `frames.consuming_updates`); x is then updated and returned, unless it is a view of
    another array's memory or read-only."""
    owns = inplace and x.base is None and x.flags.writeable
    new = x if owns else x.copy()
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
