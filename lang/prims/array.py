"""Array intrinsics: shape, construction, sorting and the matrix product.

Arrays are numpy arrays in row-major order (element `[i, j]` of an Arr matrix is
`a[i-1, j-1]`); arrays whose element type is not a number are `values.ObjArray`s.
Every intrinsic returns a fresh array or an array nobody else holds, so the interpreter may
later update an array in place when its old value is dead; only `broadcast_to` returns a
read-only view, which `elementwise` consumes.

Indexing lives in `indexing.py`, the higher-order maps and reductions in `mapreduce.py`; the
helpers below (`is_colon`, `element_type`, `flat_values`, `array_from_values`, ...) are shared
with them, and so are the helpers of the shape rules (`known_shape`, `known_eltype`,
`tuple_items`, `array_value`, ...).

Each intrinsic's shape rule sits right under its reference evaluation.  Where a rule and the
evaluation check the same thing (reshape's dimensions, a matrix product's inner sizes, ...),
both call one function on shapes (`reshape_dims`, `matmul_shape`, ...), so they raise the same
error with the same message.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import primitive, shape_rule
from .. import lattice as L, source
from ..lattice import NO_CONST, AbstractValue
from ..values import ObjArray, StepRange, StructValue, UnitRange, obj_array
from .misc import index_repr, summary
from .ranges import range_collect, range_length
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


# ---------------------------------------------------------------- abstract values
# What the shape rules know about an argument.  Ranges are arrays whose length is known from
# their constant (`lattice.of_value` gives them shape ()); the rules treat them as the vectors
# the evaluation collects.  Tuples (dims, indices, arrays to join) are known element by element
# from their constant, or else from their type's parameters.
def _array_params(t: Any) -> tuple:
    """The (eltype, rank) parameters of the AbstractArray supertype of t, () if none."""
    T = _types()
    body = T.unwrap(t)[0]
    while isinstance(body, T.DataType) and body.typename.name != "AbstractArray":
        body = T.supertype(body)
    return body.params if isinstance(body, T.DataType) else ()


def is_range_value(a: AbstractValue) -> bool:
    T = _types()
    return T.issubtype(a.type, T.BUILTIN_TYPES["AbstractRange"])


def known_shape(a: AbstractValue) -> tuple[int, ...] | None:
    """The shape of an array (a range's from its constant), () for a scalar, None if unknown."""
    if is_range_value(a):
        if a.is_const:
            return (range_length(a.const),)
        return a.shape if a.shape is not None and len(a.shape) == 1 else None
    return a.shape


def known_rank(a: AbstractValue) -> int | None:
    """The number of dimensions (0 for a scalar), from the shape or from the type."""
    shape = known_shape(a)
    if shape is not None:
        return len(shape)
    params = _array_params(a.type)
    return params[1] if len(params) == 2 and type(params[1]) is int else None


def known_size(a: AbstractValue) -> int | None:
    shape = known_shape(a)
    return None if shape is None else math.prod(shape)


def known_eltype(a: AbstractValue) -> Any:
    """The element type of an array (a scalar's own concrete type); None when not known."""
    if not L.is_array(a):
        return concrete_type(a)
    params = _array_params(a.type)
    if not params or isinstance(params[0], _types().TypeVar):
        return None
    return params[0]


def concrete_type(a: AbstractValue) -> Any:
    """a's type when concrete (the type of the value itself), else None."""
    return a.type if _types().is_concrete(a.type) else None


def known_value(a: AbstractValue) -> Any:
    """The value of a when its constant, its type (Nothing, Colon, Type{T}) or its elements
    fix it, else NO_CONST."""
    if a.is_const:
        return a.const
    T = _types()
    t = a.type
    if t is T.BUILTIN_TYPES["Nothing"]:
        return None
    if t is T.BUILTIN_TYPES["Colon"]:
        return slice(None)
    if isinstance(t, T.DataType) and t.typename is T.TYPE_TN and T.is_type(t.params[0]) \
            and not isinstance(t.params[0], T.TypeVar):
        return t.params[0]
    items = tuple_items(a)                      # a tuple of known elements (or `()`)
    values = [] if items is None else [known_value(v) for v in items]
    return NO_CONST if items is None or NO_CONST in values else tuple(values)


def element_value(t: Any) -> AbstractValue:
    """An element of type t (None: unknown): the value itself when t has one value, a scalar,
    or a value of unknown shape when the element may itself be an array."""
    T = _types()
    if t is None:
        return L.TOP
    value = known_value(AbstractValue(t))       # nothing, `:`, a type, `()`
    if value is not NO_CONST:
        return L.of_value(value)
    if T.issubtype(t, T.BUILTIN_TYPES["Number"]) or (
            T.is_concrete(t) and not T.issubtype(t, T.BUILTIN_TYPES["AbstractArray"])):
        return L.scalar(t)
    return AbstractValue(t)


def tuple_items(a: AbstractValue) -> list[AbstractValue] | None:
    """The abstract elements of a tuple (None when its length is unknown)."""
    T = _types()
    t = a.type
    if not (isinstance(t, T.DataType) and t.typename is T.TUPLE_TN):
        return None
    if a.parts is not None:
        return list(a.parts)
    if a.is_const:
        return [L.of_value(v) for v in a.const]
    if any(isinstance(p, T.VarargType) for p in t.params):
        return None
    return [element_value(p) for p in t.params]


def dims_rank(dims: AbstractValue) -> int | None:
    """How many dimensions a dims argument (an integer or a tuple) gives."""
    T = _types()
    if T.issubtype(dims.type, T.BUILTIN_TYPES["Integer"]):
        return 1
    items = tuple_items(dims)
    return None if items is None else len(items)


def array_type(eltype: Any, rank: int | None) -> Any:
    """`Array{eltype, rank}`; None for either leaves it a where-variable."""
    T = _types()
    tvars = []
    if eltype is None:
        eltype = T.TypeVar("T")
        tvars.append(eltype)
    if rank is None:
        tvars.append(T.TypeVar("N"))
    t = T.apply_type(T.BUILTIN_TYPES["Array"], (eltype, rank if rank is not None else tvars[-1]))
    return T.rewrap(t, tvars)


def array_value(eltype: Any, shape: tuple[int, ...] | None = None,
                rank: int | None = None) -> AbstractValue:
    """An array of element type `eltype` and the given shape (or only its rank); None for what
    is unknown."""
    if shape is not None:
        shape = tuple(shape)
        rank = len(shape)
    return AbstractValue(array_type(eltype, rank), shape)


def collected_value(eltype: Any, shape: tuple[int, ...] | None, rank: int | None
                    ) -> AbstractValue:
    """An array the evaluation builds from computed elements (`array_from_values`): of element
    type `eltype` when it has elements, `Any` when it is empty."""
    any_t = _types().ANY
    if shape is not None:
        return array_value(eltype if math.prod(shape) > 0 else any_t, shape)
    if eltype is None or eltype is any_t:
        return array_value(eltype, rank=rank)
    return AbstractValue(_types().make_union(array_type(eltype, rank), array_type(any_t, rank)))


def like_array(x: AbstractValue) -> AbstractValue:
    """An array with x's element type and shape (a range: the vector it collects to)."""
    return array_value(known_eltype(x), known_shape(x), known_rank(x))


def stand_in(a: AbstractValue) -> Any:
    """A zero-stride array with a's element type and known shape, for error messages that
    show an array's summary."""
    eltype = known_eltype(a) or _types().ANY
    dt = dtype_of(eltype)
    base = np.zeros((), dt) if dt is not None else obj_array([None], eltype, ())
    return np.broadcast_to(base, known_shape(a), subok=True)


def abstract_summary(a: AbstractValue) -> str:
    """Julia's `summary` of the value a stands for, or its type."""
    if a.is_const:
        return summary(a.const)
    if L.is_array(a) and known_shape(a) is not None:
        return summary(stand_in(a))
    return _types().show_type(a.type)


# ---------------------------------------------------------------- shape
@primitive("size", 1, derivative="none")
def size(x: Any) -> tuple:
    """`size(x)`: the dimensions of an array, as a tuple."""
    if isinstance(x, (UnitRange, StepRange)):
        return (range_length(x),)
    return tuple(int(d) for d in x.shape)


@shape_rule("size")
def size_shape(x: AbstractValue) -> AbstractValue:
    shape, rank, T = known_shape(x), known_rank(x), _types()
    if shape is not None:
        return L.of_value(shape)                # a constant: how shapes stay static
    if rank is not None:
        return L.scalar(T.make_tuple_type((T.Int64,) * rank))
    return L.scalar(T.make_tuple_type((T.vararg(T.Int64),)))


@primitive("ndims", 1, derivative="none")
def ndims(x: Any) -> int:
    """`ndims(x)`."""
    return int(x.ndim)


@shape_rule("ndims")
def ndims_shape(x: AbstractValue) -> AbstractValue:
    rank = known_rank(x)
    return L.scalar(_types().Int64) if rank is None else L.of_value(rank)


@primitive("length", 1, derivative="none")
def length(x: Any) -> int:
    """`length(x)`: the number of elements of an array."""
    if isinstance(x, (UnitRange, StepRange)):
        return range_length(x)
    return int(x.size)


@shape_rule("length")
def length_shape(x: AbstractValue) -> AbstractValue:
    n = known_size(x)
    return L.scalar(_types().Int64) if n is None else L.of_value(n)


@primitive("array_eltype", 1, derivative="none")
def array_eltype(x: np.ndarray) -> Any:
    """`eltype(x)` of an array."""
    return element_type(x)


@shape_rule("array_eltype")
def array_eltype_shape(x: AbstractValue) -> AbstractValue:
    eltype = known_eltype(x)
    return L.scalar(_types().TypeType) if eltype is None else L.of_value(eltype)


def reshape_dims(size: int | None, shape: Any) -> tuple[int, ...] | None:
    """The dimensions `reshape` gives an array of `size` elements, one of them possibly `:`
    (None: the size is unknown and a `:` needs it); DimensionMismatch as Julia."""
    dims = list(shape) if isinstance(shape, tuple) else [shape]
    colons = [i for i, d in enumerate(dims) if is_colon(d)]
    if len(colons) > 1:
        raise source.DimensionMismatch("new dimensions cannot contain more than one Colon")
    if colons:
        if size is None:
            return None
        known = math.prod(int(d) for i, d in enumerate(dims) if i not in colons)
        if known == 0 or size % known != 0:
            shown = ", ".join(index_repr(d) if is_colon(d) else str(d) for d in dims)
            raise source.DimensionMismatch(f"array size {size} must be divisible by the "
                                           f"product of the new dimensions ({shown})")
        dims[colons[0]] = size // known
    new = shape_tuple(tuple(dims))
    if size is not None and math.prod(new) != size:
        raise source.DimensionMismatch(f"new dimensions {_dims_str(new)} must be consistent "
                                       f"with array size {size}")
    return new


@primitive("reshape", 2, derivative="reshape")
def reshape(x: np.ndarray, shape: tuple) -> np.ndarray:
    """`reshape(x, dims)` in row-major order; one dimension may be `:` (Colon())."""
    x = _collect_if_range(x)
    return x.reshape(reshape_dims(x.size, shape)).copy()


@shape_rule("reshape")
def reshape_shape(x: AbstractValue, dims: AbstractValue) -> AbstractValue:
    eltype, d = known_eltype(x), known_value(dims)
    if d is not NO_CONST:
        return array_value(eltype, reshape_dims(known_size(x), d), dims_rank(dims))
    colon = _types().BUILTIN_TYPES["Colon"]
    if sum(_types().issubtype(item.type, colon) for item in tuple_items(dims) or ()) > 1:
        raise source.DimensionMismatch("new dimensions cannot contain more than one Colon")
    return array_value(eltype, rank=dims_rank(dims))


def permutation_axes(perm: tuple, ndim: int) -> list[int]:
    """The 0-based axes of a 1-based permutation of `ndim` dimensions; ArgumentError else."""
    p = [int(i) - 1 for i in perm]
    if sorted(p) != list(range(ndim)):
        raise source.ArgumentError("no valid permutation of dimensions")
    return p


@primitive("permutedims", 2, derivative="permutedims")
def permutedims(x: np.ndarray, perm: tuple) -> np.ndarray:
    """`permutedims(x, perm)` (1-based permutation); `transpose` of a matrix is (2, 1)."""
    return np.transpose(x, permutation_axes(perm, x.ndim)).copy()   # fresh; keeps ObjArray


@shape_rule("permutedims")
def permutedims_shape(x: AbstractValue, perm: AbstractValue) -> AbstractValue:
    eltype, shape, rank, n = known_eltype(x), known_shape(x), known_rank(x), dims_rank(perm)
    if rank is not None and known_value(perm) is not NO_CONST:
        p = permutation_axes(known_value(perm), rank)
        if shape is not None:
            return array_value(eltype, tuple(shape[i] for i in p))
    elif rank is not None and n is not None and n != rank:
        raise source.ArgumentError("no valid permutation of dimensions")
    return array_value(eltype, rank=rank if rank is not None else n)


def stretched_shape(xshape: tuple, shape: tuple) -> tuple:
    """x's shape lined up with `shape` for `broadcast_to` (trailing 1s dropped or added);
    DimensionMismatch when a dimension other than 1 would have to stretch."""
    if len(xshape) > len(shape):
        if any(d != 1 for d in xshape[len(shape):]):
            raise source.DimensionMismatch(
                f"cannot broadcast array of size {_dims_str(xshape)} to {_dims_str(shape)}")
        xshape = xshape[:len(shape)]
    xs = tuple(xshape) + (1,) * (len(shape) - len(xshape))
    for a, b in zip(xs, shape):
        if a != b and a != 1:
            raise source.DimensionMismatch("arrays could not be broadcast to a common size; "
                                           f"got a dimension with lengths {a} and {b}")
    return xs


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
        return np.broadcast_to(out, shape, subok=True)      # keeps the element type
    return np.broadcast_to(x.reshape(stretched_shape(x.shape, shape)), shape, subok=True)


@shape_rule("broadcast_to")
def broadcast_to_shape(x: AbstractValue, shape: AbstractValue) -> AbstractValue:
    eltype = known_eltype(x) if L.is_array(x) else concrete_type(x)
    if known_value(shape) is NO_CONST:
        return array_value(eltype, rank=dims_rank(shape))
    new = shape_tuple(known_value(shape))
    xshape = known_shape(x)
    if L.is_array(x) and xshape is not None:
        stretched_shape(xshape, new)
    return array_value(eltype, new)


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


@shape_rule("broadcast_shape")
def broadcast_shape_shape(a: AbstractValue, b: AbstractValue) -> AbstractValue:
    if known_value(a) is not NO_CONST and known_value(b) is not NO_CONST:
        return L.of_value(broadcast_shape(known_value(a), known_value(b)))
    T = _types()
    ia, ib = tuple_items(a), tuple_items(b)
    if ia is None or ib is None:
        return L.scalar(T.TupleType)
    item = T.Int64                              # missing trailing dimensions are 1s
    for d in ia + ib:
        item = T.typejoin(item, d.type)
    return L.scalar(T.make_tuple_type((item,) * max(len(ia), len(ib))))


def _dims_str(shape: tuple) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


# ---------------------------------------------------------------- linear algebra
def matmul_shape(ashape: tuple, bshape: tuple) -> tuple:
    """The shape of matrix `a` times matrix or vector `b`; DimensionMismatch as Julia."""
    if ashape[1] != bshape[0]:
        if len(bshape) == 1:
            raise source.DimensionMismatch(f"matrix A has dimensions ({ashape[0]},{ashape[1]}), "
                                           f"vector B has length {bshape[0]}")
        raise source.DimensionMismatch(f"matrix A has dimensions ({ashape[0]},{ashape[1]}), "
                                       f"matrix B has dimensions ({bshape[0]},{bshape[1]})")
    return ashape[:1] + bshape[1:]


@primitive("matmul", 2, derivative="matmul")
def matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`a * b` for matrix-matrix and matrix-vector products (a vector on the left is an
    n×1 matrix)."""
    a, b = _collect_if_range(a), _collect_if_range(b)
    if a.ndim == 1:
        a = a.reshape(-1, 1)
    if a.ndim != 2 or b.ndim not in (1, 2):
        raise source.MethodError(f"no method matching *(::{summary(a)}, ::{summary(b)})")
    matmul_shape(a.shape, b.shape)
    da, db = value_dtype(a), value_dtype(b)
    if da is None or db is None:
        raise source.MethodError("matrix product of non-numeric arrays is not supported")
    dt = promote_dtype(da, db)
    if dt == np.bool_:
        return (a.astype(np.int64) @ b.astype(np.int64)) > 0
    return _quiet(np.matmul, a.astype(dt, copy=False), b.astype(dt, copy=False))


@shape_rule("matmul")
def matmul_shape_rule(a: AbstractValue, b: AbstractValue) -> AbstractValue:
    ra, rb, sa, sb = known_rank(a), known_rank(b), known_shape(a), known_shape(b)
    if ra == 1:                                 # a vector on the left is an n×1 matrix
        ra, sa = 2, None if sa is None else sa + (1,)
        a = AbstractValue(array_type(known_eltype(a), 2), sa)
    if (ra is not None and ra != 2) or (rb is not None and rb not in (1, 2)):
        raise source.MethodError(f"no method matching *(::{abstract_summary(a)}, "
                                 f"::{abstract_summary(b)})")
    shape = matmul_shape(sa, sb) if sa is not None and sb is not None else None
    ea, eb = known_eltype(a), known_eltype(b)
    da, db = dtype_of(ea), dtype_of(eb)
    if shape is not None and ((ea is not None and da is None) or (eb is not None and db is None)):
        raise source.MethodError("matrix product of non-numeric arrays is not supported")
    eltype = None if da is None or db is None else \
        _types().eltype_from_dtype(promote_dtype(da, db))
    return array_value(eltype, shape, rb)


# ---------------------------------------------------------------- construction
def concat_shape(shapes: list[tuple], ax: int) -> tuple:
    """The shape of arrays of these shapes joined along axis `ax` (missing trailing
    dimensions count as 1); DimensionMismatch when the other dimensions differ."""
    nd = max(ax + 1, max(len(s) for s in shapes))
    padded = [tuple(s) + (1,) * (nd - len(s)) for s in shapes]
    ref = padded[0]
    for p in padded[1:]:
        for d in range(nd):
            if d != ax and p[d] != ref[d]:
                got = ", ".join(str(q[d]) for q in padded)
                if ax == 0 and nd == 2:
                    msg = f"number of columns of each array must match (got ({got}))"
                elif ax == 1 and nd == 2:
                    msg = f"number of rows of each array must match (got ({got}))"
                else:
                    msg = f"mismatch in dimension {d + 1} (expected {ref[d]} got {p[d]})"
                raise source.DimensionMismatch(msg)
    return ref[:ax] + (sum(p[ax] for p in padded),) + ref[ax + 1:]


def joined_eltype(eltypes: list) -> Any:
    """The element type of an array joining elements of these types: numbers promote, other
    types meet at their typejoin (None when one is unknown)."""
    if not eltypes or any(e is None for e in eltypes):
        return None
    dts = [dtype_of(e) for e in eltypes]
    if all(d is not None for d in dts):
        dt = dts[0]
        for d in dts[1:]:
            dt = promote_dtype(dt, d)
        return _types().eltype_from_dtype(dt)
    return _join_types(eltypes)


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
    nd = len(concat_shape([p.shape for p in parts], ax))
    parts = [p.reshape(p.shape + (1,) * (nd - p.ndim)) for p in parts]
    dts = [value_dtype(p) for p in parts]
    if all(d is not None for d in dts):
        dt = joined_eltype([_types().eltype_from_dtype(d) for d in dts])
        return np.concatenate([p.astype(dtype_of(dt), copy=False) for p in parts], axis=ax)
    res = np.concatenate([p.astype(object) for p in parts], axis=ax).view(ObjArray)
    res.eltype = joined_eltype([element_type(p) for p in parts])
    return res


@shape_rule("concatenate")
def concatenate_shape(arrays: AbstractValue, dim: AbstractValue) -> AbstractValue:
    items = tuple_items(arrays)
    if items == []:
        raise source.ArgumentError("cat of no arrays")
    if items is None:
        return array_value(None)
    eltype = joined_eltype([known_eltype(a) if L.is_array(a) else concrete_type(a)
                            for a in items])
    d = known_value(dim)
    if d is NO_CONST:
        return array_value(eltype)
    shapes = [known_shape(a) for a in items]
    if all(s is not None for s in shapes):
        return array_value(eltype, concat_shape(shapes, int(d) - 1))
    ranks = [known_rank(a) for a in items]
    return array_value(eltype, rank=None if None in ranks else max(int(d), *ranks))


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


@shape_rule("fill")
def fill_shape(v: AbstractValue, dims: AbstractValue) -> AbstractValue:
    d = known_value(dims)
    if d is not NO_CONST:
        return array_value(concrete_type(v), shape_tuple(d))
    return array_value(concrete_type(v), rank=dims_rank(dims))


@primitive("array_from_tuple", 3, derivative="array_from_tuple")
def array_from_tuple(T: Any, values: tuple, shape: tuple) -> np.ndarray:
    """An array of element type T (`nothing`: inferred) and the given shape from a tuple of
    values in row-major order (array literals)."""
    shape = shape_tuple(shape)
    if math.prod(shape) != len(values):
        raise source.DimensionMismatch(f"array literal has {len(values)} elements, shape "
                                       f"{_dims_str(shape)} needs {math.prod(shape)}")
    return array_from_values(list(values), shape, T)


@shape_rule("array_from_tuple")
def array_from_tuple_shape(T: AbstractValue, values: AbstractValue,
                           shape: AbstractValue) -> AbstractValue:
    items, eltype = tuple_items(values), known_value(T)
    if eltype is NO_CONST:
        eltype = None
    elif eltype is None:                        # inferred: the typejoin of the values' types
        types = [None] if items is None else [concrete_type(v) for v in items]
        eltype = _types().ANY if not types else None if None in types else _join_types(types)
    if known_value(shape) is NO_CONST:
        return array_value(eltype, rank=dims_rank(shape))
    dims = shape_tuple(known_value(shape))
    if items is not None and math.prod(dims) != len(items):
        raise source.DimensionMismatch(f"array literal has {len(items)} elements, shape "
                                       f"{_dims_str(dims)} needs {math.prod(dims)}")
    return array_value(eltype, dims)


def _join_types(types: list) -> Any:
    out = types[0]
    for t in types[1:]:
        out = _types().typejoin(out, t)
    return out


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


@shape_rule("iterate_collect")
def iterate_collect_shape(ctx: Any, iterate_fn: AbstractValue, itr: AbstractValue
                          ) -> AbstractValue:
    # The length is data: the iteration protocol runs at run time.  The element type is
    # that of the items `iterate` returns, first and next (`(item, state)` or nothing).
    T = _types()
    first = ctx.infer_call(iterate_fn, itr)
    if first.type is T.BUILTIN_TYPES["Nothing"]:
        return array_value(T.ANY, (0,))
    steps = _iteration_steps(first.type)
    if steps:
        state = element_value(_join_types([s.params[1] for s in steps]))
        steps += _iteration_steps(ctx.infer_call(iterate_fn, itr, state).type)
    items = {s.params[0] for s in steps}
    eltype = items.pop() if len(items) == 1 else None
    return collected_value(eltype if eltype is not None and T.is_concrete(eltype) else None,
                           None, 1)


def _iteration_steps(t: Any) -> list:
    """The `Tuple{item, state}` types among what `iterate` may return."""
    T = _types()
    members = t.types if isinstance(t, T.UnionType) else (t,)
    return [m for m in members if isinstance(m, T.DataType) and m.typename is T.TUPLE_TN
            and len(m.params) == 2 and not isinstance(m.params[1], T.VarargType)]


@primitive("array_to_tuple", 1, derivative="array_to_tuple")
def array_to_tuple(x: Any) -> tuple:
    """`Tuple(x)`: the elements of an array in row-major order."""
    return tuple(flat_values(_collect_if_range(x)))


@shape_rule("array_to_tuple")
def array_to_tuple_shape(x: AbstractValue) -> AbstractValue:
    T = _types()
    n, item = known_size(x), known_eltype(x) or T.ANY     # tuples are covariant
    if n == 0:
        return L.of_value(())
    return L.scalar(T.make_tuple_type((item,) * n if n is not None else (T.vararg(item),)))


@primitive("copy", 1, derivative="copy")
def copy(x: np.ndarray) -> np.ndarray:
    """`copy(x)`: a fresh array with the same elements."""
    return x.copy()


@shape_rule("copy")
def copy_shape(x: AbstractValue) -> AbstractValue:
    return AbstractValue(x.type, x.shape)


@primitive("reverse", 2, derivative="reverse")
def reverse(x: Any, dim: Any) -> np.ndarray:
    """`reverse(x; dims=dim)` (dim `nothing`: all dimensions)."""
    x = _collect_if_range(x)
    if dim is None or is_colon(dim):
        return np.flip(x).copy()
    return np.flip(x, axis=int(dim) - 1).copy()


@shape_rule("reverse")
def reverse_shape(x: AbstractValue, dim: AbstractValue) -> AbstractValue:
    return like_array(x)


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


@shape_rule("sortperm")
def sortperm_shape(x: AbstractValue, rev: AbstractValue) -> AbstractValue:
    rank = known_rank(x)
    if rank is not None and rank != 1:
        raise source.ArgumentError("sortperm requires a vector")
    return array_value(_types().Int64, known_shape(x), 1)


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


@shape_rule("sort")
def sort_shape(x: AbstractValue, dim: AbstractValue, rev: AbstractValue) -> AbstractValue:
    eltype, rank = known_eltype(x), known_rank(x)
    if eltype is not None and dtype_of(eltype) is None and rank is not None and rank != 1:
        raise source.ArgumentError("sorting non-numeric arrays needs a vector")
    return like_array(x)
