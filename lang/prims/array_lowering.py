"""StableHLO lowerings of the array intrinsics in `array.py` (shape queries, reshaping,
construction, the matrix product, sorting).

Shapes are static: `size`, `length`, `ndims` and `eltype` of a run-time array are
constants, and every argument that decides a shape (the dims of `fill` and `reshape`, a
permutation, a dimension number) must be a compile-time constant (`ctx.need_const`).  The
checks that the reference evaluation makes on shapes (DimensionMismatch, ArgumentError)
therefore happen at compile time, by calling the same shape helpers as the evaluation.

The helpers at the top (`as_array`, `reshape`, `gather_axis`, `error_where`, ...) are
shared with the indexing lowerings (`indexing_lowering.py`).
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from . import PRIMITIVES, lowering
from . import hlo_rules as H
from .. import hlo, source, types as T
from ..source import ArrError, error_class
from ..values import StepRange, UnitRange, obj_array
from .array import (array_from_values, broadcast_shape, concat_shape, is_colon,
                    joined_eltype, matmul_shape, permutation_axes, reshape_dims,
                    stretched_shape, _dims_str)
from .misc import summary
from .numeric import dtype_of, promote_dtype, shape_tuple
from .ranges import range_collect

MAX_TUPLE = 1024          # elements of an array turned into a tuple of run-time scalars
MAX_ITEMS = 512           # iterations of `collect(itr)` run at compile time


def _st():
    from .. import staging
    return staging


# ---------------------------------------------------------------- helpers
def arr_type(dtype: Any, ndim: int) -> Any:
    return _st().array_type(np.dtype(dtype), ndim)


is_batched = H.is_batched
unbatched = H.unbatched


def array_rule(name: str) -> Callable:
    """Register a lowering that emits whole-array code (see `unbatched`)."""
    def register(fn: Callable) -> Callable:
        def rule(ctx: Any, *args: Any) -> Any:
            with unbatched(ctx, args):
                return fn(ctx, *args)
        rule.__name__ = fn.__name__
        lowering(name)(rule)
        return fn
    return register


def as_array(ctx: Any, x: Any) -> Any:
    """x (a run-time array, a numeric array constant, a range) as a run-time array."""
    st = _st()
    if isinstance(x, st.Dyn):
        if not x.is_array:
            ctx.fail(f"an array operation on a {st.describe(x)}")
        return x
    if isinstance(x, (UnitRange, StepRange)):
        x = range_collect(ctx.need_const(x, "the length of a range"))
    if isinstance(x, np.ndarray) and x.dtype.kind in "biuf":
        return ctx.const(np.ascontiguousarray(x))
    ctx.fail(f"an array operation on a {st.describe(x)}")
    raise AssertionError


def is_array_arg(x: Any) -> bool:
    st = _st()
    if isinstance(x, st.Dyn):
        return x.is_array
    return isinstance(x, (np.ndarray, UnitRange, StepRange))


def stand_in(d: Any) -> Any:
    """An array with d's shape and element type whose contents do not matter (for the
    reference evaluation to build an error message from); a constant stays itself."""
    if isinstance(d, np.ndarray):
        return d
    return np.broadcast_to(np.zeros((), d.dtype), d.shape)


def reshape(ctx: Any, d: Any, shape: tuple) -> Any:
    """The array d with a new shape (row-major order, as numpy)."""
    shape = tuple(shape)
    if d.shape == shape and d.is_array:
        return d
    return ctx.op("stablehlo.reshape", [d], arr_type(d.dtype, len(shape)), d.dtype, shape)


def to_scalar(ctx: Any, d: Any) -> Any:
    """A one-element array as a scalar."""
    return ctx.op("stablehlo.reshape", [d], _st().scalar_type(d.dtype), d.dtype, ())


def convert(ctx: Any, d: Any, dtype: Any) -> Any:
    """An array converted elementwise (no checks: the dtype is a promotion of its own)."""
    dtype = np.dtype(dtype)
    if d.dtype == dtype:
        return d
    if dtype == np.bool_:
        z = ctx.const(np.zeros(d.shape, d.dtype))
        return ctx.op("stablehlo.compare", [d, z], arr_type(dtype, len(d.shape)), dtype, d.shape,
                      "comparison_direction = #stablehlo<comparison_direction NE>")
    return ctx.op("stablehlo.convert", [d], arr_type(dtype, len(d.shape)), dtype, d.shape)


def broadcast_in_dim(ctx: Any, d: Any, shape: tuple, dims: tuple) -> Any:
    return ctx.op("stablehlo.broadcast_in_dim", [d], arr_type(d.dtype, len(shape)), d.dtype,
                  tuple(shape), f"broadcast_dimensions = {hlo.i64_array(tuple(dims))}")


def slice_(ctx: Any, d: Any, starts: list, limits: list, strides: list | None = None) -> Any:
    strides = strides or [1] * len(starts)
    shape = tuple(max(0, -(-(hi - lo) // s)) for lo, hi, s in zip(starts, limits, strides))
    return ctx.op("stablehlo.slice", [d], arr_type(d.dtype, len(shape)), d.dtype, shape,
                  f"start_indices = {hlo.i64_array(starts)}, limit_indices = "
                  f"{hlo.i64_array(limits)}, strides = {hlo.i64_array(strides)}")


def dynamic_slice(ctx: Any, d: Any, starts: list, sizes: list) -> Any:
    """The window of the given sizes at (0-based, in-bounds) starts, constants or Int64."""
    if not any(H.is_dyn(s) for s in starts):
        return slice_(ctx, d, [int(s) for s in starts],
                      [int(s) + n for s, n in zip(starts, sizes)])
    ops = [d] + [ctx.dyn(s, np.int64) for s in starts]
    return ctx.op("stablehlo.dynamic_slice", ops, arr_type(d.dtype, len(sizes)), d.dtype,
                  tuple(sizes), f"slice_sizes = {hlo.i64_array(sizes)}")


def dynamic_update_slice(ctx: Any, d: Any, upd: Any, starts: list) -> Any:
    ops = [d, upd] + [ctx.dyn(s, np.int64) for s in starts]
    return ctx.op("stablehlo.dynamic_update_slice", ops, d.arr_type, d.dtype, d.shape)


def reverse(ctx: Any, d: Any, dims: list) -> Any:
    if not dims:
        return d
    return ctx.op("stablehlo.reverse", [d], d.arr_type, d.dtype, d.shape,
                  f"dimensions = {hlo.i64_array(sorted(dims))}")


def iota(ctx: Any, n: int) -> Any:
    return ctx.op("stablehlo.iota", [], arr_type(np.int64, 1), np.int64, (n,),
                  "iota_dimension = 0 : i64")


def concat(ctx: Any, parts: list, axis: int) -> Any:
    if len(parts) == 1:
        return parts[0]
    shape = list(parts[0].shape)
    shape[axis] = sum(p.shape[axis] for p in parts)
    return ctx.op("stablehlo.concatenate", parts, arr_type(parts[0].dtype, len(shape)),
                  parts[0].dtype, tuple(shape), f"dimension = {axis} : i64")


def _dims_attr(name: str, dims: list) -> list[str]:
    return [f"{name} = [{', '.join(str(d) for d in dims)}]"] if dims else []


def gather_axis(ctx: Any, d: Any, axis: int, idx: Any) -> Any:
    """`np.take(d, idx, axis)` for in-bounds 0-based Int64 indices (an array)."""
    shape, ishape = d.shape, idx.shape
    k, nd = len(ishape), len(shape)
    out = shape[:axis] + ishape + shape[axis + 1:]
    offset = list(range(axis)) + list(range(axis + k, nd - 1 + k))
    sizes = list(shape)
    sizes[axis] = 1
    nums = ", ".join(_dims_attr("offset_dims", offset) + _dims_attr("collapsed_slice_dims", [axis])
                     + _dims_attr("start_index_map", [axis]) + [f"index_vector_dim = {k}"])
    return ctx.op("stablehlo.gather", [d, ctx.dyn(idx, np.int64)], arr_type(d.dtype, len(out)),
                  d.dtype, tuple(out),
                  f"dimension_numbers = #stablehlo.gather<{nums}>, indices_are_sorted = false, "
                  f"slice_sizes = {hlo.i64_array(sizes)}")


def gather_points(ctx: Any, d: Any, coords: list, bshape: tuple) -> Any:
    """The elements of d at the points whose (0-based, in-bounds) coordinates along each
    dimension are the arrays `coords` (of shape bshape, or scalars), as an array of shape
    bshape of scalars (a batched value)."""
    nd = len(d.shape)
    cols = [reshape(ctx, ctx.dyn(c, np.int64, bshape), bshape + (1,)) for c in coords]
    ind = concat(ctx, cols, len(bshape))
    alld = list(range(nd))
    nums = ", ".join(_dims_attr("collapsed_slice_dims", alld) + _dims_attr("start_index_map", alld)
                     + [f"index_vector_dim = {len(bshape)}"])
    return ctx.op("stablehlo.gather", [d, ind], _st().scalar_type(d.dtype), d.dtype, bshape,
                  f"dimension_numbers = #stablehlo.gather<{nums}>, indices_are_sorted = false, "
                  f"slice_sizes = {hlo.i64_array([1] * nd)}")


def scatter_points(ctx: Any, d: Any, coords: list, upd: Any) -> Any:
    """d with the elements at the points (coordinate arrays of upd's shape, or scalars; all
    in bounds and distinct) replaced by upd's."""
    nd, bshape = len(d.shape), upd.shape
    cols = [reshape(ctx, ctx.dyn(c, np.int64, bshape), bshape + (1,)) for c in coords]
    ind = concat(ctx, cols, len(bshape))
    t = hlo.tensor(d.dtype, ())
    em = ctx.em
    with em.region() as body:
        a, b = em.fresh("a"), em.fresh("b")
        em.block_header([(a, t), (b, t)])
        em.ret([(b, t)])
    alld = list(range(nd))
    nums = ", ".join(_dims_attr("inserted_window_dims", alld)
                     + _dims_attr("scatter_dims_to_operand_dims", alld)
                     + [f"index_vector_dim = {len(bshape)}"])
    name = em.op("stablehlo.scatter", [(d.name, d.htype), (ind.name, ind.htype),
                                       (upd.name, upd.htype)], [d.htype],
                 f"indices_are_sorted = false, scatter_dimension_numbers = "
                 f"#stablehlo.scatter<{nums}>, unique_indices = true", [body])[0]
    return _st().Dyn(name, d.arr_type, d.dtype, d.shape)


