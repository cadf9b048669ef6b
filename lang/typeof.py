"""`typeof`: the Arr type of a runtime value, and the numpy dtype <-> element type tables.

Holds `typeof` (with its per-class table, extended by `register_typeof`), `user_typeof` (what
Arr's `typeof` shows), `isa`, `eltype_from_dtype` and `numpy_dtype`.  `lang.types` imports this
module at its end and re-exports those names.  Import it first (`from lang import types`).
"""
from __future__ import annotations

from typing import Any as _PyAny, Callable

import numpy as np

from . import source
from . import values as V
from .promotion import promote_type
from .subtype import issubtype
from .types import (
    _BUILTIN_TYPENAMES, ANY, ARRAY_TN, NAMEDTUPLE_TN, TUPLE_TN, TYPE_TN, BFloat16, Bool, Colon,
    DataType, DataTypeType, Float16, Float32, Float64, Int8, Int16, Int32, Int64, Nothing, String,
    SymbolType, TypeofVararg, TypeVar, TypeVarType, UInt8, UInt16, UInt32, UInt64, UnionAll,
    UnionAllType, UnionMeta, UnionType, VarargType,
)


def _dtype_key(dtype: np.dtype) -> tuple[str, int] | str:
    return dtype.name if dtype.name == "bfloat16" else (dtype.kind, dtype.itemsize)


_DTYPE_TO_TYPE: dict[object, DataType] = {
    ("f", 2): Float16, ("f", 4): Float32, ("f", 8): Float64, "bfloat16": BFloat16,
    ("i", 1): Int8, ("i", 2): Int16, ("i", 4): Int32, ("i", 8): Int64,
    ("u", 1): UInt8, ("u", 2): UInt16, ("u", 4): UInt32, ("u", 8): UInt64, ("b", 1): Bool,
}
_TYPE_TO_DTYPE: dict[DataType, np.dtype] = {
    t: np.dtype(f"{k[0] if k[0] != 'b' else '?'}{k[1] if k[0] != 'b' else ''}")
    for k, t in _DTYPE_TO_TYPE.items() if isinstance(k, tuple)
}


def eltype_from_dtype(dtype: np.dtype) -> DataType:
    """The Arr element type of a numpy dtype (object and other dtypes give Any, `U` String)."""
    t = _DTYPE_TO_TYPE.get(_dtype_key(dtype))
    if t is not None:
        return t
    return String if dtype.kind == "U" else ANY


def numpy_dtype(t: object) -> np.dtype:
    """The numpy dtype storing elements of type `t` (object for non-numeric element types)."""
    d = _TYPE_TO_DTYPE.get(t)  # type: ignore[arg-type]
    if d is not None:
        return d
    if t is BFloat16:
        try:
            import ml_dtypes
        except ImportError as e:
            raise source.ArgumentError("BFloat16 arrays need the ml_dtypes package") from e
        return np.dtype(ml_dtypes.bfloat16)
    return np.dtype(object)


_SCALAR_TYPEOF: dict[type, DataType] = {
    int: Int64, float: Float64, bool: Bool, str: String, type(None): Nothing,
    V.Symbol: SymbolType, slice: Colon,
}
for _cls in (np.float16, np.float32, np.float64, np.int8, np.int16, np.int32, np.int64,
             np.longlong, np.intc, np.uint8, np.uint16, np.uint32, np.uint64, np.ulonglong,
             np.uintc, np.bool_):
    _SCALAR_TYPEOF[_cls] = eltype_from_dtype(np.dtype(_cls))

_ARRAY_TYPES: dict[tuple[object, int], DataType] = {}
_TYPE_OF_TYPE: dict[object, DataType] = {}
_TUPLE_TYPES: dict[tuple, DataType] = {}    # keyed by element types, or by Python classes
_NT_NAMES: dict[tuple[str, ...], tuple[V.Symbol, ...]] = {}


def _typeof_ndarray(v: np.ndarray) -> DataType:
    key = (v.dtype.char, v.ndim)        # the char hashes faster than the dtype object
    t = _ARRAY_TYPES.get(key)
    if t is None:
        t = _ARRAY_TYPES[key] = DataType(ARRAY_TN, (eltype_from_dtype(v.dtype), v.ndim))
    return t


