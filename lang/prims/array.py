"""Array intrinsics: shape, construction, sorting and the matrix product.

Arrays are numpy arrays in row-major order (element `[i, j]` of an Arr matrix is
`a[i-1, j-1]`); arrays whose element type is not a number are `values.ObjArray`s.
Every intrinsic returns a fresh array or an array nobody else holds, so the interpreter may
later update an array in place when its old value is dead; only `broadcast_to` returns a
read-only view, which `elementwise` consumes.

Indexing lives in `indexing.py`, the higher-order maps and reductions in `mapreduce.py`; the
helpers below (`is_colon`, `element_type`, `flat_values`, `array_from_values`, ...) are shared
with them.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import primitive
from .. import source
from ..values import ObjArray, StepRange, StructValue, UnitRange, obj_array
from .misc import range_collect, range_length
from .scalar import (convert_to_dtype, dtype_of, promote_dtype, scalar_dtype, shape_tuple,
                     to_numpy, type_name, value_dtype, _quiet)


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
