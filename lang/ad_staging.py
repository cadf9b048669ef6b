"""Compiled differentiation: reverse mode staged into the caller's StableHLO module.

The transformed IR of lang/ad.py (F+ and F-) is ordinary IR, so the stager
(staging.py) runs it like any other code.  What it cannot run as is are the Python
builtins that transformed code calls (`_ad_call`, `_ad_apply`, the intrinsics' rules...):
each has `Builtin.stage`, which hands the stager the matching method of a `StagedAD`,
one per stager.  A `StagedAD` is the same `AD` with its run-time operations done on
symbolic values: calls are staged (and so inlined), adjoints are added with the Arr `+`,
zeros are constants of the value's shape.  F+ and F- of the same call thus become one
function: the forward and the backward pass in one executable.

A pullback made while staging is a `Builtin` whose Python function works on symbolic
values (`DIRECT`); it captures the forward pass's values (the tape) as symbolic values.
The tape is the same cons list as in the interpreter.  Straight-line code and loops
whose trip count is known at compile time (which the stager unrolls) are compiled; a
branch or a loop on run-time data would join tapes of different types, so such a call
runs in the interpreter (the reason shows with `ARR_JIT_LOG=1` or `@code_hlo`).

The intrinsics whose interpreter rules are written with numpy have their staged rule
here: `broadcast_to` (sum over the stretched dimensions), `reduce(+)` (the adjoint
spread), and `elementwise`, whose backward pass is one more elementwise map: at each
element, the scalar function's forward pass is recomputed and its pullback applied
(branches in it become selects, as in any map).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .ad import AD, _STRUCTURAL
from .ad_forward import Forward
from .ad_values import adj_index, differentiable, materialize, zero_like
from . import hlo
from .interp import DIRECT, Builtin
from .source import ArrError
from .prims import hlo_rules as H
from .symbolic import (DEAD, Back, Dyn, Maybe, NotCompilable, Unstable, array_type, flatten,
                       _zeros_like, has_dyn, scalar_type, skel_equal, unflatten)

# the container rules of ad.py work on symbolic values as they are
_CONTAINER = ("iter_item", "tuple_getindex", "getfield", "tuple_concat", "tuple_slice",
              "struct_new", "namedtuple_new", "namedtuple_values")


def staged_ad(st: Any) -> "StagedAD":
    """The StagedAD of a stager (made on first use)."""
    ad = getattr(st, "_staged_ad", None)
    if ad is None:
        from .ad import ad_of
        ad = st._staged_ad = StagedAD(st, ad_of(st.interp))
    return ad


def _static_arg(a: Any) -> bool:
    """Whether a pullback's argument is compile-time information: no run-time value and
    no float in it (an index, a shape, a type, a function, transformed IR)."""
    t = type(a)
    if t is int or t is bool:
        return True
    if t is Dyn or t is float or t is Back or t is Tape:
        return False
    leaves: list = []
    sk = flatten(a, leaves)
    return all(type(x) in (int, bool) for x in leaves) and not has_dyn(a) and \
        not _has_container(sk)


def _has_container(sk: Any) -> bool:
    """Whether a skeleton has a tape, a pullback or a closure in it (values, not
    compile-time information, even when they hold only integers)."""
    if not isinstance(sk, tuple) or not sk:
        return False
    if sk[0] in ("custom", "back", "closure", "maybe"):
        return True
    if sk[0] == "const":
        return False
    parts = sk[1] if sk[0] == "tuple" else sk[2] if sk[0] in ("nt", "struct") else sk[1:]
    return any(_has_container(x) for x in parts)


def _interleaved(maker: Any, pattern: tuple, *rest: Any) -> Any:
    """`maker(args...)` with the static arguments (first in `rest`) put back in place."""
    n = sum(pattern)
    static, data = iter(rest[:n]), iter(rest[n:])
    return maker(*(next(static) if p else next(data) for p in pattern))


class StagedWork:
    """How differentiation's builtins do their work while staging (`self.st`): calls
    are staged (inlined), intrinsics lowered, zeros made as constants."""
    st: Any

    def invoke(self, f: Any, args: list, kw: dict | None = None) -> Any:
        return self.st.call(f, list(args), kw or None)

    def invoke_method(self, m: Any, env: dict, args: list, kw: dict | None) -> Any:
        return self.st.invoke_method(m, env, list(args), kw)

    def run_ir(self, ir: Any, args: list, env: dict | None, closure: Any) -> Any:
        out = self.st.run_ir(ir, list(args), env, closure)
        if out is DEAD:
            self.st.fail("differentiating code that always throws")
        return out

    def run_prim(self, name: str, extra: tuple) -> Any:
        return lambda *args: self.st.prim(name, list(args), extra)

    def zero(self, x: Any) -> Any:
        """The zero of a run-time leaf, as a constant of its shape."""
        if isinstance(x, Dyn):
            z = self.st.const(0, x.dtype, x.shape)
            return Dyn(z.name, x.arr_type, x.dtype, x.shape)
        return None


class StagedAD(StagedWork, AD):
    """`AD` whose work is staged by `st` (see the module docstring)."""

    def __init__(self, st: Any, base: AD) -> None:
        self.st = st
        super().__init__(st.interp)
        self.staged_from = base
        self.cache = base.cache

    def builtin(self, name: str, fn: Any, staged: Any = None) -> Any:
        return Builtin(name, fn, DIRECT)

    def back_builtin(self, name: str, maker: Any, *args: Any) -> Any:
        """A `Back`: arguments that hold no run-time values and no floats (indices,
        shapes, types, functions, transformed IR) are its static part."""
        pattern = tuple(_static_arg(a) for a in args)
        static = tuple(a for a, p in zip(args, pattern) if p)
        data = tuple(a for a, p in zip(args, pattern) if not p)
        return Back(name, _interleaved, (maker, pattern) + static, data)

    def add(self, a: Any, b: Any) -> Any:
        if isinstance(a, Maybe) or isinstance(b, Maybe):
            # an adjoint that is `nothing` on some paths (where they joined): zero there
            a, b = self._zero_if_nothing(a), self._zero_if_nothing(b)
        return self.st.call(self.interp.globals["+"], [a, b])

    def _zero_if_nothing(self, m: Any) -> Any:
        if not isinstance(m, Maybe):
            return m
        return self.st.select_values(m.flag, _zeros_like(m.value), m.value)

    def custom_rule(self, f: Any, args: tuple, kw: dict) -> tuple | None:
        out = super().custom_rule(f, args, kw)
        if isinstance(out, Maybe):
            self.st.fail("an rrule that declines (returns `nothing`) only at run time")
        return out

    # ------------------------------------------------------------ the tape
    def push(self, tape: Any, rec: tuple) -> "Tape":
        if type(tape) is tuple and not tape:
            tape = Tape.empty(self.st)
        return tape.push(rec)

    def empty(self, tape: Any) -> Any:
        return tape.is_empty()

    def top_block(self, tape: Any) -> Any:
        return tape.top_block()

    def top(self, tape: Any, bid: int) -> Any:
        return tape.top(bid)

    def drop(self, tape: Any, bid: int) -> Any:
        return tape.drop(bid)

    # ------------------------------------------------------------ the API
    def pullback(self, f: Any, args: tuple) -> tuple:
        """As `AD.pullback`, staged.  A type instability met here comes from the tape
        (a branch or loop on run-time data): the call runs in the interpreter, with no
        warning, as nothing is wrong with the user's code."""
        try:
            return super().pullback(f, args)
        except Unstable as e:
            raise self.refused(e) from None

    def _api_back(self, back: Any, args: tuple) -> Any:
        inner = super()._api_back(back, args)

        def api_back(d: Any) -> Any:
            try:
                return inner(d)
            except Unstable as e:
                raise self.refused(e) from None
        return api_back

    def refused(self, e: Unstable) -> NotCompilable:
        return NotCompilable("differentiating a branch or loop on run-time data (compiled: "
                             f"not yet): {e.reason}", e.span)

    def pick(self, flag: Any, a: Any, b: Any) -> Any:
        return self.st.select_values(flag, a, b)

    def arr(self, name: str, *args: Any, **kw: Any) -> Any:
        """A call of the stdlib function `name`, staged."""
        return self.st.call(self.interp.globals[name], list(args), kw or None)

    # ------------------------------------------------------------ intrinsics' rules
    def structural_rule(self, name: str) -> Any:
        if name in _CONTAINER:
            return _STRUCTURAL[name]
        if name == "broadcast_to":
            return self.unbroadcast_back
        if name == "array_from_tuple":
            return self.from_tuple_back
        if name == "concatenate":
            return self.concat_back
        if name == "sort":
            return self.sort_back
        if name == "accumulate":
            return self.cumsum_back
        if name in _STRUCTURAL:
            self.st.fail(f"differentiating `{name}` (compiled: not yet)")
        return None

    def from_tuple_back(self, typ: Any, vals: tuple, shape: Any) -> Any:
        """`[a, b, c]` (an array literal): the adjoints of its elements, in row-major
        order as it was built."""
        def back(d: Any) -> Any:
            if d is None:
                return None
            parts = self.st.prim("array_to_tuple", [self.st.dyn(d)])
            return (None, None, tuple(parts), None)
        return back

    def concat_back(self, arrays: tuple, dim: int) -> Any:
        """`concatenate(arrays, dim)` (`vcat`, `hcat`, `cat`): each part's adjoint is its
        slice of the adjoint, along dim."""
        from .prims.array_lowering import slice_
        st = self.st

        def back(d: Any) -> Any:
            if d is None:
                return None
            dd = st.dyn(d)
            nd = len(dd.shape)
            out, at = [], 0
            for a in arrays:
                shape = tuple(np.shape(a))          # a Dyn, a constant array or a number
                full = shape + (1,) * (nd - len(shape))
                k = full[dim - 1]
                starts = [at if i == dim - 1 else 0 for i in range(nd)]
                limits = [at + k if i == dim - 1 else dd.shape[i] for i in range(nd)]
                at += k
                if not differentiable(a):
                    out.append(None)
                    continue
                piece = slice_(st, dd, starts, limits)
                dt = a.dtype if isinstance(a, Dyn) else dd.dtype
                if piece.dtype != dt:
                    piece = st.convert(piece, dt)
                at_type = a.arr_type if isinstance(a, Dyn) else \
                    array_type(dt, len(shape)) if shape else scalar_type(dt)
                out.append(st.op("stablehlo.reshape", [piece], at_type, dt, shape))
            return (None, tuple(out), None)
        return back

    def sort_back(self, x: Any, dim: int, rev: bool) -> Any:
        """`sort(x; dims, rev)`: each element's adjoint goes back to where it came from.
        The permutation is a stable sort of (x, position); sorting (permutation,
        adjoint) by the permutation puts the adjoint in x's order."""
        from .prims.array_lowering import _sort, reverse
        st = self.st
        if not (isinstance(x, Dyn) and x.is_array and isinstance(dim, int)):
            st.fail("differentiating `sort` of this value (compiled: not yet)")
        ax = dim - 1
        shape = tuple(x.shape)

        def back(d: Any) -> Any:
            if d is None:
                return None
            i64 = np.dtype(np.int64)
            pos = st.op("stablehlo.iota", [], array_type(i64, len(shape)), i64, shape,
                        f"iota_dimension = {ax} : i64")
            _, perm = _sort(st, [x, pos], ax)
            dd = st.dyn(d, x.dtype)
            if rev:             # the forward pass reversed the ascending order
                dd = reverse(st, dd, [ax])
            _, dx = _sort(st, [perm, dd], ax)
            return (None, Dyn(dx.name, x.arr_type, x.dtype, shape), None, None)
        return back

    def cumsum_back(self, f: Any, x: Any, dim: int) -> Any:
        """`accumulate(+, x; dims)`: the adjoint's running sum from the end."""
        from .prims.array_lowering import reverse
        from .prims.mapreduce import _generic_name
        st = self.st
        if _generic_name(f) != "+" or not (isinstance(x, Dyn) and x.is_array):
            st.fail(f"differentiating accumulate with {_generic_name(f)} (compiled: not yet)")

        def back(d: Any) -> Any:
            if d is None:
                return None
            dd = reverse(st, st.dyn(d, x.dtype), [dim - 1])
            run = st.prim("accumulate", [f, dd, dim])
            return (None, None, reverse(st, st.dyn(run, x.dtype), [dim - 1]), None)
        return back

    def unbroadcast_back(self, x: Any, shape: Any) -> Any:
        """`broadcast_to(x, shape)`: the adjoint summed over the stretched dimensions (by
        XLA's reduce: no need here to add in the interpreter's order)."""
        def back(d: Any) -> Any:
            if d is None:
                return None
            st = self.st
            dd = st.dyn(d)
            if isinstance(x, Dyn) and x.is_array:
                full = tuple(x.shape) + (1,) * (len(dd.shape) - len(x.shape))
                axes = tuple(k for k in range(len(dd.shape)) if full[k] == 1 and dd.shape[k] != 1)
            else:
                axes = tuple(range(len(dd.shape)))
            r = H.reduce_axes(st, dd, "stablehlo.add", 0, axes) if axes else dd
            if isinstance(x, Dyn) and r.dtype != x.dtype:
                r = st.convert(r, x.dtype)
            if isinstance(x, Dyn) and x.is_array:
                if tuple(r.shape) != tuple(x.shape):
                    r = st.op("stablehlo.reshape", [r], x.arr_type, r.dtype, tuple(x.shape))
                else:
                    r = Dyn(r.name, x.arr_type, r.dtype, r.shape)
            return (None, r, None)
        return back

    def reduce(self, op: Any, x: Any, init: Any, dims: Any) -> tuple:
        from .prims.mapreduce import _generic_name
        name = _generic_name(op)
        if not (isinstance(x, Dyn) and x.is_array) or (
                name not in ("+", "max", "min") and dims is not None):
            self.st.fail(f"differentiating a reduction with {name} (compiled: not yet)")
        y = self.st.prim("reduce", [op, x, init, dims])
        if name not in ("+", "max", "min"):
            return (y, self.back_builtin("_ad_fold_back", self.fold_back, op, x, init))
        if name != "+":
            return (y, self.back_builtin("_ad_extremum_back", self.extremum_back, x, y, dims))
        return (y, self.back_builtin("_ad_sum_back", self.sum_back, x, init, dims))

    def sum_back(self, x: Dyn, init: Any, dims: Any) -> Any:
        """`sum`: the adjoint spread over the summed elements."""
        def back(d: Any) -> Any:
            if d is None:
                return None
            dd = self.st.dyn(d, x.dtype)
            spread = self.st.broadcast(dd, x.shape, tuple(range(len(dd.shape))) if dd.shape else ())
            spread = Dyn(spread.name, x.arr_type, x.dtype, x.shape)
            dinit = None if init is None else (d if dims is None else None)
            return (None, None, spread, dinit, None)
        return back

    def fold_back(self, op: Any, x: Dyn, init: Any) -> Any:
        """`reduce(op, x, init)` with any other operator: a loop recomputes the running
        values the fold saw (in row-major order, after init), then a loop backwards
        applies op's pullback at each step to the running value's adjoint."""
        from .prims.mapreduce_lowering import _elem, _fori, _put
        st = self.st
        dt = x.dtype
        n = int(np.prod(x.shape)) if x.shape else 1
        vec = array_type(dt, 1)
        i64 = np.dtype(np.int64)

        def scalar(v: Any) -> Any:
            if isinstance(v, Maybe):
                st.fail("a fold whose pullback is zero on some paths (compiled: not yet)")
            return st.const(0, dt) if v is None else st.dyn(v, dt)

        def back(d: Any) -> Any:
            if d is None:
                return None
            flat = st.op("stablehlo.reshape", [x], vec, dt, (n,))
            x0 = _elem(st, flat, 0)
            # the running value after the first element (init, when given, may be a
            # marker such as _NOINIT that op's first step drops)
            acc0 = x0 if init is None else scalar(st.call(op, [init, x0]))

            def before(k: Any, state: tuple) -> tuple:       # pre[k] = the value before step k
                acc, pre = state
                return (scalar(st.call(op, [acc, _elem(st, flat, k)])), _put(st, pre, acc, k))
            _, pre = _fori(st, 1, n, (acc0, st.const(0, dt, (n,))), before)

            def step(j: Any, state: tuple) -> tuple:
                dacc, dx = state
                k = st.op("stablehlo.subtract", [st.const(n - 1, i64), j], j.arr_type, i64, ())
                _, b = self.call(op, _elem(st, pre, k), _elem(st, flat, k))
                g = self.apply(b, dacc)
                return (scalar(adj_index(g, 2)), _put(st, dx, scalar(adj_index(g, 3)), k))
            dacc, dx = _fori(st, 0, n - 1, (scalar(d), st.const(0, dt, (n,))), step)
            dinit = None
            if init is None:
                dx = _put(st, dx, dacc, 0)
            else:
                _, b = self.call(op, init, x0)
                g = self.apply(b, dacc)
                dx = _put(st, dx, scalar(adj_index(g, 3)), 0)
                dinit = adj_index(g, 2) if differentiable(init) else None
            dx = st.op("stablehlo.reshape", [dx], x.arr_type, dt, tuple(x.shape))
            return (None, None, dx, dinit, None)
        return back

    def extremum_back(self, x: Dyn, y: Any, dims: Any) -> Any:
        """`maximum`/`minimum` (a fold with max or min): the adjoint goes to the element
        that the fold keeps, the first extreme one in row-major order, as in the
        interpreter's fold."""
        st = self.st
        shape = tuple(x.shape)
        full = tuple(range(len(shape)))
        axes = full if dims is None else tuple(sorted(d - 1 for d in dims))

        def spread(v: Any, dt: Any) -> Dyn:
            v = st.dyn(v, dt)
            return st.broadcast(v, shape, full if v.shape else ())

        def back(d: Any) -> Any:
            if d is None:
                return None
            i64 = np.dtype(np.int64)
            n = int(np.prod(shape)) if shape else 1
            idx = st.op("stablehlo.iota", [], array_type(i64, 1), i64, (n,),
                        "iota_dimension = 0 : i64")
            idx = st.op("stablehlo.reshape", [idx], array_type(i64, len(shape)), i64, shape)
            hit = st.compare(x, spread(y, x.dtype), "EQ")
            big = st.const(np.iinfo(np.int64).max, i64, shape)
            first = H.reduce_axes(st, st.select(hit, idx, big), "stablehlo.minimum",
                                  int(np.iinfo(np.int64).max), axes)
            kept = tuple(k for k in full if k not in axes)
            firstb = st.broadcast(first, shape, kept) if kept else st.broadcast(first, shape, ())
            mine = st.compare(idx, firstb, "EQ")
            dd = st.dyn(d, x.dtype)
            dd = st.broadcast(dd, shape, full if dd.shape else ())
            dx = st.select(mine, dd, st.const(0, x.dtype, shape))
            return (None, None, Dyn(dx.name, x.arr_type, x.dtype, shape), None, None)
        return back

    def elementwise(self, f: Any, args: tuple) -> tuple:
        """`elementwise(f, (xs...))`: the backward pass is a map too, which at each
        element recomputes f's forward pass and applies its pullback."""
        st = self.st
        y = st.prim("elementwise", [f, args])
        if not (isinstance(y, Dyn) and y.is_array):
            return self.call(f, *args)
        captures = getattr(f, "captures", None) if differentiable(f) else None
        if differentiable(f) and (captures is None or any(
                differentiable(c) and not (isinstance(c, float) or
                                           (isinstance(c, Dyn) and not c.is_array))
                for c in captures)):
            st.fail("broadcasting a function that holds arrays or structs of floats under "
                    "differentiation (compiled: not yet)")
        return (y, self.back_builtin("_ad_elementwise_back", self.elementwise_back, f, args))

    def elementwise_back(self, f: Any, args: tuple) -> Any:
        st = self.st
        captures = getattr(f, "captures", None) if differentiable(f) else None

        def back(d: Any) -> Any:
            if d is None:
                return None
            dargs: list = []
            for j, a in enumerate(args):
                if not differentiable(a):
                    dargs.append(None)
                    continue
                dj = st.prim("elementwise", [self.element_adjoint(f, ("arg", j), a), (d, *args)])
                if not (isinstance(a, np.ndarray) or isinstance(a, Dyn) and a.is_array):
                    dj = self.arr("sum", dj)
                dargs.append(dj)
            df = None
            if captures is not None:      # a closure's captured floats: summed over elements
                df = tuple(self.arr("sum", st.prim("elementwise", [
                    self.element_adjoint(f, ("capture", k), c), (d, *args)]))
                    if differentiable(c) else None for k, c in enumerate(captures))
            return (None, df, tuple(dargs))
        return back

    def element_adjoint(self, f: Any, which: tuple, a: Any) -> Any:
        """The scalar function `(d, xs...) -> d * ∂f/∂v(xs...)` for one argument of f
        (`("arg", j)`) or one captured value (`("capture", k)`), zero where f's pullback
        gives `nothing`."""
        kind, j = which

        def adjoint(d: Any, *xs: Any) -> Any:
            _, back = self.call(f, *xs)
            g = self.apply(back, d)
            g = adj_index(g, j + 2) if kind == "arg" else adj_index(adj_index(g, 1), j + 1)
            x = xs[j] if kind == "arg" else a
            dt = x.dtype if isinstance(x, Dyn) else np.dtype(type(x))
            if g is None:
                return self.st.const(0, dt)
            if isinstance(g, Maybe):        # `nothing` on some elements: a zero there
                return self.st.select(g.flag, self.st.const(0, dt), self.st.dyn(g.value, dt))
            return materialize(g, x, self.zero)
        return Builtin("_ad_element_adjoint", adjoint, DIRECT)



