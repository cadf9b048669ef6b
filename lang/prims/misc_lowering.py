"""StableHLO lowerings of the intrinsics in `misc.py` (types, structs, tuples, `===`,
`throw`).  Most of them only look at types and structure, which are known at compile time
even when the leaves are run-time values: their reference evaluation runs as it is.
Indexing a tuple needs a constant index (tuples may hold values of different types);
`===` on run-time numbers compares bits; `throw` sets the error state and ends the path.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from . import PRIMITIVES, lowering
from . import hlo_rules as H
from .. import types as T
from ..source import ArrError

# Intrinsics whose reference evaluation is structural: it works on symbolic values.
STRUCTURAL = ("typeof", "isa", "issubtype", "promote_type", "typejoin", "apply_type",
              "type_parameter", "fieldnames", "nfields", "struct_new", "tuple_length",
              "tuple_concat", "namedtuple_new", "namedtuple_names", "namedtuple_values")


def _structural(name: str) -> None:
    impl = PRIMITIVES[name].impl

    def rule(ctx: Any, *args: Any) -> Any:
        return impl(*args)
    rule.__name__ = f"{name}_lower"
    lowering(name)(rule)


for _name in STRUCTURAL:
    _structural(_name)


@lowering("getfield")
def getfield_lower(ctx: Any, x: Any, f: Any) -> Any:
    f = ctx.need_const(f, "a field index")
    if H.is_dyn(x):
        ctx.fail(f"getfield on a run-time {T.show_type(x.arr_type)}")
    return PRIMITIVES["getfield"].impl(x, f)


@lowering("tuple_getindex")
def tuple_getindex_lower(ctx: Any, t: Any, i: Any) -> Any:
    i = ctx.need_const(i, "an index into a tuple")
    return PRIMITIVES["tuple_getindex"].impl(t, i)


@lowering("tuple_slice")
def tuple_slice_lower(ctx: Any, t: Any, lo: Any, hi: Any) -> Any:
    lo = ctx.need_const(lo, "a tuple slice bound")
    hi = ctx.need_const(hi, "a tuple slice bound")
    return PRIMITIVES["tuple_slice"].impl(t, lo, hi)


@lowering("isnothing")
def isnothing_lower(ctx: Any, x: Any) -> Any:
    from ..staging import Maybe
    if isinstance(x, Maybe):
        return x.flag
    return x is None


@lowering("egal")
def egal_lower(ctx: Any, a: Any, b: Any) -> Any:
    """`a === b`: compile-time unless both are numbers (then a comparison of bits)."""
    from ..staging import Maybe, has_dyn
    if isinstance(a, Maybe) or isinstance(b, Maybe):
        m, other = (a, b) if isinstance(a, Maybe) else (b, a)
        if other is None:
            return m.flag
        ctx.fail("=== between a value that may be nothing and another value")
    ta, tb = T.typeof(a), T.typeof(b)
    if not T.type_equal(ta, tb):
        return False
    da, db = H.leaf_dtype(a), H.leaf_dtype(b)
    if da is None or db is None:
        if not has_dyn(a) and not has_dyn(b):
            return PRIMITIVES["egal"].impl(a, b)
        ctx.fail("=== between containers of run-time values")
    if H.is_array_value(a) or H.is_array_value(b):
        ctx.fail("=== between run-time arrays")
    if da.kind == "f":
        # same bits, or both NaN
        ia = H.as_bits(ctx, ctx.dyn(a, da))
        ib = H.as_bits(ctx, ctx.dyn(b, da))
        same = H.compare_op(ctx, "EQ", (ia, ib), np.dtype(np.int64))
        na = H.compare_op(ctx, "NE", (a, a), da)
        nb = H.compare_op(ctx, "NE", (b, b), da)
        both = H.elementwise(ctx, "stablehlo.and", (na, nb), np.dtype(np.bool_))
        return H.elementwise(ctx, "stablehlo.or", (same, both), np.dtype(np.bool_))
    return H.compare_op(ctx, "EQ", (a, b), da)


@lowering("throw")
def throw_lower(ctx: Any, e: Any) -> Any:
    """Set the error state to this exception (built when the executable returns)."""
    from ..staging import DEAD, has_dyn
    if has_dyn(e):
        ctx.fail("throwing an exception that holds run-time values")
    impl = PRIMITIVES["throw"].impl

    def make(details: tuple) -> ArrError:
        try:
            impl(e)
        except ArrError as err:
            return err
        raise AssertionError("throw did not raise")
    ctx.raise_now(make, ())
    return DEAD
