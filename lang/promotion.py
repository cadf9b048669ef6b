"""Promotion: `promote_type` and `typejoin`, the common type of two types.

1. `promote_type(a, b)`: equal types give themselves and `Union{}` gives the other type.  Two
   numbers follow Julia's promotion table (`_promote_numeric`): Bool gives way to the other type,
   floats beat integers, the wider float wins (Float16 with BFloat16 gives Float32), and of two
   integers the wider wins, or at equal width the unsigned one.
2. `Nothing` with anything gives their Union.  Tuples of the same length promote element by
   element, and Arrays of the same rank promote their element types.
3. Everything else falls back to `typejoin(a, b)`: the larger type if one is a subtype of the
   other, Unions joined member by member, equal-length Tuples element by element.
4. Otherwise `typejoin` walks both supertype chains to the first type name they share.  If the two
   ancestors differ in some parameters, those become where-variables, so `Vector{Int64}` and
   `Vector{Float64}` join to `Vector`.  With no shared name the join is `Any`.

`lang.types` imports this module at its end and re-exports `promote_type` and `typejoin`.
Import it first (`from lang import types`).
"""
from __future__ import annotations

from .subtype import issubtype, type_equal
from .types import (
    ANY, ARRAY_TN, BOTTOM, NUMERIC_INFO, TUPLE_TN, DataType, Float32, Nothing, TypeName, TypeVar,
    UnionType, VarargType, is_type, make_tuple_type, make_union, rewrap, supertype,
)


def promote_type(a: object, b: object) -> object:
    """Julia's `promote_type` for numbers, Nothing, tuples and arrays; otherwise `typejoin`."""
    if a is b:
        return a
    if a is BOTTOM:
        return b
    if b is BOTTOM:
        return a
    ia, ib = NUMERIC_INFO.get(a), NUMERIC_INFO.get(b)  # type: ignore[call-overload]
    if ia is not None and ib is not None:
        return _promote_numeric(a, ia, b, ib)  # type: ignore[arg-type]
    if a is Nothing or b is Nothing:
        return make_union(a, b)
    if type(a) is DataType and type(b) is DataType and a.typename is b.typename:
        if a.typename is TUPLE_TN and len(a.params) == len(b.params) and not any(
                type(p) is VarargType for p in a.params + b.params):
            return make_tuple_type(promote_type(x, y) for x, y in zip(a.params, b.params))
        if a.typename is ARRAY_TN and a.params[1] == b.params[1]:
            return DataType(ARRAY_TN, (promote_type(a.params[0], b.params[0]), a.params[1]))
    return typejoin(a, b)


def _promote_numeric(a: DataType, ia: tuple[str, int], b: DataType,
                     ib: tuple[str, int]) -> DataType:
    (ka, sa), (kb, sb) = ia, ib
    if ka == "b":
        return b
    if kb == "b":
        return a
    if ka == "f" and kb == "f":
        if sa == sb:                      # Float16 vs BFloat16
            return Float32
        return a if sa > sb else b
    if ka == "f":
        return a
    if kb == "f":
        return b
    if sa != sb:                          # integers: the larger wins; same size, unsigned wins
        return a if sa > sb else b
    return a if ka == "u" else b


def typejoin(a: object, b: object) -> object:
    """The smallest supertype of both that is not a Union (Julia's `typejoin`)."""
    if issubtype(a, b):
        return b
    if issubtype(b, a):
        return a
    if type(a) is UnionType:
        out: object = BOTTOM
        for m in a.types:
            out = typejoin(out, m)
        return typejoin(out, b)
    if type(b) is UnionType:
        return typejoin(b, a)
    if type(a) is not DataType or type(b) is not DataType:
        return ANY
    if a.typename is TUPLE_TN and b.typename is TUPLE_TN:
        if len(a.params) == len(b.params):
            return make_tuple_type(typejoin(x, y) for x, y in zip(a.params, b.params))
        # different lengths: Tuple{Vararg{T}} with T the join of every element (Julia)
        elt: object = BOTTOM
        for p in a.params + b.params:
            elt = typejoin(elt, p.T if type(p) is VarargType else p)
        return make_tuple_type((VarargType(elt),))
    chain_b: dict[TypeName, DataType] = {}
    t: DataType | None = b
    while t is not None:
        chain_b[t.typename] = t
        t = supertype(t)
    t = a
    while t is not None:
        other = chain_b.get(t.typename)
        if other is not None:
            if other is t:
                return t
            # Same head, different parameters: abstract over the ones that differ.
            vars_: list[TypeVar] = []
            ps = []
            for p, q in zip(t.params, other.params):
                if p is q or (is_type(p) and is_type(q) and type_equal(p, q)):
                    ps.append(p)
                else:
                    vars_.append(TypeVar(t.typename.params[len(ps)].name))
                    ps.append(vars_[-1])
            return rewrap(DataType(t.typename, tuple(ps)), vars_)
        t = supertype(t)
    return ANY
