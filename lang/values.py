"""Runtime representation of Arr values in the interpreter.

| Arr type                         | Python representation                                  |
|----------------------------------|--------------------------------------------------------|
| Int64                            | `int` (kept in [-2^63, 2^63) by the intrinsics: wraps) |
| Float64                          | `float`                                                |
| Bool                             | `bool` (test `bool` before `int`!)                     |
| Int8..Int32, UInt8..UInt64,      | numpy scalars (`np.int32(1)`, `np.float32(1.0)`, ...)  |
| Float16, Float32                 |                                                        |
| Array{T,N}                       | `numpy.ndarray` (row-major, see LANGUAGE.md section 12)|
|                                  | non-numeric element types: object arrays (`ObjArray`)  |
| UnitRange / StepRange            | `UnitRange`, `StepRange` below                         |
| Tuple                            | `tuple`                                                |
| NamedTuple                       | `NamedTupleValue`                                      |
| String                           | `str`                                                  |
| Symbol                           | `Symbol` (interned)                                    |
| Nothing                          | `None`                                                 |
| a struct instance                | `StructValue`                                          |
| a type                           | an `ArrType` from types.py                             |
| a generic function               | `dispatch.GenericFunction`                             |
| an anonymous function / closure  | `Closure`                                              |

numpy float64/int64/bool_ scalars that escape from numpy are converted back with `box`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


class Symbol:
    """An interned symbol `:name`."""

    __slots__ = ("name",)
    _table: dict[str, "Symbol"] = {}

    def __new__(cls, name: str) -> "Symbol":
        sym = cls._table.get(name)
        if sym is None:
            sym = object.__new__(cls)
            sym.name = name
            cls._table[name] = sym
        return sym

    def __repr__(self) -> str:
        return f":{self.name}"

    def __reduce__(self):
        return (Symbol, (self.name,))


@dataclass(frozen=True, slots=True)
class UnitRange:
    """`start:stop` (Int64, or Float64 endpoints with unit step)."""
    start: Any
    stop: Any

    def __len__(self) -> int:
        return max(0, int(np.floor(self.stop - self.start)) + 1)


@dataclass(frozen=True, slots=True)
class StepRange:
    """`start:step:stop`; `stop` is normalised to the last element actually reached."""
    start: Any
    step: Any
    stop: Any

    def __len__(self) -> int:
        if self.step == 0:
            return 0
        n = int(np.floor((self.stop - self.start) / self.step + 1e-10)) + 1
        return max(0, n)


@dataclass(frozen=True, slots=True)
class NamedTupleValue:
    names: tuple[str, ...]
    values: tuple[Any, ...]

    def get(self, name: str) -> Any:
        return self.values[self.names.index(name)]


@dataclass(frozen=True, slots=True, eq=False)
class StructValue:
    """An instance of a user struct: `type` is its concrete DataType."""
    type: Any
    fields: tuple[Any, ...]


class ObjArray(np.ndarray):
    """An object-dtype array that remembers its Arr element type (`Vector{String}`, `Vector{Any}`)."""

    eltype: Any = None

    def __array_finalize__(self, obj: Any) -> None:
        if obj is not None:
            self.eltype = getattr(obj, "eltype", None)


def obj_array(items: list, eltype: Any, shape: tuple[int, ...] | None = None) -> ObjArray:
    arr = np.empty(len(items), dtype=object)
    for i, it in enumerate(items):
        arr[i] = it
    if shape is not None:
        arr = arr.reshape(shape)
    out = arr.view(ObjArray)
    out.eltype = eltype
    return out


_PY_SCALAR = {np.float64: float, np.int64: int, np.bool_: bool}


def box(x: Any) -> Any:
    """Turn numpy float64/int64/bool_ scalars (and 0-d arrays of them) into Python scalars."""
    conv = _PY_SCALAR.get(type(x))
    if conv is not None:
        return conv(x)
    return x