def compare(ctx: Any, a: Any, b: Any, direction: str) -> Any:
    """a `direction` b, elementwise, by the element type's order (Bool and unsigned:
    unsigned; floats: IEEE)."""
    dt = a.dtype
    kind = "FLOAT" if dt.kind == "f" else "UNSIGNED" if dt.kind in "ub" else "SIGNED"
    st = _st()
    at = arr_type(np.bool_, len(a.shape)) if a.is_array else st.scalar_type(np.bool_)
    return ctx.op("stablehlo.compare", [a, b], at, np.bool_, a.shape,
                  f"comparison_direction = #stablehlo<comparison_direction {direction}>, "
                  f"compare_type = #stablehlo<comparison_type {kind}>")


def any_of(ctx: Any, conds: list) -> Any:
    """The disjunction of Bool scalars (constants or run-time), False when empty."""
    out: Any = False
    for c in conds:
        if not H.is_dyn(c):
            if c:
                return True
            continue
        if out is False:
            out = c
            continue
        shape = max(out.shape, c.shape, key=len)
        out = ctx.logical("or", ctx.dyn(out, None, shape), ctx.dyn(c, None, shape))
    return out


def out_of(ctx: Any, k: Any, lo: int, hi: int) -> Any:
    """Whether the Int64 k (run-time, scalar or array) lies outside lo:hi (any element)."""
    below = compare(ctx, k, ctx.dyn(lo, np.int64, k.shape), "LT")
    above = compare(ctx, k, ctx.dyn(hi, np.int64, k.shape), "GT")
    bad = ctx.logical("or", below, above)
    if bad.shape and ctx.batch is None:
        bad = ctx.reduce_any(bad)
    return bad


