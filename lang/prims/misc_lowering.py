"""StableHLO lowerings of the intrinsics in `misc.py` (types, structs, tuples, `===`,
`throw`).  Most of them only look at types and structure, which are known at compile time
even when the leaves are run-time values: their reference evaluation runs as it is.
Indexing a tuple needs a constant index (tuples may hold values of different types),
except a tuple of constant numbers of one type (a table such as `_FACTORIALS`), which
becomes a constant array indexed at run time;
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


def _table_lookup(ctx: Any, name: str, t: Any, i: Any) -> Any:
    """t[i] for a tuple t of constant numbers of one type and a run-time integer i (a
    BoundsError, as the interpreter raises it, when i is out of range); None when t is
    not such a table."""
    if not (H.is_dyn(i) and not i.shape and i.dtype.kind in "iu" and type(t) is tuple and t):
        return None
    # (a global table is a run-time input: its elements may be run-time scalars; a
    # tuple built here is better indexed by unrolling the loop that indexes it)
    if any(H.is_dyn(v) and not (v.origins and all(o[0] == "global" for o in v.origins))
           for v in t):
        return None
    dts = {v.dtype if H.is_dyn(v) and not v.shape else
           np.dtype(np.int64) if type(v) is int else np.dtype(np.float64) if type(v) is float
           else None for v in t}
    if len(dts) != 1 or None in dts:
        return None
    dt = dts.pop()
    impl = PRIMITIVES[name].impl
    i64 = np.dtype(np.int64)
    k = ctx.dyn(i, i64)
    bad = ctx.logical("or", ctx.compare(k, ctx.const(1, i64), "LT"),
                      ctx.compare(k, ctx.const(len(t), i64), "GT"))

    shown = tuple(0 if H.is_dyn(v) else v for v in t)

    def make(details: tuple) -> ArrError:
        try:
            impl(shown, details[0])
        except ArrError as e:
            return e
        raise AssertionError("an index in range")
    ctx.check(bad, make, (k,))
    at = ctx.op("stablehlo.clamp", [ctx.const(0, i64), ctx.op(
        "stablehlo.subtract", [k, ctx.const(1, i64)], k.arr_type, i64, ()),
        ctx.const(len(t) - 1, i64)], k.arr_type, i64, ())
    from .. import hlo
    from ..staging import Dyn, array_type, scalar_type
    if not any(H.is_dyn(v) for v in t):
        arr = ctx.const(np.array(t, dtype=dt))
    else:
        pieces = [ctx.op("stablehlo.reshape", [ctx.dyn(v, dt)], array_type(dt, 1), dt, (1,))
                  for v in t]
        arr = ctx.op("stablehlo.concatenate", pieces, array_type(dt, 1), dt, (len(t),),
                     "dimension = 0 : i64")
    sl = ctx.em.op("stablehlo.dynamic_slice", [(arr.name, arr.htype), (at.name, at.htype)],
                   [hlo.tensor(dt, (1,))], "slice_sizes = array<i64: 1>")[0]
    r = ctx.em.op("stablehlo.reshape", [(sl, hlo.tensor(dt, (1,)))], [hlo.tensor(dt, ())])[0]
    return Dyn(r, scalar_type(dt), dt, ())


@lowering("getfield")
def getfield_lower(ctx: Any, x: Any, f: Any) -> Any:
    r = _table_lookup(ctx, "getfield", x, f)
    if r is not None:
        return r
    f = ctx.need_const(f, "a field index")
    if H.is_dyn(x):
        ctx.fail(f"getfield on a run-time {T.show_type(x.arr_type)}")
    return PRIMITIVES["getfield"].impl(x, f)


@lowering("tuple_getindex")
def tuple_getindex_lower(ctx: Any, t: Any, i: Any) -> Any:
    r = _table_lookup(ctx, "tuple_getindex", t, i)
    if r is not None:
        return r
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
