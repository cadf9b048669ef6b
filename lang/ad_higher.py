"""Second derivatives: forward mode through the code that reverse mode runs.

Every second-order derivative in Arr is a forward-over-reverse product:

* `hessian(f, x)` is the Jacobian, by forward mode, of `z -> gradient(f, z)[1]`: one
  Hessian-vector product per column;
* the gradient of a gradient uses the symmetry of second derivatives: for a real-valued
  F(c, x) (c: what the function f closes over), the pullback of `x -> gradient(f, x)`
  applied to e is `H (0, e)`, the tangent of F's whole gradient `(dc, dx)` in the
  direction (0, e).  So `rrule(gradient, f, args...)` (stdlib/ad.arr) calls `_ad_hvp`, one
  forward pass over the reverse pass, with no second tape; the gradient of a
  `derivative` is the same product with the direction `e`.

So forward mode (ad_forward.py) must go through F+ and F- (ad.py) and through the
builtins they call: this module gives it their rules (`ReverseTangents.rule`, reached
from `Forward.own_builtin`).

* The tangent of a pullback made by `AD.back_builtin(maker, args...)` is the tuple of
  its arguments' tangents, as a closure's is that of its captures (`nothing` for a zero
  one).  A pullback written in Arr (an `rrule`'s closure) is a closure.
* `_ad_call(f, args...)` runs F+ of the callee in forward mode: its tangent is
  `(dy, dback)`, where dback holds the tangent of the tape.
* Applying a pullback of transformed IR runs F- in forward mode on the tape and its
  tangent.  The pullbacks of the structural intrinsics are linear in the adjoint and do
  not change with the primal values near them (an index, a shape, a permutation), so
  their tangent is the pullback applied to the adjoint's tangent.
* The adjoint builtins (`_ad_accum`, `_ad_index`, ...) and the tape's cons list are
  linear: the tangent of the result is the builtin applied to the tangents.

This runs in the interpreter.  Compiled code refuses it (StagedForward.own_builtin), so
the JIT runs such a call interpreted.
"""
from __future__ import annotations

from typing import Any

from .ad import (AD, _concat_arrays_back, _concat_back, _cumsum_back, _extremum_back,
                 _from_tuple_back, _nt_new_back, _nt_values_back, _slice_back, _slot_back,
                 _sort_back, _struct_back, _struct_new_back, _sum_back, _to_tuple_back,
                 _unbroadcast_back, call_adjoints, element_args, elementwise_adjoints,
                 object_adjoints, regroup_adjoints)
from .ad_values import adj_index, differentiable, field_adjoint, materialize
from .source import NO_SPAN, error_class
from .values import NamedTupleValue, StructValue

# pullbacks linear in the adjoint whose primal arguments are indices, shapes or
# orderings: the tangent of `back(d)` is `back(dd)`
_LINEAR_MAKERS = frozenset({
    _struct_back, _slot_back, _concat_back, _slice_back, _struct_new_back, _nt_new_back,
    _nt_values_back, _unbroadcast_back, _from_tuple_back, _to_tuple_back,
    _concat_arrays_back, _sort_back, _cumsum_back, _extremum_back, _sum_back})


def _error(message: str) -> Exception:
    return error_class("ErrorException")(message, NO_SPAN)


def _part(t: Any, k: int) -> Any:
    """The k-th (0-based) part of a tuple tangent, `nothing` for a zero one."""
    return None if t is None else t[k]


def _pairs(xs: list, dxs: list) -> list:
    out: list = []
    for x, d in zip(xs, dxs):
        out += [x, d]
    return out