def note_range(ctx: Any, d: Any, lo: int, hi: int) -> Any:
    """Remember that the run-time integers d all lie in lo:hi (a permutation from
    `sortperm`): indexing with them needs no bounds check."""
    ctx.__dict__.setdefault("_int_ranges", {})[id(d)] = (d, lo, hi)     # holds d: ids stay
    return d


def known_range(ctx: Any, d: Any) -> tuple | None:
    fact = ctx.__dict__.get("_int_ranges", {}).get(id(d))
    return fact[1:] if fact is not None and fact[0] is d else None


# ---------------------------------------------------------------- run-time errors
def _from_bits(b: int, dt: np.dtype) -> Any:
    bits = np.int64(b)
    return bits.view(np.float64).astype(dt) if dt.kind == "f" else bits.astype(dt)


def error_where(ctx: Any, bad: Any, impl: Callable[..., Any], args: tuple) -> None:
    """Where `bad` holds at run time, raise the error that `impl(*args)` raises.

    The run-time leaves of args travel as the error's details (at most `ERR_DETAILS`
    numbers: scalars, or the elements of small arrays; where `bad` is batched, those of the
    first failing element) and the reference evaluation runs on them after the executable
    returns.  Arrays whose contents cannot matter to the error must be passed as stand-ins
    (`stand_in`)."""
    st = _st()
    if not st.has_dyn(bad):
        if not bad:
            return
    leaves: list = []
    skel = st.flatten(args, leaves)
    kinds: list = []
    details: list = []
    batched = H.is_dyn(bad) and bad.shape
    mask = getattr(ctx, "mask", None)
    if batched and mask is not None:          # only the elements on the path traced
        bad = ctx.logical("and", bad, ctx.dyn(mask, None, bad.shape))
    for v in leaves:
        if not isinstance(v, st.Dyn):
            kinds.append(None)
            continue
        if v.is_array:
            n = math.prod(v.shape)
            if len(details) + n > st.ERR_DETAILS:
                ctx.fail("an error message that shows a run-time array")
            flat = reshape(ctx, v, (n,))
            for j in range(n):
                details.append(H.as_bits(ctx, to_scalar(ctx, slice_(ctx, flat, [j], [j + 1]))))
        else:
            if len(details) + 1 > st.ERR_DETAILS:
                ctx.fail("an error message that shows too many run-time values")
            x = v
            if batched:
                x = H.first_where(ctx, bad, ctx.dyn(v, None, bad.shape))
            details.append(H.as_bits(ctx, x))
        kinds.append((v.dtype, v.shape if v.is_array else None))

    def make(det: tuple) -> ArrError:
        it = iter(det)
        vals = []
        for v, k in zip(leaves, kinds):
            if k is None:
                vals.append(v)
                continue
            dt, shape = k
            if shape is None:
                x = _from_bits(next(it), dt)
                vals.append(x.item() if dt in (np.float64, np.int64, np.bool_) else x)
            else:
                xs = [_from_bits(next(it), dt) for _ in range(math.prod(shape))]
                vals.append(np.array(xs, dtype=dt).reshape(shape))
        try:
            impl(*st.unflatten(skel, iter(vals)))
        except ArrError as e:
            return e
        return error_class("ErrorException")("a run-time check failed in compiled code")
    ctx.check(bad, make, tuple(details))