def _typeof_objarray(v: V.ObjArray) -> DataType:
    key = (v.eltype, v.ndim)
    t = _ARRAY_TYPES.get(key)
    if t is None:
        t = _ARRAY_TYPES[key] = DataType(ARRAY_TN, (ANY if v.eltype is None else v.eltype, v.ndim))
    return t


def _typeof_tuple(v: tuple) -> DataType:
    classes = tuple(map(type, v))
    t = _TUPLE_TYPES.get(classes)       # a tuple of plain scalars: its classes decide its type
    if t is not None:
        return t
    scalars_only = True
    elems = []
    for x in v:
        et = _SCALAR_TYPEOF.get(type(x))
        if et is None:
            scalars_only = False
            et = typeof(x)
        elems.append(et)
    ps = tuple(elems)
    t = _TUPLE_TYPES.get(ps)            # skips DataType.__new__ on the hot path
    if t is None:
        t = _TUPLE_TYPES[ps] = DataType(TUPLE_TN, ps)
    if scalars_only:
        _TUPLE_TYPES[classes] = t
    return t


def _typeof_namedtuple(v: V.NamedTupleValue) -> DataType:
    names = _NT_NAMES.get(v.names)
    if names is None:
        names = _NT_NAMES[v.names] = tuple(V.Symbol(n) for n in v.names)
    return DataType(NAMEDTUPLE_TN, (names, _typeof_tuple(v.values)))


def _typeof_unitrange(v: V.UnitRange) -> DataType:
    return DataType(_BUILTIN_TYPENAMES["UnitRange"],
                    (promote_type(typeof(v.start), typeof(v.stop)),))


def _typeof_steprange(v: V.StepRange) -> DataType:
    return DataType(_BUILTIN_TYPENAMES["StepRange"],
                    (promote_type(typeof(v.start), typeof(v.stop)), typeof(v.step)))


def _typeof_type(v: object) -> DataType:
    t = _TYPE_OF_TYPE.get(v)
    if t is None:
        t = _TYPE_OF_TYPE[v] = DataType(TYPE_TN, (v,))
    return t


def _typeof_by_attr(v: object) -> DataType:
    return v.arr_type  # type: ignore[attr-defined]


_TYPEOF_BY_CLASS: dict[type, Callable[[_PyAny], DataType]] = {
    np.ndarray: _typeof_ndarray, V.ObjArray: _typeof_objarray, tuple: _typeof_tuple,
    V.NamedTupleValue: _typeof_namedtuple, V.StructValue: lambda v: v.type,
    V.UnitRange: _typeof_unitrange, V.StepRange: _typeof_steprange,
    DataType: _typeof_type, UnionAll: _typeof_type, UnionType: _typeof_type,
    TypeVar: lambda v: TypeVarType, VarargType: lambda v: TypeofVararg,
}


def register_typeof(cls: type, fn: Callable[[_PyAny], DataType]) -> None:
    """Teach `typeof` a new Python class (dispatch registers GenericFunction this way)."""
    _TYPEOF_BY_CLASS[cls] = fn


def typeof(v: object) -> DataType:
    """The concrete Arr type of a runtime value (`Type{T}` for a type value `T`)."""
    cls = type(v)
    t = _SCALAR_TYPEOF.get(cls)
    if t is not None:
        return t
    fn = _TYPEOF_BY_CLASS.get(cls)
    if fn is not None:
        return fn(v)
    return _typeof_slow(v, cls)


def _typeof_slow(v: object, cls: type) -> DataType:
    if getattr(v, "arr_type", None) is not None:
        _TYPEOF_BY_CLASS[cls] = _typeof_by_attr
        return v.arr_type  # type: ignore[attr-defined]
    if isinstance(v, V.ObjArray):
        return _typeof_objarray(v)
    if isinstance(v, np.ndarray):
        return _typeof_ndarray(v)
    if isinstance(v, np.generic):
        return eltype_from_dtype(v.dtype)
    raise source.TypeError_(f"no Arr type for Python value of class {cls.__name__}")


def user_typeof(v: object) -> object:
    """What Arr's `typeof` returns: like `typeof`, but a type value gives its kind (`DataType`)."""
    cls = type(v)
    if cls is DataType:
        return DataTypeType
    if cls is UnionAll:
        return UnionAllType
    if cls is UnionType:
        return UnionMeta
    return typeof(v)


def isa(v: object, t: object) -> bool:
    """Julia's `v isa t`."""
    return t is ANY or issubtype(typeof(v), t)
