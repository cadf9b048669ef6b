"""Indexing intrinsics: `getindex` and `setindex`, Julia's `x[i, j, ...]` and
`x[i, j, ...] = v` on arrays and ranges.

1. `_prepare` reshapes the array for the number of indices: one index is linear (row-major),
   fewer indices than dimensions fold the trailing ones, more add dimensions of length 1.
2. `_normalize` turns each index (an integer, a range, an integer array, a Bool mask or `:`)
   into a 0-based int, slice or int array, raising BoundsError / ArgumentError as Julia does.
3. `getindex` takes one dimension at a time: an integer drops its dimension, an array index
   contributes its own dimensions.  `setindex` selects the outer product of the indices
   (`_index_arrays`) in a copy of the array and stores the converted values there.

The shape rules follow the same steps on abstract values (`_selection`): each index's
contribution to the result's dimensions comes from its type, its shape or its constant.  A
Bool mask selects as many elements as it has `true`s, which only the data decides.
"""
from __future__ import annotations

import math
import sys
from typing import Any, NoReturn

import numpy as np

from . import primitive, shape_rule
from .. import lattice as L, source
from ..lattice import NO_CONST, AbstractValue
from ..values import ObjArray, StepRange, UnitRange, box
from .array import (_types, abstract_summary, array_value, element_value,
                    element_type, is_colon, is_range_value, known_eltype, known_rank,
                    known_shape, known_value, stand_in, tuple_items)
from .misc import bounds_error, index_repr, summary
from .ranges import range_collect, range_getindex, range_length
from .scalar import as_int, convert_to_dtype, dtype_of, to_numpy, type_name


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
            raise source.ArgumentError(f"invalid index: {summary(ix)}")
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
    view = x if n == x.ndim else x.reshape(_view_shape(x.shape, n))
    return view, [_normalize(ix, view.shape[d], x, idx) for d, ix in enumerate(idx)]


def _view_shape(shape: tuple, n: int) -> tuple:
    """The shape x is seen with through n indices: one index is linear, fewer indices than
    dimensions fold the trailing ones, more add dimensions of length 1."""
    if n == 1:
        return (math.prod(shape),)
    if n < len(shape):
        return tuple(shape[:n - 1]) + (math.prod(shape[n - 1:]),)
    return tuple(shape) + (1,) * (n - len(shape))


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


@shape_rule("getindex")
def getindex_shape(x: AbstractValue, idx: AbstractValue) -> AbstractValue:
    eltype, items = known_eltype(x), tuple_items(idx)
    if is_range_value(x) and items is not None and len(items) == 1 and _is_integer(items[0]):
        if x.is_const and items[0].is_const:
            return L.of_value(range_getindex(x.const, items[0].const))
        return element_value(eltype)
    extents = None if items is None else _selection(x, idx, items)[0]
    if extents is None or None in extents:      # even the rank is unknown
        return L.join(element_value(eltype), array_value(eltype))
    if all(_is_integer(it) for it in items):
        return element_value(eltype)
    dims = [d for e in extents for d in e]
    return array_value(eltype, None if None in dims else tuple(dims), len(dims))


def _is_integer(a: AbstractValue) -> bool:
    T = _types()
    return T.issubtype(a.type, T.Integer) and not T.issubtype(a.type, T.Bool)


def _is_mask(a: AbstractValue) -> bool:
    return L.is_array(a) and known_eltype(a) is _types().Bool


_OPEN = "ArrError"          # an open check that may raise an error of any kind


def _selection(x: AbstractValue, idx: AbstractValue, items: list) -> tuple[list, set]:
    """Per index, the lengths of the dimensions it selects: () for an integer, an array
    index's shape, (n,) for a range, `:` or mask (None for a length that is unknown); None
    for an index whose rank is unknown.  Also the kinds of error that the checks the
    arguments leave open may raise.  An error the arguments decide is raised, unless an open
    check before it may raise another kind first."""
    shape = known_shape(x)
    if not items:
        if shape is not None and math.prod(shape) != 1:
            raise _abstract_index_error(x, idx)
        return [], set() if shape is not None else {"BoundsError"}
    if len(items) == 1 and _is_mask(items[0]) and (known_rank(items[0]) or 1) > 1:
        mask = known_shape(items[0])
        if mask is None or shape is None:
            return [(None,)], {"BoundsError"}
        if mask != shape:
            raise _abstract_index_error(x, idx)
        return [(None,)], set()
    dims = [None] * len(items) if shape is None else _view_shape(shape, len(items))
    extents, open_kinds = [], set()
    for it, n in zip(items, dims):
        try:
            extent, kind = _index_extent(it, n, x, idx)
        except source.ArrError as e:
            if not open_kinds <= {e.kind}:
                return extents + [None] * (len(items) - len(extents)), open_kinds | {e.kind}
            raise
        extents.append(extent)
        open_kinds |= {kind} if kind else set()
    return extents, open_kinds