def fold(impl: Callable[..., Any], args: tuple) -> Any:
    """The reference evaluation on constant arguments."""
    return impl(*args)


# ---------------------------------------------------------------- shape
def _shape(ctx: Any, x: Any) -> tuple:
    if isinstance(x, (UnitRange, StepRange)):
        return (PRIMITIVES["length"].impl(ctx.need_const(x, "the length of a range")),)
    return as_array(ctx, x).shape if H.is_dyn(x) else tuple(np.shape(x))


@array_rule("size")
def size_lower(ctx: Any, x: Any) -> Any:
    return tuple(int(d) for d in _shape(ctx, x))


@array_rule("ndims")
def ndims_lower(ctx: Any, x: Any) -> Any:
    return len(as_array(ctx, x).shape)


@array_rule("length")
def length_lower(ctx: Any, x: Any) -> Any:
    return int(math.prod(_shape(ctx, x)))


@array_rule("array_eltype")
def array_eltype_lower(ctx: Any, x: Any) -> Any:
    return _st().scalar_type(as_array(ctx, x).dtype)


@array_rule("reshape")
def reshape_lower(ctx: Any, x: Any, dims: Any) -> Any:
    dims = ctx.need_const(dims, "the dimensions of reshape")
    xa = as_array(ctx, x)
    return reshape(ctx, xa, reshape_dims(math.prod(xa.shape), dims))


