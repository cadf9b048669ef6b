"""Helpers the intrinsics' StableHLO lowerings share (`@lowering` rules in each family
module).  A lowering receives the stager as `ctx` (see `staging.Stager`: `ctx.op`,
`ctx.dyn`, `ctx.const`, `ctx.check`, `ctx.need_const`, `ctx.call`) and symbolic arguments:
compile-time constants or `staging.Dyn` run-time values.

Elementwise intrinsics take scalars or same-shape arrays; inside the body of an
elementwise map over arrays (`ctx.batch`), a "scalar" `Dyn` holds one element per array
position, so the same emission serves scalars, arrays and batched scalars.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator

import numpy as np

from .. import types as T
from ..source import ArrError
from .numeric import dtype_of, promote_dtype


def is_dyn(v: Any) -> bool:
    from ..staging import Dyn
    return isinstance(v, Dyn)


def leaf_dtype(v: Any) -> np.dtype | None:
    """The element dtype of a number, a numeric array, or a Dyn (None otherwise)."""
    if is_dyn(v):
        return v.dtype
    if isinstance(v, np.ndarray):
        return v.dtype if v.dtype.kind in "biuf" else None
    if isinstance(v, (bool, int, float, np.generic)):
        return dtype_of(T.typeof(v))
    return None


def leaf_shape(v: Any) -> tuple[int, ...]:
    if is_dyn(v) or isinstance(v, np.ndarray):
        return tuple(v.shape)
    return ()


def is_array_value(v: Any) -> bool:
    if is_dyn(v):
        return v.is_array
    return isinstance(v, np.ndarray)


def result_type(dtype: np.dtype, args: tuple, shape: tuple[int, ...]) -> Any:
    """Array{dtype, N} when an argument is an array, else the scalar type."""
    from ..staging import array_type, scalar_type
    if any(is_array_value(a) for a in args):
        return array_type(dtype, len(shape))
    return scalar_type(dtype)


def numeric_args(ctx: Any, name: str, args: tuple) -> list[np.dtype]:
    dts = [leaf_dtype(a) for a in args]
    if any(d is None for d in dts):
        from .numeric import no_method_for_values
        raise ctx_static(no_method_for_values(name, *[_stand_in(a) for a in args]))
    return dts


def _stand_in(v: Any) -> Any:
    if is_dyn(v):
        return np.zeros(v.shape, v.dtype) if v.is_array else v.dtype.type(0)
    return v


def ctx_static(e: ArrError) -> Exception:
    from ..staging import StaticError
    return StaticError(e)


def elementwise(ctx: Any, opname: str, args: tuple, result_dtype: np.dtype,
                operand_dtype: np.dtype | None = None, attrs: str = "") -> Any:
    """Emit `opname` over the arguments converted to `operand_dtype` (default: the result
    dtype) and broadcast to the common shape."""
    shape = max((leaf_shape(a) for a in args), key=len)
    odt = np.dtype(operand_dtype if operand_dtype is not None else result_dtype)
    ds = [ctx.dyn(a, odt, shape) for a in args]
    at = result_type(np.dtype(result_dtype), args, shape)
    return ctx.op(opname, ds, at, result_dtype, shape, attrs)


def common_dtype(dts: list[np.dtype]) -> np.dtype:
    dt = dts[0]
    for d in dts[1:]:
        dt = promote_dtype(dt, d)
    return dt


def compare_op(ctx: Any, direction: str, args: tuple, operand_dtype: np.dtype) -> Any:
    kind = ", compare_type = #stablehlo<comparison_type FLOAT>" if operand_dtype.kind == "f" \
        else (", compare_type = #stablehlo<comparison_type UNSIGNED>"
              if operand_dtype.kind in "ub" else "")
    return elementwise(ctx, "stablehlo.compare", args, np.dtype(np.bool_), operand_dtype,
                       f"comparison_direction = #stablehlo<comparison_direction {direction}>{kind}")


def raise_like(impl: Callable[..., Any], args: tuple) -> Callable[[tuple], ArrError]:
    """An error maker for `ctx.check`: re-run the reference evaluation on the failing
    values (passed as Int64 details: floats by their bits) to get its exact error."""
    kinds = [(leaf_dtype(a), is_dyn(a)) for a in args]
    consts = list(args)

    def make(details: tuple) -> ArrError:
        vals = []
        k = 0
        for (dt, dyn), c in zip(kinds, consts):
            if not dyn:
                vals.append(c)
                continue
            bits = np.int64(details[k])
            k += 1
            if dt.kind == "f":
                v = bits.view(np.float64).astype(dt)
            else:
                v = bits.astype(dt)
            vals.append(v.item() if dt in (np.float64, np.int64, np.bool_) else v)
        try:
            impl(*vals)
        except ArrError as e:
            return e
        from ..source import error_class
        return error_class("ErrorException")("a run-time check failed in compiled code")
    return make


def check_args(ctx: Any, bad: Any, impl: Callable[..., Any], args: tuple) -> None:
    """Raise (at run time) the error `impl` raises on the arguments, where `bad` holds."""
    from ..staging import has_dyn
    if not has_dyn(bad):
        if bad:
            ctx.raise_now(raise_like(impl, args), ())
        return
    details = []
    for a in args:
        if not is_dyn(a):
            continue
        v = a
        if bad.shape:
            v = first_where(ctx, bad, ctx.dyn(a, None, bad.shape))
        details.append(as_bits(ctx, v))
    ctx.check(bad, raise_like(impl, args), tuple(details))


def as_bits(ctx: Any, v: Any) -> Any:
    """A scalar Dyn as Int64: floats by their bit pattern (as Float64), ints converted."""
    from ..staging import scalar_type
    if v.dtype.kind == "f":
        if v.dtype != np.float64:
            v = ctx.convert(v, np.float64)
        return ctx.op("stablehlo.bitcast_convert", [v], scalar_type(np.int64), np.int64, ())
    return ctx.dyn(v, np.int64)


def first_where(ctx: Any, bad: Any, x: Any) -> Any:
    """The element of x at the first position where `bad` holds (row-major order)."""
    from ..staging import scalar_type
    n = int(np.prod(bad.shape))
    flat_b = ctx.op("stablehlo.reshape", [bad], scalar_type(np.bool_), np.bool_, (n,))
    flat_x = ctx.op("stablehlo.reshape", [x], scalar_type(x.dtype), x.dtype, (n,))
    iota = ctx.op("stablehlo.iota", [], scalar_type(np.int64), np.int64, (n,),
                  "iota_dimension = 0 : i64")
    big = ctx.const(n - 1, np.int64, (n,))
    idx = ctx.select(flat_b, iota, big)
    first = reduce_scalar(ctx, idx, "stablehlo.minimum", n - 1)
    piece = ctx.op("stablehlo.dynamic_slice", [flat_x, first], scalar_type(x.dtype), x.dtype,
                   (1,), "slice_sizes = array<i64: 1>")
    return ctx.op("stablehlo.reshape", [piece], scalar_type(x.dtype), x.dtype, ())


def reduce_scalar(ctx: Any, x: Any, opname: str, init: Any) -> Any:
    """Reduce all of x with a binary StableHLO op, starting from `init`."""
    return reduce_axes(ctx, x, opname, init, tuple(range(len(x.shape))))


def reduce_axes(ctx: Any, x: Any, opname: str, init: Any, axes: tuple) -> Any:
    """x reduced with a binary StableHLO op over `axes` (dropped from the shape)."""
    from .. import hlo
    from ..staging import Dyn, array_type, scalar_type
    em = ctx.em
    t = hlo.tensor(x.dtype, ())
    i = ctx.const(init, x.dtype)
    with em.region() as body:
        a, b = em.fresh("a"), em.fresh("b")
        em.block_header([(a, t), (b, t)])
        r = em.op(opname, [(a, t), (b, t)], [t])
        em.ret([(r[0], t)])
    shape = tuple(d for k, d in enumerate(x.shape) if k not in axes)
    res = em.op("stablehlo.reduce", [(x.name, x.htype), (i.name, i.htype)],
                [hlo.tensor(x.dtype, shape)], f"dimensions = {hlo.i64_array(axes)}", [body])[0]
    at = scalar_type(x.dtype) if not shape else array_type(x.dtype, len(shape))
    return Dyn(res, at, x.dtype, shape)


def is_batched(v: Any) -> bool:
    """Whether v holds a batched scalar (a value of an enclosing elementwise map)."""
    from ..staging import Dyn, flatten
    leaves: list = []
    flatten(v, leaves)
    return any(isinstance(x, Dyn) and not x.is_array and x.shape for x in leaves)


@contextmanager
def unbatched(ctx: Any, values: tuple) -> Iterator[None]:
    """Emit whole-array code: refuse batched inputs (the map then runs as a loop over the
    elements), and turn batching off meanwhile."""
    if ctx.batch is not None and is_batched(values):
        ctx.fail("an array operation on the elements of an elementwise map")
    old = ctx.batch
    ctx.batch = None
    try:
        yield
    finally:
        ctx.batch = old