# ================================================================ the compiled tape
TAPE_CAP = 64           # records of one block a compiled tape holds at first (grown 8x)


class TapeFull(ArrError):
    """A compiled tape ran out of room: the JIT compiles again with a larger capacity and
    runs the call again (never shown to the user)."""
    kind = "TapeFull"


class Tape:
    """The tape of compiled reverse mode: the records of the forward pass, in order.

    Records pushed since the last join are kept as they are (`suffix`: (block id,
    record) pairs, newest last), so straight-line code pops them at compile time and its
    pullbacks are plain values.  Where control flow joins tapes of different contents,
    or a loop carries one, they are *spilled* into typed buffers: per block (a kind, one
    record type per block), one `(cap, shape...)` array per leaf of its record and a
    count, plus `order`, the block ids in push order, and `n`, the number of records.
    A tape of buffers has one type whatever the path or the trip count, so `if` and
    `while` carry it like any value; popping from it is run-time indexing.  Pushing past
    `cap` records of one block sets the `TapeFull` error: the JIT compiles again with 8
    times the room (`Stager.tape_cap`).
    """
    __slots__ = ("st", "cap", "kinds", "counts", "bufs", "order", "n", "suffix")

    def __init__(self, st: Any, cap: int, kinds: tuple, counts: list, bufs: list,
                 order: Any, n: Any, suffix: tuple) -> None:
        self.st = st
        self.cap = cap
        self.kinds = kinds          # ((block id, record skeleton, leaf types), ...): a
        #                             leaf type is (Leaf, shape, value), value `_DYN` for a
        #                             leaf in the buffers, else the compile-time integer
        #                             every record of the block has there (a predecessor,
        #                             a range's bounds): kept static, not stored
        self.counts = counts        # per kind: records stored (Int64)
        self.bufs = bufs            # per kind: one (cap, shape...) array per record leaf
        self.order = order          # (cap * len(kinds),) Int64 block ids, or None
        self.n = n                  # records in the buffers
        self.suffix = suffix        # ((block id, record), ...) not in the buffers

    @classmethod
    def empty(cls, st: Any) -> "Tape":
        return cls(st, getattr(st, "tape_cap", TAPE_CAP), (), [], [], None, 0, ())

    # ------------------------------------------------------------ symbolic protocol
    def arr_flatten(self) -> tuple:
        # the records' predecessors, known at compile time, stay part of the type: a tape
        # stored inside a record of another (a callee's, in a loop) keeps its routing static
        preds = tuple(rec[1] if type(rec[1]) is int else None for _, rec in self.suffix)
        key = (self.st, self.cap, tuple((b, sk, _consts(ts)) for b, sk, ts in self.kinds),
               tuple(b for b, _ in self.suffix), self.order is not None, preds)
        children = [self.n] + ([self.order] if self.order is not None else []) + \
            list(self.counts) + [x for bufs in self.bufs for x in bufs] + \
            [rec if p is None else (rec[0], None) + tuple(rec[2:])
             for (_, rec), p in zip(self.suffix, preds)]
        return key, children

    @classmethod
    def arr_unflatten(cls, key: tuple, children: list) -> "Tape":
        st, cap, kinds, suffix_ids, has_order, preds = key
        it = iter(children)
        n = next(it)
        order = next(it) if has_order else None
        kinds = tuple((b, sk, _leaf_types(sk, cs)) for b, sk, cs in kinds)
        counts = [next(it) for _ in kinds]
        bufs = [[next(it) for t in k[2] if t[2] is _DYN] for k in kinds]
        suffix = []
        for b, p in zip(suffix_ids, preds):
            rec = next(it)
            suffix.append((b, rec if p is None else (rec[0], p) + tuple(rec[2:])))
        return cls(st, cap, kinds, counts, bufs, order, n, tuple(suffix))

    @staticmethod
    def key_equal(a: tuple, b: tuple) -> bool:
        return a[0] is b[0] and a[1] == b[1] and a[3] == b[3] and a[4] == b[4] and \
            a[5] == b[5] and \
            len(a[2]) == len(b[2]) and all(x[0] == y[0] and skel_equal(x[1], y[1]) and
                                           _same_consts(x[2], y[2])
                                           for x, y in zip(a[2], b[2]))

    def arr_conform(self, skel: Any) -> "Tape":
        """This tape spilled to the buffers of `skel` (the skeleton of a spilled tape)."""
        _, _, key, _ = skel
        kinds = tuple((b, sk, _leaf_types(sk, cs)) for b, sk, cs in key[2])
        if self.kinds and not self.suffix and self.holds(key[1], kinds):
            return self
        return self.spill(key[1], kinds)

    @staticmethod
    def joined(tapes: list, newest_wins: bool = False) -> tuple:
        """The capacity and the kinds of a tape that can hold the records of all these.
        `newest_wins`: a block whose records differ in type takes the last tape's (a
        loop's fixed point replacing the guess of an earlier round, whose values were
        less widened), instead of failing."""
        seen: dict[int, tuple] = {}         # block -> (record skeleton, consts)
        order: list = []
        for t in tapes:
            found = [(b, sk, _consts(ts)) for b, sk, ts in t.kinds]
            for b, rec in t.suffix:
                leaves: list = []
                sk = flatten(rec, leaves)
                found.append((b, sk, tuple(v if type(v) in (int, bool) else _DYN
                                           for v in leaves)))
            for b, sk, cs in found:
                if b not in seen:
                    seen[b] = (sk, cs)
                    order.append(b)
                elif not skel_equal(seen[b][0], sk):
                    if not newest_wins:
                        t.st.fail("a block whose tape records change type")
                    seen[b] = (sk, cs)
                else:
                    seen[b] = (sk, tuple(x if _same_consts((x,), (y,)) else _DYN
                                         for x, y in zip(seen[b][1], cs)))
        kinds = tuple((b, seen[b][0], _leaf_types(*seen[b])) for b in order)
        return max(t.cap for t in tapes), kinds

    def holds(self, cap: int, kinds: tuple) -> bool:
        """Whether this is a tape of buffers of exactly these kinds."""
        return not self.suffix and self.cap == cap and len(self.kinds) == len(kinds) and \
            all(a[0] == b[0] and skel_equal(a[1], b[1]) and
                _same_consts(_consts(a[2]), _consts(b[2])) for a, b in zip(self.kinds, kinds))

    def abstract(self, cap: int, kinds: tuple) -> "Tape":
        """A tape of buffers of these kinds whose values are placeholders (for the fixed
        point of a loop: only its type matters)."""
        st = self.st
        i64 = np.dtype(np.int64)

        def ph(dt: Any, shape: tuple, at: Any = None) -> Dyn:
            at = at if at is not None else (scalar_type(dt) if not shape else
                                            array_type(dt, len(shape)))
            return Dyn(st.em.fresh("p"), at, dt, shape)
        counts = [ph(i64, ()) for _ in kinds]
        bufs = [[ph(_leaf_dtype(leaf), (cap,) + shape) for leaf, shape, c in k[2] if c is _DYN]
                for k in kinds]
        return Tape(st, cap, kinds, counts, bufs, ph(i64, (cap * len(kinds),)), ph(i64, ()), ())

    # ------------------------------------------------------------ pushing and popping
    def push(self, rec: tuple) -> "Tape":
        bid = rec[0]
        if type(bid) is not int:
            self.st.fail("a tape record without its block")
        return Tape(self.st, self.cap, self.kinds, self.counts, self.bufs, self.order,
                    self.n, self.suffix + ((bid, rec),))

    def is_empty(self) -> Any:
        if self.suffix:
            return False
        if not self.kinds:
            return True
        return self.st.compare(self.st.dyn(self.n, np.int64), self.st.const(0, np.int64), "EQ")

    def top_block(self) -> Any:
        if self.suffix:
            return self.suffix[-1][0]
        if not self.kinds:
            self.st.fail("popping an empty tape")
        at = self.st.op("stablehlo.subtract", [self.st.dyn(self.n, np.int64),
                                               self.st.const(1, np.int64)],
                        scalar_type(np.int64), np.int64, ())
        return self._read(self.order, at, ())

    def _kind(self, bid: int) -> int | None:
        for k, (b, _, _) in enumerate(self.kinds):
            if b == bid:
                return k
        return None

    def top(self, bid: int) -> Any:
        if self.suffix:
            if self.suffix[-1][0] != bid:
                return DEAD
            return self.suffix[-1][1]
        k = self._kind(bid)
        if k is None:
            return DEAD                 # no record of this block: the branch is never taken
        st = self.st
        at = st.op("stablehlo.subtract", [st.dyn(self.counts[k], np.int64),
                                          st.const(1, np.int64)], scalar_type(np.int64),
                   np.int64, ())
        bufs = iter(self.bufs[k])
        leaves = [self._read(next(bufs), at, shape, leaf) if c is _DYN else c
                  for leaf, shape, c in self.kinds[k][2]]
        return unflatten(self.kinds[k][1], iter(leaves))

    def drop(self, bid: int) -> "Tape":
        if self.suffix:
            return Tape(self.st, self.cap, self.kinds, self.counts, self.bufs, self.order,
                        self.n, self.suffix[:-1])
        k = self._kind(bid)
        st = self.st
        one = st.const(1, np.int64)
        counts = list(self.counts)
        counts[k] = st.op("stablehlo.subtract", [st.dyn(counts[k], np.int64), one],
                          scalar_type(np.int64), np.int64, ())
        n = st.op("stablehlo.subtract", [st.dyn(self.n, np.int64), one],
                  scalar_type(np.int64), np.int64, ())
        return Tape(st, self.cap, self.kinds, counts, self.bufs, self.order, n, ())

    # ------------------------------------------------------------ buffers
    def spill(self, cap: int, kinds: tuple) -> "Tape":
        """The tape with every record in buffers of `kinds` (a superset of its own)."""
        st = self.st
        i64 = np.dtype(np.int64)
        own = {b: k for k, (b, _, _) in enumerate(self.kinds)}
        counts, bufs = [], []
        for b, sk, types in kinds:
            k = own.get(b)
            if k is not None:
                if not skel_equal(self.kinds[k][1], sk):
                    st.fail("a block whose tape records change type")
                counts.append(self.counts[k])
                own_bufs = iter(self.bufs[k])
                new = []
                for (leaf, shape, c), (_, _, oc) in zip(types, self.kinds[k][2]):
                    if oc is _DYN:
                        if c is not _DYN:
                            st.fail("a tape record whose compile-time values change")
                        new.append(next(own_bufs))
                    elif c is _DYN:     # every stored record has the value oc there
                        new.append(st.const(oc, _leaf_dtype(leaf), (cap,) + shape))
                    elif not _same_consts((c,), (oc,)):
                        st.fail("a tape record whose compile-time values change")
                bufs.append(new)
            else:
                counts.append(0)
                bufs.append([st.const(0, _leaf_dtype(leaf), (cap,) + shape)
                             for leaf, shape, c in types if c is _DYN])
        order = self.order if self.order is not None else \
            st.const(0, i64, (cap * len(kinds),))
        if self.order is not None and len(kinds) != len(self.kinds):
            # more kinds: a longer order buffer
            grown = st.const(0, i64, (cap * len(kinds),))
            order = _update(st, grown, self.order, st.const(0, i64))
        n = self.n
        index = {b: k for k, (b, _, _) in enumerate(kinds)}
        for bid, rec in self.suffix:
            k = index.get(bid)
            if k is None:
                st.fail("a tape record of a block that the joined tape does not have")
            leaves: list = []
            sk = flatten(rec, leaves)
            if not skel_equal(sk, kinds[k][1]):
                st.fail("a block whose tape records change type")
            if isinstance(counts[k], int) and counts[k] >= cap:
                st.fail("more records of one block than a tape holds")
            at = st.dyn(counts[k], i64)
            if not isinstance(counts[k], int):
                full = st.compare(at, st.const(cap, i64), "GE")
                st.check(full, lambda details: TapeFull("the tape is full"))
            stored = []
            for v, (lt, shape, c) in zip(leaves, kinds[k][2]):
                if c is _DYN:
                    stored.append((v, lt, shape))
                elif not _same_consts((v,), (c,)):
                    st.fail("a tape record whose compile-time values change")
            bufs[k] = [_update(st, buf, st.dyn(v, _leaf_dtype(lt), shape), at)
                       for buf, (v, lt, shape) in zip(bufs[k], stored)]
            order = _update(st, order, st.const(bid, i64), st.dyn(n, i64))
            counts[k] = st.op("stablehlo.add", [at, st.const(1, i64)], scalar_type(i64), i64, ())
            n = st.op("stablehlo.add", [st.dyn(n, i64), st.const(1, i64)], scalar_type(i64),
                      i64, ())
        return Tape(st, cap, kinds, counts, bufs, order, n, ())

    def _read(self, buf: Any, at: Any, shape: tuple, leaf: Any = None) -> Any:
        st = self.st
        dt = buf.dtype
        zeros = [st.const(0, np.int64) for _ in shape]
        idx = st.convert(at, np.int64) if at.dtype != np.int64 else at
        sl = st.em.op("stablehlo.dynamic_slice", [(buf.name, buf.htype), (idx.name, idx.htype)] +
                      [(z.name, z.htype) for z in zeros],
                      [hlo.tensor(dt, (1,) + shape)],
                      f"slice_sizes = {hlo.i64_array((1,) + shape)}")[0]
        at_type = leaf.arr_type if leaf is not None else scalar_type(dt)
        r = st.em.op("stablehlo.reshape", [(sl, hlo.tensor(dt, (1,) + shape))],
                     [hlo.tensor(dt, shape)])[0]
        return Dyn(r, at_type, dt, shape)