@array_rule("permutedims")
def permutedims_lower(ctx: Any, x: Any, perm: Any) -> Any:
    perm = ctx.need_const(perm, "a permutation of dimensions")
    xa = as_array(ctx, x)
    p = permutation_axes(perm, len(xa.shape))
    if p == sorted(p):
        return xa
    return ctx.op("stablehlo.transpose", [xa], xa.arr_type, xa.dtype,
                  tuple(xa.shape[i] for i in p), f"permutation = {hlo.i64_array(p)}")


@array_rule("broadcast_to")
def broadcast_to_lower(ctx: Any, x: Any, shape: Any) -> Any:
    shape = shape_tuple(ctx.need_const(shape, "the shape of a broadcast"))
    if not H.is_dyn(x) and not (isinstance(x, (UnitRange, StepRange)) and _st().has_dyn(x)):
        return fold(PRIMITIVES["broadcast_to"].impl, (x, shape))
    if not is_array_arg(x):
        return broadcast_in_dim(ctx, ctx.dyn(x), shape, ())
    xa = as_array(ctx, x)
    xs = stretched_shape(xa.shape, shape)
    return broadcast_in_dim(ctx, reshape(ctx, xa, xs), shape, tuple(range(len(shape))))


@array_rule("broadcast_shape")
def broadcast_shape_lower(ctx: Any, a: Any, b: Any) -> Any:
    return broadcast_shape(ctx.need_const(a, "a shape"), ctx.need_const(b, "a shape"))


# ---------------------------------------------------------------- linear algebra
@array_rule("matmul")
def matmul_lower(ctx: Any, a: Any, b: Any) -> Any:
    a, b = as_array(ctx, a), as_array(ctx, b)
    if len(a.shape) == 1:
        a = reshape(ctx, a, a.shape + (1,))
    if len(a.shape) != 2 or len(b.shape) not in (1, 2):
        raise source.MethodError(f"no method matching *(::{summary(stand_in(a))}, "
                                 f"::{summary(stand_in(b))})")
    shape = matmul_shape(a.shape, b.shape)
    dt = promote_dtype(a.dtype, b.dtype)
    work = np.dtype(np.int64) if dt == np.bool_ else dt
    a, b = convert(ctx, a, work), convert(ctx, b, work)
    # full float precision: GPUs would otherwise multiply Float32 as TF32; the CPU computes
    # in full precision anyway, and is slower when asked for HIGHEST
    precision = "" if _platform() == "cpu" else \
        (", precision_config = [#stablehlo<precision HIGHEST>, #stablehlo<precision HIGHEST>]")
    r = ctx.op("stablehlo.dot_general", [a, b], arr_type(work, len(shape)), work, shape,
               "dot_dimension_numbers = #stablehlo.dot<lhs_contracting_dimensions = [1], "
               "rhs_contracting_dimensions = [0]>" + precision)
    if dt == np.bool_:
        return compare(ctx, r, ctx.const(np.zeros(shape, np.int64)), "GT")
    return r


# ---------------------------------------------------------------- construction
def _part(ctx: Any, v: Any) -> Any:
    """A part of `cat` (an array, a range or a number) as a run-time array."""
    st = _st()
    if is_array_arg(v):
        return as_array(ctx, v)
    if isinstance(v, st.Dyn):
        return reshape(ctx, v, ())
    dt = H.leaf_dtype(v)
    if dt is None:
        ctx.fail(f"concatenating a {st.describe(v)}")
    return ctx.const(np.array(v, dtype=dt))


