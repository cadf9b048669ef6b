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
from .ad_values import adj_index, differentiable, materialize
from .interp import DIRECT, Builtin
from .prims import hlo_rules as H
from .symbolic import (DEAD, Back, Dyn, Maybe, NotCompilable, Unstable, array_type, flatten,
                       has_dyn)

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
    leaves: list = []
    flatten(a, leaves)
    return all(type(x) in (int, bool) for x in leaves) and not has_dyn(a)


def _interleaved(maker: Any, pattern: tuple, *rest: Any) -> Any:
    """`maker(args...)` with the static arguments (first in `rest`) put back in place."""
    n = sum(pattern)
    static, data = iter(rest[:n]), iter(rest[n:])
    return maker(*(next(static) if p else next(data) for p in pattern))


class StagedAD(AD):
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

    def add(self, a: Any, b: Any) -> Any:
        return self.st.call(self.interp.globals["+"], [a, b])

    def zero(self, x: Any) -> Any:
        if isinstance(x, Dyn):
            z = self.st.const(0, x.dtype, x.shape)
            return Dyn(z.name, x.arr_type, x.dtype, x.shape)
        return None

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

    def arr(self, name: str, *args: Any, **kw: Any) -> Any:
        """A call of the stdlib function `name`, staged."""
        return self.st.call(self.interp.globals[name], list(args), kw or None)

    # ------------------------------------------------------------ intrinsics' rules
    def structural_rule(self, name: str) -> Any:
        if name in _CONTAINER:
            return _STRUCTURAL[name]
        if name == "broadcast_to":
            return self.unbroadcast_back
        if name in _STRUCTURAL:
            self.st.fail(f"differentiating `{name}` (compiled: not yet)")
        return None

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
        if name not in ("+", "max", "min") or not (isinstance(x, Dyn) and x.is_array):
            self.st.fail(f"differentiating a reduction with {name} (compiled: not yet)")
        y = self.st.prim("reduce", [op, x, init, dims])
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
                if not (isinstance(a, Dyn) and a.is_array):
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