_DYN = object()         # a tape record's leaf stored in the buffers (see Tape.kinds)


def _leaf_types(skel: Any, consts: tuple | None = None) -> tuple:
    """Per leaf of a record skeleton: (Leaf, shape, value): `consts` gives the values
    kept static (`_DYN` for those in the buffers; all of them when not given)."""
    from .symbolic import _leaf_skels
    ls: list = []
    _leaf_skels(skel, ls)
    consts = consts if consts is not None else (_DYN,) * len(ls)
    return tuple((leaf, tuple(leaf.shape) if leaf.shape is not None else (), c)
                 for leaf, c in zip(ls, consts))


def _consts(types: tuple) -> tuple:
    return tuple(c for _, _, c in types)


def _same_consts(a: tuple, b: tuple) -> bool:
    """Whether two tuples of leaf values (`_DYN` or compile-time integers) agree."""
    return len(a) == len(b) and all(x is y or (x is not _DYN and y is not _DYN and
                                               type(x) is type(y) and x == y)
                                    for x, y in zip(a, b))


def _leaf_dtype(leaf: Any) -> np.dtype:
    from .prims.numeric import dtype_of
    from .symbolic import _array_eltype
    t = leaf.arr_type if leaf.shape is None else _array_eltype(leaf.arr_type)
    return np.dtype(dtype_of(t))