@array_rule("concatenate")
def concatenate_lower(ctx: Any, arrays: Any, dim: Any) -> Any:
    dim = ctx.need_const(dim, "the dimension of a concatenation")
    if type(arrays) is not tuple:
        ctx.fail(f"concatenating a {_st().describe(arrays)}")
    ax = int(dim) - 1
    if not arrays or ax < 0:
        ctx.fail("cat of no arrays or along a dimension below 1")
    parts = [_part(ctx, a) for a in arrays]
    shape = concat_shape([p.shape for p in parts], ax)
    nd = len(shape)
    dt = dtype_of(joined_eltype([_st().scalar_type(p.dtype) for p in parts]))
    parts = [convert(ctx, reshape(ctx, p, p.shape + (1,) * (nd - len(p.shape))), dt)
             for p in parts]
    return concat(ctx, parts, ax)


@array_rule("fill")
def fill_lower(ctx: Any, v: Any, dims: Any) -> Any:
    shape = shape_tuple(ctx.need_const(dims, "the dimensions of an array"))
    if not H.is_dyn(v):
        return fold(PRIMITIVES["fill"].impl, (v, shape))
    if v.is_array:
        ctx.fail("an array filled with arrays")
    return broadcast_in_dim(ctx, v, shape, ())


def _items_dtype(ctx: Any, items: list) -> np.dtype:
    """The dtype of the array the interpreter makes of these values (no conversion): their
    common type when they all have the same one."""
    ts = [T.typeof(v) for v in items]
    if any(not T.type_equal(t, ts[0]) for t in ts[1:]):
        ctx.fail("an array of values of different types")
    dt = dtype_of(ts[0])
    if dt is None or any(H.is_dyn(v) and v.is_array for v in items):
        ctx.fail(f"an array of {T.show_type(ts[0])}")
    return np.dtype(dt)


def _from_items(ctx: Any, items: list, dt: np.dtype, shape: tuple) -> Any:
    parts = [reshape(ctx, ctx.dyn(v, dt), (1,)) for v in items]
    return reshape(ctx, concat(ctx, parts, 0), shape)


@array_rule("array_from_tuple")
def array_from_tuple_lower(ctx: Any, Tt: Any, values: Any, shape: Any) -> Any:
    st = _st()
    shape = shape_tuple(ctx.need_const(shape, "the shape of an array literal"))
    if type(values) is not tuple or st.has_dyn(Tt):
        ctx.fail("an array literal of run-time values that are not a tuple")
    if math.prod(shape) != len(values):
        raise source.DimensionMismatch(f"array literal has {len(values)} elements, shape "
                                       f"{_dims_str(shape)} needs {math.prod(shape)}")
    if not st.has_dyn(values):
        return fold(PRIMITIVES["array_from_tuple"].impl, (Tt, values, shape))
    if Tt is None:
        return _from_items(ctx, list(values), _items_dtype(ctx, list(values)), shape)
    dt = dtype_of(Tt)
    if dt is None:
        ctx.fail(f"an array of {T.show_type(Tt)}")
    conv = PRIMITIVES["convert"].lower
    items = []
    for v in values:
        if isinstance(v, st.Dyn) and (v.is_array or v.shape):
            ctx.fail("an array literal of arrays")
        if H.leaf_dtype(v) != dt:
            if H.leaf_dtype(v) is None:
                ctx.fail(f"an array of {T.show_type(Tt)} from a {st.describe(v)}")
            v = conv(ctx, Tt, v)
        items.append(v)
    return _from_items(ctx, items, np.dtype(dt), shape)


@lowering("iterate_collect")
def iterate_collect_lower(ctx: Any, iterate_fn: Any, itr: Any) -> Any:
    st = _st()
    with unbatched(ctx, (itr,)):
        items: list = []
        nxt = ctx.call(iterate_fn, [itr])
        while nxt is not None:
            if nxt is st.DEAD:
                return nxt
            if type(nxt) is not tuple or len(nxt) != 2:
                ctx.fail("collect of an iterator whose length is run-time data")
            if len(items) >= MAX_ITEMS:
                ctx.fail(f"collect of an iterator of more than {MAX_ITEMS} items")
            items.append(nxt[0])
            nxt = ctx.call(iterate_fn, [itr, nxt[1]])
        if not st.has_dyn(tuple(items)):
            if not items:
                return obj_array([], T.ANY, (0,))
            return array_from_values(items, (len(items),))
        return _from_items(ctx, items, _items_dtype(ctx, items), (len(items),))