class ReverseTangents:
    """Forward-mode rules for the builtins and pullbacks of reverse mode."""

    def __init__(self, fwd: Any, ad: AD) -> None:
        self.fwd = fwd
        self.ad = ad
        self.interp = ad.interp
        self.linear = {
            ad.b_accum: lambda xs, dxs: ad.accum(dxs[0], dxs[1]),
            ad.b_index: lambda xs, dxs: adj_index(dxs[0], xs[1]),
            ad.b_field: lambda xs, dxs: field_adjoint(xs[0], xs[1], dxs[2]),
            ad.b_capture: lambda xs, dxs: ad.capture_adjoint(dxs[0], xs[1], dxs[2]),
            # the tape is a cons list (record, rest); so is its tangent
            ad.b_push: lambda xs, dxs: None if dxs[0] is None and dxs[1] is None
            else (dxs[1], dxs[0]),
            ad.b_top: lambda xs, dxs: _part(dxs[0], 0),
            ad.b_drop: lambda xs, dxs: _part(dxs[0], 1),
            ad.b_empty: lambda xs, dxs: None,
            ad.b_top_block: lambda xs, dxs: None,
            ad.zero_back: lambda xs, dxs: None,
        }
        self.makers = {AD._ir_back: self._apply_ir, AD._object_back: self._apply_object,
                       AD._regroup_back: self._apply_regroup, AD._api_back: self._apply_api,
                       AD._elementwise_back: self._apply_elementwise,
                       AD._fold_back: self._apply_fold}

    def rule(self, f: Any, df: Any, xs: list, dxs: list, kw: dict) -> tuple | None:
        """`(value, tangent)` of a call of one of reverse mode's builtins, else None."""
        ad = self.ad
        lin = self.linear.get(f) if hasattr(f, "fn") else None
        if lin is not None:
            return (f.fn(*xs), lin(xs, dxs))
        if f is ad.b_call:
            return self.call(xs[0], dxs[0], xs[1:], dxs[1:], kw)
        if f is ad.b_apply:
            return self.apply(xs[0], dxs[0], xs[1], dxs[1])
        if f is self.interp.globals.get("_ad_pullback"):
            (y, back), t = self.call(xs[0], dxs[0], xs[1:], dxs[1:], kw)
            api = ad.back_builtin("pullback_back", ad._api_back, back, tuple(xs[1:]))
            return ((y, api), None if t is None else (t[0], (t[1], None)))
        if getattr(f, "made", None) is not None:        # a pullback called directly
            return self.apply(f, df, xs[0], dxs[0])
        kind, key = ad.made_by.get(id(f), (None, None))
        if kind == "prim":
            return self.prim(key[0], key[1:], f, xs, dxs)
        if kind == "splat":
            return self.splat(key, xs, dxs, kw)
        return None

    # ------------------------------------------------------------ making pullbacks
    def call(self, f: Any, df: Any, xs: list, dxs: list, kw: dict | None) -> tuple:
        """`_ad_call(f, xs...)` in forward mode: `((y, back), (dy, dback))` (AD.call)."""
        ad = self.ad
        xs, dxs = list(xs), list(dxs)
        if (df is None and all(d is None for d in dxs)) or (
                not differentiable(f) and not any(differentiable(a) for a in xs)):
            return (ad.call(f, *xs, **(kw or {})), None)
        if ad.rrule_method(f, xs, kw) is not None:
            out, t = self.fwd.fcall(self.interp.globals["rrule"], None, f, df, *_pairs(xs, dxs))
            if out is not None:
                return (out, t)
        plan = ad.plan(f, xs, kw)
        if plan[0] == "struct":
            _, n, make = plan
            y = make()
            dy = None
            if type(y) is StructValue:
                names = tuple(y.type.typename.fieldnames)
                dy = NamedTupleValue(names, tuple(dxs[:len(names)]))
            return ((y, ad._struct_back(n)), (dy, None))
        _, (ir, pack, env, closure, layout), call_args, is_object = plan
        call_dargs = [df, *dxs] if len(call_args) == len(xs) + 1 else dxs
        tr = ad.transform(ir)
        args = pack(call_args, True)
        (y, tape), t = self.fwd.run(tr.fwd, df if closure is not None else None, args,
                                    pack(call_dargs, False), env, closure)
        dy, dtape = (None, None) if t is None else t
        back = ad.ir_pullback(tr, tape, env, closure, len(call_args), layout, closure,
                              len(args))
        dback = (None, dtape, None, df if closure is not None else None) + (None,) * 4
        if is_object:
            back = ad.back_builtin("_ad_object_back", ad._object_back, back)
            dback = (dback,)
        return ((y, back), (dy, dback))

    def splat(self, flags: tuple, xs: list, dxs: list, kw: dict | None) -> tuple:
        """`_ad_call` of a call with splatted arguments (AD.splat_builtin)."""
        f, df = xs[0], dxs[0]
        flat: list = []
        dflat: list = []
        sizes: list = []
        for a, d, fl in zip(xs[1:], dxs[1:], flags):
            if fl:
                items = list(a.values) if type(a) is NamedTupleValue else list(a)
                ds = [None] * len(items) if d is None else \
                    list(d.values if type(d) is NamedTupleValue else d)
                flat += items
                dflat += ds
                sizes.append(len(items))
            else:
                flat.append(a)
                dflat.append(d)
                sizes.append(None)
        (y, back), t = self.call(f, df, flat, dflat, kw)
        regroup = self.ad.back_builtin("_ad_splat_back", self.ad._regroup_back, back,
                                       tuple(sizes))
        return ((y, regroup), None if t is None else (t[0], (t[1], None)))

    def prim(self, name: str, extra: tuple, f: Any, xs: list, dxs: list) -> tuple:
        """`_ad_prim_<name>(xs...)` in forward mode (AD.prim_builtin)."""
        ad = self.ad
        if not any(differentiable(a) for a in xs) or all(d is None for d in dxs):
            return (f.fn(*xs), None)
        if name == "elementwise":
            return self.elementwise(xs[0], dxs[0], xs[1], dxs[1])
        tangent = self.fwd.prim_builtin(name, extra).fn
        if name == "reduce" or ad.structural_rule(name) is not None:
            y, back = f.fn(*xs)
            made = getattr(back, "made", None)
            maker = getattr(made[0], "__func__", made[0]) if made else None
            if maker is AD._fold_back:
                return self.fold(y, *xs, *dxs)
            if maker not in _LINEAR_MAKERS:
                raise _error(f"cannot differentiate `{name}` twice (yet)")
            return ((y, back), (tangent(*_pairs(xs, dxs))[1], None))
        p = ad.prims.get(name)
        rule = self.interp.globals.get(f"_rrule_{p.derivative}") if p is not None else None
        if rule is None:
            raise _error(f"cannot differentiate the intrinsic {name} twice (yet)")
        return self.fwd.fcall(rule, None, *_pairs(xs, dxs))

    def elementwise(self, f: Any, df: Any, args: tuple, dargs: Any) -> tuple:
        """`elementwise(f, args)` in forward mode: each element's call as `call` above."""
        from .prims.mapreduce import elementwise as run
        import numpy as np
        ad = self.ad
        y = run(self.interp, f, args)
        dargs = dargs if dargs is not None else (None,) * len(args)
        if not isinstance(y, np.ndarray) or y.ndim == 0 and not any(
                isinstance(a, np.ndarray) for a in args):
            return self.call(f, df, list(args), list(dargs), None)
        backs, dbacks = [], []
        dy = np.zeros(y.shape, dtype=y.dtype if y.dtype.kind in "fc" else np.float64)
        for k in range(y.size):
            (_, b), t = self.call(f, df, element_args(args, k),
                                  [element_tangent(d, a, k) for d, a in zip(dargs, args)],
                                  None)
            backs.append(b)
            dbacks.append(_part(t, 1))
            if t is not None and t[0] is not None:
                dy.reshape(-1)[k] = t[0]
        back = ad.back_builtin("_ad_elementwise_back", ad._elementwise_back, args, y.shape,
                               tuple(backs))
        return ((y, back), (dy, (None, None, tuple(dbacks))))

    def fold(self, y: Any, op: Any, x: Any, init: Any, dims: Any, dop: Any, dx: Any,
             dinit: Any, ddims: Any) -> tuple:
        """`reduce(op, x, init)` with an operator other than `+` (AD.reduce's fold), in
        forward mode: each step as `call` above."""
        import numpy as np
        flat = [_py_el(v) for v in x.reshape(-1)]
        dflat = [None] * len(flat) if dx is None else [_py_el(v) for v in np.asarray(dx).reshape(-1)]
        acc, tacc = init, dinit
        steps, dsteps = [], []
        for k, (v, dv) in enumerate(zip(flat, dflat)):
            if acc is None and k == 0 and init is None:
                acc, tacc = v, dv
                steps.append(None)
                dsteps.append(None)
                continue
            (acc, b), t = self.call(op, dop, [acc, v], [tacc, dv], None)
            tacc = _part(t, 0)
            steps.append(b)
            dsteps.append(_part(t, 1))
        back = self.ad.back_builtin("_ad_fold_back", self.ad._fold_back, x, tuple(steps))
        return ((acc if flat else y, back), (tacc, (None, tuple(dsteps))))

    # ------------------------------------------------------------ applying pullbacks
    def apply(self, back: Any, dback: Any, d: Any, dd: Any) -> tuple:
        """`back(d)` in forward mode: `(adjoints, their tangent)`."""
        if d is None or back is self.ad.zero_back:
            return (None, None)
        made = getattr(back, "made", None)
        if made is None:
            if hasattr(back, "fn"):
                raise _error(f"cannot differentiate the pullback {back.name} (yet)")
            return self.fwd.fcall(back, dback, d, dd)       # an rrule's closure
        maker, args = made
        maker = getattr(maker, "__func__", maker)
        if maker in _LINEAR_MAKERS:
            return (back.fn(d), None if dd is None else back.fn(dd))
        rule = self.makers.get(maker)
        if rule is None:
            raise _error(f"cannot differentiate the pullback {back.name} (yet)")
        return rule(args, dback, d, dd)

    def _apply_ir(self, args: tuple, dback: Any, d: Any, dd: Any) -> tuple:
        tr, tape, env, closure, n_call_args, layout, f, nargs = args
        g, t = self.fwd.run(tr.bwd, _part(dback, 3), [tape, d], [_part(dback, 1), dd],
                            env, closure)
        return (call_adjoints(g, n_call_args, layout, f, nargs),
                None if t is None else call_adjoints(t, n_call_args, layout, f, nargs))

    def _apply_object(self, args: tuple, dback: Any, d: Any, dd: Any) -> tuple:
        g, t = self.apply(args[0], _part(dback, 0), d, dd)
        return (object_adjoints(g, self.ad.accum), object_adjoints(t, self.ad.accum))

    def _apply_regroup(self, args: tuple, dback: Any, d: Any, dd: Any) -> tuple:
        g, t = self.apply(args[0], _part(dback, 0), d, dd)
        return (regroup_adjoints(g, args[1]), regroup_adjoints(t, args[1]))

    def _apply_api(self, args: tuple, dback: Any, d: Any, dd: Any) -> tuple:
        inner, xs = args
        g, t = self.apply(inner, _part(dback, 0), d, dd)
        return (tuple(materialize(adj_index(g, k + 2), a) for k, a in enumerate(xs)),
                tuple(materialize(adj_index(t, k + 2), a) for k, a in enumerate(xs)))

    def _apply_elementwise(self, args: tuple, dback: Any, d: Any, dd: Any) -> tuple:
        import numpy as np
        xs, shape, backs = args
        dbacks = _part(dback, 2) or (None,) * len(backs)
        dflat = np.asarray(d).reshape(-1)
        ddflat = None if dd is None else np.asarray(dd).reshape(-1)
        gs, ts = [], []
        for k, b in enumerate(backs):
            g, t = self.apply(b, dbacks[k], _py_el(dflat[k]),
                              None if ddflat is None else _py_el(ddflat[k]))
            gs.append(g)
            ts.append(t)
        return (elementwise_adjoints(gs, xs, shape), elementwise_adjoints(ts, xs, shape))

    def _apply_fold(self, args: tuple, dback: Any, d: Any, dd: Any) -> tuple:
        import numpy as np
        x, steps = args
        dsteps = _part(dback, 1) or (None,) * len(steps)
        dt = x.dtype if x.dtype.kind in "fc" else np.float64
        gx, tx = np.zeros(x.shape, dtype=dt), np.zeros(x.shape, dtype=dt)
        gf, tf = gx.reshape(-1), tx.reshape(-1)
        dacc, tacc = d, dd
        for k in range(len(steps) - 1, -1, -1):
            if steps[k] is None:
                gf[k] += 0.0 if dacc is None else dacc
                tf[k] += 0.0 if tacc is None else tacc
                dacc = tacc = None
                break
            g, t = self.apply(steps[k], dsteps[k], dacc, tacc)
            if adj_index(g, 3) is not None:
                gf[k] += adj_index(g, 3)
            if adj_index(t, 3) is not None:
                tf[k] += adj_index(t, 3)
            dacc, tacc = adj_index(g, 2), adj_index(t, 2)
        return ((None, None, gx, dacc, None), (None, None, tx, tacc, None))

    # ------------------------------------------------------------ the products
    def hvp(self, f: Any, args: tuple, direction: tuple) -> tuple:
        """`_ad_hvp(f, args, v)`: the tangent, in the direction v (one per argument;
        `nothing` is zero), of f's whole gradient `(dself, dargs...)` at args; f returns
        a real number.  For a closure, dself holds its captures' part."""
        v = list(direction) + [None] * (len(args) - len(direction))
        (y, back), t = self.call(f, None, list(args), v, None)
        if not isinstance(y, (float, int)) and not hasattr(y, "dtype"):
            raise error_class("ArgumentError")(
                "the gradient of a gradient needs a function returning a real number", NO_SPAN)
        _, dg = self.apply(back, _part(t, 1), type(y)(1), None)
        return dg


def element_tangent(d: Any, a: Any, k: int) -> Any:
    """The tangent of `element_args(args, k)`'s entry for the argument a (tangent d)."""
    import numpy as np
    if isinstance(a, np.ndarray):
        return None if d is None else _py_el(np.asarray(d).reshape(-1)[k])
    return d


def _py_el(v: Any) -> Any:
    from .ad_values import _py
    return _py(v)
