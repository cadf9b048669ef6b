"""Abstract values: what is known about a value without running the program.

The intrinsics' shape rules (`Primitive.shape`) map abstract arguments to an abstract
result; type inference (the JIT issue) propagates them through the IR.

One `AbstractValue` is a point of this lattice, from most to least precise:

    const            the value itself is known (a number, a symbol, a type, a function)
    type + shape     a value of concrete type T; for an array, also its shape
    type             a value of some type T (possibly abstract), shape unknown
    Any              nothing is known (the top)

`join(a, b)` is the least upper bound: equal values stay, constants that differ drop to
their type, arrays of different shapes drop their shape, different types meet at their
`typejoin`, except that `nothing` joined with a value of type T gives `Union{Nothing, T}`
and keeps what is known of the T case (the `iterate` protocol's result).  Every chain from a constant to the top has at most four steps per type, but
types themselves can grow (nested tuples), so inference adds a widening on top of `join`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import math

import numpy as np

from .values import NamedTupleValue, StructValue


class _NoConst:
    __slots__ = ()

    def __repr__(self) -> str:
        return "NO_CONST"


NO_CONST: Any = _NoConst()


@dataclass(frozen=True, slots=True, eq=False)
class AbstractValue:
    type: Any                                   # an Arr type (types.py)
    shape: tuple[int, ...] | None = None        # arrays: the shape when known; scalars: ()
    const: Any = NO_CONST                       # the value, when known
    parts: "tuple[AbstractValue, ...] | None" = None   # tuples, named tuples, structs:
                                                # what is known of each element/field

    @property
    def is_const(self) -> bool:
        return self.const is not NO_CONST

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AbstractValue):
            return NotImplemented
        from . import types as T
        return (T.type_equal(self.type, other.type) and self.shape == other.shape
                and _same_const(self.const, other.const) and self.parts == other.parts)

    def __hash__(self) -> int:
        return hash((self.shape,))

    def __repr__(self) -> str:
        from . import types as T
        parts = [T.show_type(self.type)]
        if self.shape is not None and self.shape != ():
            parts.append("×".join(map(str, self.shape)) if self.shape else "()")
        if self.is_const:
            from .display import repr_string
            parts.append(f"= {repr_string(self.const)}")
        return f"<{' '.join(parts)}>"


def _same_const(a: Any, b: Any) -> bool:
    """Julia's `===` on constants: NaN is NaN, and -0.0 is not 0.0."""
    if a is b:
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return False
    if isinstance(a, (float, np.floating)) and type(a) is type(b):
        if a != a:
            return b != b
        return bool(a == b) and math.copysign(1.0, a) == math.copysign(1.0, b)
    try:
        return type(a) is type(b) and bool(a == b)
    except Exception:
        return False


TOP: AbstractValue   # set below (needs types)


def of_value(v: Any, *, keep_const: bool = True) -> AbstractValue:
    """The most precise abstraction of a concrete value.  Arrays keep their shape; their
    contents are never constants."""
    from . import types as T
    t = T.typeof(v)
    if isinstance(v, np.ndarray):
        return AbstractValue(t, tuple(v.shape))
    parts = None
    if isinstance(v, tuple):
        parts = tuple(of_value(x, keep_const=keep_const) for x in v)
    elif isinstance(v, (NamedTupleValue, StructValue)):
        items = v.values if isinstance(v, NamedTupleValue) else v.fields
        parts = tuple(of_value(x, keep_const=keep_const) for x in items)
    if keep_const and (isinstance(v, np.ndarray) or (parts and not all(p.is_const for p in parts))):
        keep_const = False
    return AbstractValue(t, (), v if keep_const else NO_CONST, parts)


def scalar(t: Any) -> AbstractValue:
    """A number (or other non-array value) of type t."""
    return AbstractValue(t, ())


def array(eltype: Any, shape: tuple[int, ...] | None) -> AbstractValue:
    """An `Array{eltype, N}` of the given shape; `shape=None`: rank and shape unknown."""
    from . import types as T
    if shape is None:
        return AbstractValue(T.apply_type(T.BUILTIN_TYPES["Array"], (eltype,)))
    return AbstractValue(T.apply_type(T.BUILTIN_TYPES["Array"], (eltype, len(shape))),
                         tuple(shape))


def is_array(a: AbstractValue) -> bool:
    from . import types as T
    return T.issubtype(a.type, T.BUILTIN_TYPES["AbstractArray"])


def eltype(a: AbstractValue) -> Any:
    """The element type of an array value (the type itself for a scalar)."""
    from . import types as T
    if not is_array(a):
        return a.type
    body, _ = T.unwrap(a.type)
    t = body
    while t is not None and getattr(t, "typename", None) is not None and \
            t.typename.name not in ("Array", "AbstractArray"):
        t = T.supertype(t)
    if t is None or not t.params or isinstance(t.params[0], T.TypeVar):
        return T.Any
    return t.params[0]


def join(a: AbstractValue, b: AbstractValue) -> AbstractValue:
    """The least upper bound of two abstract values (see the module docstring)."""
    from . import types as T
    if a == b:
        return a
    if T.type_equal(a.type, b.type):
        shape = a.shape if a.shape == b.shape else None
        parts = None
        if a.parts is not None and b.parts is not None and len(a.parts) == len(b.parts):
            parts = tuple(join(x, y) for x, y in zip(a.parts, b.parts))
        return AbstractValue(a.type, shape, NO_CONST, parts)
    nothing = T.BUILTIN_TYPES["Nothing"]
    has_a, rest_a = _split_nothing(a, nothing)
    has_b, rest_b = _split_nothing(b, nothing)
    if has_a or has_b:
        # `nothing` or something: keep what is known of the something (`iterate` returns
        # `nothing` or an (item, state) tuple, and the loop tests which one it got)
        rest = rest_a if rest_b is None else rest_b if rest_a is None else join(rest_a, rest_b)
        if rest is None:
            return AbstractValue(nothing, (), None)
        return AbstractValue(T.make_union(nothing, rest.type), rest.shape, NO_CONST,
                             rest.parts)
    t = T.typejoin(a.type, b.type)
    return AbstractValue(t, None)


def _split_nothing(v: AbstractValue, nothing: Any) -> tuple[bool, "AbstractValue | None"]:
    """(may it be `nothing`, what is known of the other case) for `Union{Nothing, T}`."""
    from . import types as T
    if v.type is nothing:
        return True, None
    if isinstance(v.type, T.UnionType) and nothing in v.type.types and len(v.type.types) == 2:
        other = next(t for t in v.type.types if t is not nothing)
        return True, AbstractValue(other, v.shape, NO_CONST, v.parts)
    return False, v


def contains(a: AbstractValue, v: Any) -> bool:
    """Whether the concrete value v is one of the values `a` stands for."""
    from . import types as T
    if not T.isa(v, a.type):
        return False
    if a.shape is not None:
        vshape = tuple(v.shape) if isinstance(v, np.ndarray) else ()
        if isinstance(v, np.ndarray) or a.shape != ():
            if vshape != a.shape:
                return False
    if a.is_const and not _same_const(a.const, v):
        return False
    if a.parts is not None:
        items = v if isinstance(v, tuple) else getattr(v, "values", None) \
            if isinstance(v, NamedTupleValue) else getattr(v, "fields", None)
        if items is None or len(items) != len(a.parts):
            return False
        return all(contains(p, x) for p, x in zip(a.parts, items))
    return True


def _init() -> None:
    global TOP
    from . import types as T
    TOP = AbstractValue(T.Any)


_init()