def _index_extent(it: AbstractValue, n: int | None, x: AbstractValue,
                  idx: AbstractValue) -> tuple[tuple | None, str | None]:
    """What index `it` over a dimension of length n (None: unknown) selects, as in
    `_selection`, and the kind of error its open check may raise (None: it passes)."""
    T = _types()
    if T.issubtype(it.type, T.BUILTIN_TYPES["Colon"]):
        return (n,), None
    if not L.is_array(it):
        if not _is_integer(it):
            return _invalid_index(it) if T.is_concrete(it.type) else (None, _OPEN)
        k = it.const if it.is_const else None
        if k is not None and (k < 1 or (n is not None and k > n)):
            raise _abstract_index_error(x, idx)
        return (), None if k is not None and n is not None else "BoundsError"
    eltype, shape = known_eltype(it), known_shape(it)
    if eltype is None:
        return None, _OPEN
    if is_range_value(it):
        if not T.issubtype(eltype, T.Integer):
            return _invalid_index(it)
        if not it.is_const:
            return (None,), "BoundsError"
        r, k = it.const, range_length(it.const)
        ends = (r.start, r.start + (k - 1) * (r.step if isinstance(r, StepRange) else 1))
        if k > 0 and (min(ends) < 1 or (n is not None and max(ends) > n)):
            raise _abstract_index_error(x, idx)
        return (k,), None if k == 0 or n is not None else "BoundsError"
    if eltype is T.Bool:                        # a mask: how many are true is data
        if shape is None or n is None:
            return (None,), "BoundsError"
        if len(shape) != 1 or shape[0] != n:
            raise _abstract_index_error(x, idx)
        return (None,), None
    if T.issubtype(eltype, T.AbstractFloat):
        return _invalid_index(it)
    rank = known_rank(it)                       # integers: in bounds or not is data
    return (shape if shape is not None else None if rank is None else (None,) * rank,
            "BoundsError")


def _invalid_index(it: AbstractValue) -> NoReturn:
    """Raise the ArgumentError for an index of a type that cannot index."""
    if it.is_const:
        _normalize(it.const, sys.maxsize, None, ())
    raise source.ArgumentError(f"invalid index of type {_types().show_type(it.type)}")


def _abstract_index_error(x: AbstractValue, idx: AbstractValue) -> source.ArrError:
    """The BoundsError of indexing the array x stands for with idx."""
    value = known_value(idx)
    if value is not NO_CONST and known_shape(x) is not None:
        return bounds_error(stand_in(x), value)
    at = index_repr(value) if value is not NO_CONST else _types().show_type(idx.type)
    return source.BoundsError(f"attempt to access {abstract_summary(x)} at index [{at}]")


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
                raise source.MethodError(f"Cannot `convert` an object of type {summary(v)} "
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


@shape_rule("setindex")
def setindex_shape(x: AbstractValue, v: AbstractValue, idx: AbstractValue) -> AbstractValue:
    # Its own errors come after the checks of the indices: raised only when these pass.
    result = AbstractValue(x.type, x.shape)
    items = tuple_items(idx)
    if items is None:
        return result
    extents, open_kinds = _selection(x, idx, items)
    if open_kinds or None in extents:
        return result
    eltype, T = known_eltype(x), _types()
    if all(_is_integer(it) for it in items):    # one element
        if L.is_array(v) and not is_range_value(v) and dtype_of(eltype) is not None:
            raise source.MethodError(f"Cannot `convert` an object of type "
                                     f"{abstract_summary(v)} to an object of type "
                                     f"{type_name(eltype)}")
        return result
    if not L.is_array(v) and T.is_concrete(v.type):
        raise source.ArgumentError("indexed assignment with a single value to possibly many "
                                   "locations is not supported; perhaps use broadcasting "
                                   "`.=` instead?")
    dims = [d for e in extents for d in e]
    count = None if None in dims else math.prod(dims)
    shape = known_shape(v) if L.is_array(v) else None
    if count is not None and shape is not None and math.prod(shape) != count:
        raise source.DimensionMismatch(f"tried to assign {math.prod(shape)} elements to "
                                       f"{count} destinations")
    return result