@array_rule("array_to_tuple")
def array_to_tuple_lower(ctx: Any, x: Any) -> Any:
    xa = as_array(ctx, x)
    n = math.prod(xa.shape)
    if n > MAX_TUPLE:
        ctx.fail(f"a tuple of more than {MAX_TUPLE} run-time elements")
    flat = reshape(ctx, xa, (n,))
    return tuple(to_scalar(ctx, slice_(ctx, flat, [j], [j + 1])) for j in range(n))


@array_rule("copy")
def copy_lower(ctx: Any, x: Any) -> Any:
    return as_array(ctx, x)


@array_rule("reverse")
def reverse_lower(ctx: Any, x: Any, dim: Any) -> Any:
    dim = ctx.need_const(dim, "the dimension of reverse")
    xa = as_array(ctx, x)
    nd = len(xa.shape)
    if dim is None or is_colon(dim):
        return reverse(ctx, xa, list(range(nd)))
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or not 1 <= dim <= nd:
        ctx.fail("reverse along a dimension the array does not have")
    return reverse(ctx, xa, [int(dim) - 1])


# ---------------------------------------------------------------- sorting
def _isless(ctx: Any, a: Any, b: Any) -> Any:
    """numpy's sort order: NaN after everything else."""
    lt = compare(ctx, a, b, "LT")
    if a.dtype.kind != "f":
        return lt
    b_nan = compare(ctx, b, b, "NE")
    a_num = compare(ctx, a, a, "EQ")
    return ctx.logical("or", lt, ctx.logical("and", b_nan, a_num))


def _sort(ctx: Any, operands: list, axis: int) -> list:
    """Stable sort of the operands along `axis` by the first one's values."""
    st = _st()
    em = ctx.em
    key = operands[0]
    with em.region() as body:
        params = []
        for o in operands:
            t = hlo.tensor(o.dtype, ())
            params += [(em.fresh("a"), t), (em.fresh("b"), t)]
        em.block_header(params)
        lhs = st.Dyn(params[0][0], st.scalar_type(key.dtype), key.dtype, ())
        rhs = st.Dyn(params[1][0], st.scalar_type(key.dtype), key.dtype, ())
        less = _isless(ctx, lhs, rhs)
        em.ret([(less.name, less.htype)])
    names = em.op("stablehlo.sort", [(o.name, o.htype) for o in operands],
                  [o.htype for o in operands], f"dimension = {axis} : i64, is_stable = true",
                  [body])
    return [st.Dyn(n, o.arr_type, o.dtype, o.shape) for n, o in zip(names, operands)]


@array_rule("sort")
def sort_lower(ctx: Any, x: Any, dim: Any, rev: Any) -> Any:
    dim = ctx.need_const(dim, "the dimension of sort")
    rev = ctx.need_const(rev, "the order of sort")
    xa = as_array(ctx, x)
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or \
            not 1 <= dim <= len(xa.shape):
        ctx.fail("sort along a dimension the array does not have")
    ax = int(dim) - 1
    (s,) = _sort(ctx, [xa], ax)
    return reverse(ctx, s, [ax]) if rev else s


@array_rule("sortperm")
def sortperm_lower(ctx: Any, x: Any, rev: Any) -> Any:
    rev = ctx.need_const(rev, "the order of sortperm")
    xa = as_array(ctx, x)
    if len(xa.shape) != 1:
        raise source.ArgumentError("sortperm requires a vector")
    n = xa.shape[0]
    ix = iota(ctx, n)
    if rev:      # numpy: the stable order of the reversed vector, mapped back and reversed
        _, p = _sort(ctx, [reverse(ctx, xa, [0]), reverse(ctx, ix, [0])], 0)
        p = reverse(ctx, p, [0])
    else:
        _, p = _sort(ctx, [xa, ix], 0)
    p = ctx.op("stablehlo.add", [p, ctx.const(np.ones(n, np.int64))], p.arr_type, np.int64,
               (n,))
    return note_range(ctx, p, 1, n)


def _platform() -> str:
    """The platform compiled code runs on (`ARR_PLATFORM`, default cpu)."""
    import os
    return os.environ.get("ARR_PLATFORM", "cpu").lower()