def _update(st: Any, buf: Any, v: Any, at: Any) -> Any:
    """buf with v written at position `at` of its first dimension."""
    shape = tuple(buf.shape[1:]) if v.shape == tuple(buf.shape[1:]) else tuple(v.shape[1:])
    if v.shape != (1,) + shape and v.shape == shape:
        v = st.op("stablehlo.reshape", [v], buf.arr_type, v.dtype, (1,) + shape)
    zeros = [st.const(0, np.int64) for _ in shape]
    r = st.em.op("stablehlo.dynamic_update_slice",
                 [(buf.name, buf.htype), (v.name, v.htype), (at.name, at.htype)] +
                 [(z.name, z.htype) for z in zeros], [buf.htype])[0]
    return Dyn(r, buf.arr_type, buf.dtype, buf.shape)


# ================================================================ forward mode, staged
def staged_forward(st: Any) -> "StagedForward":
    """The StagedForward of a stager (made on first use)."""
    fw = getattr(st, "_staged_fwd", None)
    if fw is None:
        from .ad import ad_of
        fw = st._staged_fwd = StagedForward(st, ad_of(st.interp).fwd)
    return fw


class StagedForward(StagedWork, Forward):
    """Forward mode (ad_forward.py) with its work staged by `st`: the tangent function
    runs like any IR, its builtins on symbolic values.  A map's tangent is a map too."""

    def __init__(self, st: Any, base: Forward) -> None:
        self.st = st
        super().__init__(st.interp, base.prims)
        self.staged_from = base
        self.cache = base.cache

    def mat(self, dx: Any, x: Any) -> Any:
        if isinstance(dx, Maybe):
            return self.st.select_values(dx.flag, zero_like(x, self.zero), self.mat(dx.value, x))
        if dx is None:
            return zero_like(x, self.zero)
        if type(x) is tuple and type(dx) is tuple:
            return tuple(self.mat(d, v) for d, v in zip(dx, x))
        return dx

    def own_builtin(self, f: Any, df: Any, xs: list, dxs: list, kw: dict) -> tuple | None:
        if isinstance(f, Builtin):
            self.st.fail("forward mode of forward mode (compiled: not yet)")
        return None

    def special_rule(self, name: str, xs: list, dxs: list, y: Any) -> tuple | None:
        st = self.st
        if name == "elementwise":
            return (y, self.map_tangent(xs[0], dxs[0], xs[1], dxs[1], y))
        if name == "reduce":
            op, x, init, dims = xs
            from .prims.mapreduce import _generic_name
            if _generic_name(op) != "+":
                st.fail(f"forward mode of a reduction with {_generic_name(op)} "
                        "(compiled: not yet)")
            dinit = dxs[2]
            t_init = None if init is None else (self.mat(dinit, init))
            return (y, st.prim("reduce", [op, self.mat(dxs[1], x), t_init, dims]))
        if name == "array_from_tuple":          # `[a, b, c]`: the array of the tangents
            vals = tuple(self.mat(d, v) for d, v in
                         zip(dxs[1] or (None,) * len(xs[1]), xs[1]))
            return (y, st.prim("array_from_tuple", [xs[0], vals, *xs[2:]]))
        if name in ("sort", "accumulate"):
            st.fail(f"forward mode of `{name}` (compiled: not yet)")
        return None

    def map_tangent(self, f: Any, df: Any, args: tuple, dargs: Any, y: Any) -> Any:
        """The tangent of `elementwise(f, args)`: a map that runs f's tangent function
        at each element."""
        st = self.st
        if not (isinstance(y, Dyn) and y.is_array):
            _, t = self.fcall(f, df, *[v for a, d in zip(args, dargs or (None,) * len(args))
                                       for v in (a, d)])
            return t
        dargs = dargs if dargs is not None else (None,) * len(args)
        with_t = [k for k, (a, d) in enumerate(zip(args, dargs)) if d is not None]
        tangents = tuple(self.mat(dargs[k], args[k]) for k in with_t)
        n = len(args)

        def element(*vals: Any) -> Any:
            xs, ts = vals[:n], dict(zip(with_t, vals[n:]))
            pairs: list = []
            for k, x in enumerate(xs):
                pairs += [x, ts.get(k)]
            _, t = self.fcall(f, df, *pairs)       # (a closure's tangent: its captures')
            dt = y.dtype
            if t is None:
                return st.const(0, dt)
            if isinstance(t, Maybe):
                return st.select(t.flag, st.const(0, dt), st.dyn(t.value, dt))
            return t
        return st.prim("elementwise", [Builtin("_ad_map_tangent", element, DIRECT),
                                       tuple(args) + tangents])
