"""Forward-mode differentiation as a transformation of the IR (section 8: `derivative`).

For an IR function F with n arguments, `transform` builds F' whose arguments are
`(dself, x1..xn, dx1..dxn)` and which returns `(y, dy)`: every register r gets a tangent
register next to it, every block parameter a tangent parameter, and every branch passes
the tangents of its arguments along.  A differentiable `call` becomes a call of
`_ad_fcall(f, df, x1, dx1, ...)`, which uses a user `frule((df, dx...), f, x...)` method
when there is one, the intrinsic's rule (`_frule_<name>` in stdlib/ad.arr, or a linear
intrinsic applied to the tangents), or else F' of the callee, recursively.  Tangents
are `nothing` where they are zero; no tape is needed, so loops of any trip count cost
nothing extra.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from . import dispatch, types as T
from .ad_values import (InterpreterWork, _py, code_plan, differentiable, differentiable_prim,
                        zero_like)
from .ir import Block, Inst, IRFunction, Terminator
from .source import NO_SPAN, error_class
from .values import NamedTupleValue, StructValue

# intrinsics that are linear in their differentiable arguments: the tangent of the result
# is the intrinsic applied to the tangents (the other arguments kept)
_LINEAR = {"tuple_getindex": (0,), "getfield": (0,), "iter_item": (0,), "tuple_concat": (0, 1),
           "tuple_slice": (0,), "namedtuple_values": (0,), "getindex": (0,),
           "broadcast_to": (0,), "reshape": (0,), "permutedims": (0,), "copy": (0,),
           "array_to_tuple": (0,), "fill": (0,), "setindex": (0, 1), "convert": (1,),
           "select": (1, 2), "concatenate": (0,), "reverse": (0,)}
# intrinsics whose tangents are built here by hand (`prim_builtin`)
SPECIAL = ("struct_new", "namedtuple_new", "array_from_tuple", "sort", "accumulate",
           "elementwise", "reduce")
_PASS = ("checkdef", "typeassert", "boolcheck")
_CONST = ("const", "sparam", "getglobal", "self")
_REFUSE = ("setglobal", "box_new", "box_get", "box_set", "try_enter", "try_leave",
           "defmethod", "defstruct", "defabstract", "macro")


def _error(message: str, span: Any = None) -> Exception:
    return error_class("ErrorException")(message, span)


def tangent_field(dx: Any, name: Any) -> Any:
    """The tangent of `x.name` from the tangent of x (a tuple or NamedTuple, or nothing)."""
    if dx is None:
        return None
    if type(dx) is NamedTupleValue:
        if isinstance(name, (int, np.integer)) and not isinstance(name, bool):
            return dx.values[name - 1]
        key = getattr(name, "name", name)
        return dx.values[dx.names.index(key)] if key in dx.names else None
    if type(dx) is tuple:
        return dx[name - 1]
    return None


def _materialize(dx: Any, x: Any) -> Any:
    """A tangent with its `nothing`s made zeros of x's shape (for intrinsics on tangents)."""
    if dx is None:
        return zero_like(x)
    if type(x) is tuple and type(dx) is tuple:
        return tuple(_materialize(d, v) for d, v in zip(dx, x))
    return dx


def _staged_forward(st: Any) -> Any:
    from .ad_staging import staged_forward
    return staged_forward(st)


def _staged_method(name: str) -> Any:
    return lambda st: getattr(_staged_forward(st), name)


class Forward(InterpreterWork):
    def __init__(self, interp: Any, prims: dict) -> None:
        from .interp import DIRECT, Builtin
        self.interp = interp
        self.prims = prims
        self.cache: dict[int, tuple[IRFunction, IRFunction]] = {}
        self.staged_from: Forward | None = None     # a StagedForward: the interpreter's
        self.b_fcall = Builtin("_ad_fcall", self.fcall, _staged_method("fcall"))
        self.b_field = Builtin("_ad_tfield", tangent_field, DIRECT)
        self.b_index = Builtin("_ad_tindex", lambda d, k: None if d is None else
                               (d.values if type(d) is NamedTupleValue else d)[k - 1], DIRECT)
        self.b_prims: dict[tuple, Any] = {}

    # ------------------------------------------------------------ how the work is done
    # (InterpreterWork's calls; StagedForward, in ad_staging.py, emits StableHLO)
    def mat(self, dx: Any, x: Any) -> Any:
        return _materialize(dx, x)

    # ------------------------------------------------------------ run time
    def fcall(self, f: Any, df: Any, *pairs: Any, **kw: Any) -> tuple:
        """`(f(x...), tangent)` from the arguments and their tangents, interleaved."""
        xs = list(pairs[0::2])
        dxs = list(pairs[1::2])
        interp = self.interp
        if df is None and all(d is None for d in dxs):
            return (self.invoke(f, xs, kw), None)
        own = self.own_builtin(f, df, xs, dxs, kw)
        if own is not None:
            return own
        rule = self.custom_rule(f, df, xs, dxs, kw)
        if rule is not None:
            return rule
        return self.transformed_call(f, df, xs, dxs, kw)

    # ------------------------------------------------------------ higher order
    def own_builtin(self, f: Any, df: Any, xs: list, dxs: list, kw: dict) -> tuple | None:
        """The tangent of a call of one of the builtins of differentiation.  Of this
        module's, as found in a tangent function that is itself differentiated
        (`derivative` of `derivative`): a tangent call's tangent runs the tangent function
        of the tangent function.  Of reverse mode's: ad_higher.py."""
        if getattr(f, "name", None) in ("_ad_fcall", "_ad_fcall_splat"):
            if getattr(f, "name", None) == "_ad_fcall_splat":
                raise _error("cannot differentiate twice through a call with splatted arguments")
            return self.nested_call(xs, dxs, kw)
        if f is self.b_index or f is self.b_field:
            y = f.fn(*xs)
            return (y, None if dxs[0] is None else f.fn(dxs[0], *xs[1:]))
        name = getattr(f, "name", "")
        if isinstance(name, str) and name.startswith("_ad_fprim_") and f in self.b_prims.values():
            prim = next(k for k, b in self.b_prims.items() if b is f)
            y = f.fn(*xs)
            if prim[0] in _LINEAR:          # (L(x), L(dx)): its tangent is (L(tx), L(tdx))
                mat = [_materialize(d, x) if differentiable(x) else x for x, d in zip(xs, dxs)]
                return (y, f.fn(*mat))
            p = self.prims.get(prim[0])
            rule = self.interp.globals.get(f"_frule_{p.derivative}") if p is not None else None
            if rule is None:
                raise _error(f"cannot differentiate the intrinsic {prim[0]} twice (yet)")
            pairs: list = []
            for x, d in zip(xs, dxs):
                pairs += [x, d]
            return self.fcall(rule, None, *pairs)
        from .interp import Builtin
        if isinstance(f, Builtin) and f.name.startswith(("_ad_", "pullback_back")):
            return self.reverse_rules().rule(f, df, xs, dxs, kw)
        return None

    def reverse_rules(self) -> Any:
        """Forward mode's rules for reverse mode's builtins (made on first use)."""
        rules = getattr(self, "_reverse_rules", None)
        if rules is None:
            from .ad import ad_of
            from .ad_higher import ReverseTangents
            rules = self._reverse_rules = ReverseTangents(self, ad_of(self.interp))
        return rules

    def nested_call(self, xs: list, dxs: list, kw: dict) -> tuple:
        g, dg, inner = xs[0], xs[1], xs[2:]
        tg, tdg, tinner = dxs[0], dxs[1], dxs[2:]
        plan = self.plan(g, list(inner[0::2]), kw)
        if plan is None:
            raise _error("cannot differentiate twice through this call")
        ir, pack, env, closure = plan
        level1 = [dg, *pack(list(inner[0::2]), True), *pack(list(inner[1::2]), False)]
        tangents = [tdg, *pack(list(tinner[0::2]), False), *pack(list(tinner[1::2]), False)]
        f2 = self.transform(self.transform(ir))
        return self.interp.run(f2, [tg, *level1, *tangents], env, closure)

    def plan(self, f: Any, xs: list, kw: dict | None) -> tuple | None:
        """(IR, how to pack argument lists for it, env, closure) of a call of Arr code."""
        plan = code_plan(self.interp, f, xs, kw)
        return None if plan is None else plan[:4]

    def splat_builtin(self, flags: tuple) -> Any:
        """`_ad_fcall` for a call with splatted arguments (`flags` says which): a spread
        argument's elements go with the elements of its tangent."""
        from .interp import Builtin

        def call(f: Any, df: Any, *pairs: Any, **kw: Any) -> tuple:
            flat: list = []
            for (x, d), fl in zip(zip(pairs[0::2], pairs[1::2]), flags[:len(pairs) // 2]):
                if fl:
                    items = list(x.values) if type(x) is NamedTupleValue else list(x)
                    ds = list(d.values) if type(d) is NamedTupleValue else \
                        (list(d) if d is not None else [None] * len(items))
                    for v, dv in zip(items, ds):
                        flat += [v, dv]
                else:
                    flat += [x, d]
            return self.fcall(f, df, *flat, **kw)
        b = Builtin("_ad_fcall_splat", call)
        if self.staged_from is None:
            b.stage = lambda st: _staged_forward(st).splat_builtin(flags).fn
        return b

    def custom_rule(self, f: Any, df: Any, xs: list, dxs: list, kw: dict) -> tuple | None:
        fr = self.interp.globals.get("frule")
        if fr is None or kw:
            return None
        tangents = (df, *dxs)
        try:
            m, env = dispatch.lookup(fr, (T.typeof(tangents), T.typeof(f)) +
                                     tuple(map(T.typeof, xs)), NO_SPAN)
        except Exception:       # noqa: BLE001 -- no applicable rule
            return None
        return self.invoke_method(m, env, [tangents, f, *xs], None)

    def transformed_call(self, f: Any, df: Any, xs: list, dxs: list, kw: dict | None) -> tuple:
        from .interp import BuiltinImpl, MethodImpl, _is_type_value
        from .typeeval import NewMarker
        interp = self.interp
        plan = self.plan(f, xs, kw)
        if plan is not None:            # a closure or a method of Arr code
            ir, pack, env, closure = plan
            return self.run(ir, df if closure is not None else None, pack(xs, True),
                            pack(dxs, False), env, closure)
        if isinstance(f, (NewMarker, dispatch.GenericFunction)):
            return self._construct(f, xs, dxs, kw)      # a default constructor
        if _is_type_value(f) and T.ctor_key(f) in interp.ctor_tables:
            table = interp.ctor_tables[T.ctor_key(f)]
            m, env = dispatch.lookup(table, (T.type_of_type(f),) + tuple(map(T.typeof, xs)),
                                     NO_SPAN)
            impl = m.impl
            if isinstance(impl, BuiltinImpl):
                return self._construct(f, xs, dxs, kw)
            if not isinstance(impl, MethodImpl):
                raise _error(f"cannot differentiate {m.name}")
            call_xs, call_dxs = [f, *xs], [None, *dxs]
            if impl.drop_first:
                call_xs, call_dxs = call_xs[1:], call_dxs[1:]
            if impl.vararg:
                n = impl.nparams - 1
                call_xs = call_xs[:n] + [tuple(call_xs[n:])]
                call_dxs = call_dxs[:n] + [tuple(call_dxs[n:])]
            if impl.has_kw:
                call_xs = call_xs + [interp.make_kw(kw, impl.kwnames, impl.kw_vararg, m.name,
                                                   NO_SPAN)]
                call_dxs = call_dxs + [None]
            return self.run(impl.ir, None, call_xs, call_dxs, env, None)
        raise _error(f"cannot differentiate a call of {T.show_type(T.typeof(f))}")

    def _construct(self, f: Any, xs: list, dxs: list, kw: dict | None) -> tuple:
        y = self.invoke(f, xs, kw)
        if type(y) is StructValue:
            names = tuple(y.type.typename.fieldnames)
            return (y, NamedTupleValue(names, tuple(dxs[:len(names)])))
        return (y, None)

    def run(self, ir: IRFunction, dself: Any, xs: list, dxs: list, env: dict | None,
            closure: Any) -> tuple:
        ft = self.transform(ir)
        dxs = list(dxs) + [None] * (len(xs) - len(dxs))
        return self.run_ir(ft, [dself, *xs, *dxs], env, closure)

    def prim_builtin(self, name: str, extra: tuple) -> Any:
        key = (name,) + extra
        b = self.b_prims.get(key)
        if b is not None:
            return b
        from .interp import Builtin
        interp = self.interp
        p = self.prims.get(name)
        run = self.run_prim(name, extra)

        def call(*pairs: Any) -> tuple:
            xs = list(pairs[0::2])
            dxs = list(pairs[1::2])
            y = run(*xs)
            if all(d is None for d in dxs):
                return (y, None)
            if name in _LINEAR:
                lin = list(xs)
                for k in _LINEAR[name]:
                    lin[k] = self.mat(dxs[k], xs[k])
                return (y, run(*lin))
            special = self.special_rule(name, xs, dxs, y)
            if special is not None:
                return special
            if name in ("struct_new", "namedtuple_new"):
                names = tuple(y.type.typename.fieldnames) if type(y) is StructValue else y.names
                vals = dxs[1] if dxs[1] is not None else (None,) * len(names)
                return (y, NamedTupleValue(names, tuple(vals)))
            if name == "array_from_tuple":
                vals = tuple(self.mat(d, v) for d, v in zip(dxs[1] or (None,) * len(xs[1]), xs[1]))
                return (y, np.asarray([float(v) for v in vals], dtype=y.dtype).reshape(y.shape))
            if name == "sort":
                from .ad import sort_permutation
                perm = sort_permutation(xs[0], xs[1], xs[2])
                return (y, np.take_along_axis(np.asarray(self.mat(dxs[0], xs[0])), perm,
                                              axis=xs[1] - 1))
            if name == "accumulate":
                from .prims.mapreduce import _generic_name
                if _generic_name(xs[0]) != "+":
                    raise _error("no forward-mode rule yet for accumulate with "
                                 f"{_generic_name(xs[0])}")
                return (y, run(xs[0], self.mat(dxs[1], xs[1]), xs[2]))
            if name == "elementwise":
                return (y, self.elementwise(xs[0], dxs[0], xs[1], dxs[1], y))
            if name == "reduce":
                return (y, self.reduce(*xs, dxs[1], dxs[2]))
            rule = interp.globals.get(f"_frule_{p.derivative}") if p is not None else None
            if rule is None:
                raise _error(f"no forward-mode rule for the intrinsic {name} yet")
            args: list = []
            for x, d in zip(xs, dxs):
                # an integer's tangent is `false`, Julia's strong zero (false * Inf == 0)
                args += [x, self.mat(d, x) if differentiable(x) else
                         (False if isinstance(x, (int, np.integer)) or
                          getattr(x, "dtype", None) is not None and x.dtype.kind in "iu"
                          else None)]
            return self.invoke(rule, args)
        b = self.b_prims[key] = Builtin(f"_ad_fprim_{name}", call)
        if self.staged_from is None:
            b.stage = lambda st: _staged_forward(st).prim_builtin(name, extra).fn
        return b

    def special_rule(self, name: str, xs: list, dxs: list, y: Any) -> tuple | None:
        """A rule that StagedForward replaces (those written with numpy here)."""
        return None

    def elementwise(self, f: Any, df: Any, args: tuple, dargs: Any, y: np.ndarray) -> Any:
        dargs = dargs if dargs is not None else (None,) * len(args)
        cols = [np.asarray(a).reshape(-1) if isinstance(a, np.ndarray) else None for a in args]
        dcols = [np.asarray(_materialize(d, a)).reshape(-1) if isinstance(a, np.ndarray) and d is not None
                 else None for a, d in zip(args, dargs)]
        out = np.zeros(y.size, dtype=y.dtype if y.dtype.kind in "fc" else np.float64)
        for k in range(y.size):
            pairs: list = []
            for c, dc, a, d in zip(cols, dcols, args, dargs):
                pairs += [_py(c[k]) if c is not None else a,
                          _py(dc[k]) if dc is not None else (None if c is not None else d)]
            _, t = self.fcall(f, df, *pairs)
            out[k] = 0.0 if t is None else t
        return out.reshape(y.shape)

    def reduce(self, op: Any, x: Any, init: Any, dims: Any, dx: Any, dinit: Any) -> Any:
        from .prims.mapreduce import _generic_name, reduce as run
        name = _generic_name(op)
        dx = _materialize(dx, x)
        if name == "+":
            t = run(self.interp, op, dx, None if init is None else zero_like(init) if dinit is None
                    else dinit, dims)
            return t
        if dims is not None and name in ("max", "min"):
            # the first extreme element of each slice carries the tangent (as in reverse)
            from .ad import extreme_mask
            mine = extreme_mask(np.asarray(x), run(self.interp, op, x, init, dims), dims)
            axes = tuple(d - 1 for d in dims)
            return np.where(mine, np.asarray(dx), 0).sum(axis=axes, keepdims=True).astype(
                np.asarray(dx).dtype)
        if dims is not None:
            raise _error(f"no forward-mode rule yet for reducing with {name} along dimensions")
        flat = [_py(v) for v in np.asarray(x).reshape(-1)]
        dflat = [_py(v) for v in np.asarray(dx).reshape(-1)]
        acc, dacc = init, dinit
        for k, (v, dv) in enumerate(zip(flat, dflat)):
            if k == 0 and init is None:
                acc, dacc = v, dv
                continue
            acc, dacc = self.fcall(op, None, acc, dacc, v, dv)
        return dacc

    # ------------------------------------------------------------ the transformation
    def transform(self, ir: IRFunction) -> IRFunction:
        if self.staged_from is not None:          # made once, by the interpreter's
            return self.staged_from.transform(ir)
        hit = self.cache.get(id(ir))
        if hit is not None and hit[0] is ir:
            return hit[1]
        ft = self._build(ir)
        self.cache[id(ir)] = (ir, ft)
        return ft

    def _build(self, ir: IRFunction) -> IRFunction:
        internal = self.interp._internal
        n = ir.nargs
        nreg = [ir.nregs]

        def reg() -> int:
            nreg[0] += 1
            return nreg[0] - 1
        tan: dict[int, int] = {}
        for b in ir.blocks:
            for r in b.params:
                tan[r] = reg()
            for i in b.insts:
                if i.res >= 0:
                    tan[i.res] = reg()
        nothing, dself = reg(), reg()
        blocks = []
        for b in ir.blocks:
            nb = Block(b.id, list(b.params) + [tan[r] for r in b.params])
            out = nb.insts
            if b.id == 0:
                out.append(Inst("const", nothing, (), None))
                out.append(Inst("arg", dself, (), 0))

            def t(r: int) -> int:
                return tan.get(r, nothing)
            for inst in b.insts:
                op, r = inst.op, inst.res
                if op == "arg":
                    out.append(Inst("arg", r, (), inst.attr + 1, inst.span))
                    out.append(Inst("arg", t(r), (), 1 + n + inst.attr, inst.span))
                    continue
                if op == "call" or (op == "prim" and differentiable_prim(self.prims, internal, inst.attr[0])):
                    fn, pair, one, two = reg(), reg(), reg(), reg()
                    if op == "call":
                        flags, kwnames = inst.attr
                        nk = len(kwnames)
                        pos = inst.args[1:len(inst.args) - nk] if nk else inst.args[1:]
                        kws = inst.args[len(inst.args) - nk:] if nk else ()
                        operands = (inst.args[0], t(inst.args[0]))
                        for a in pos:
                            operands += (a, t(a))
                        out.append(Inst("const", fn, (), self.splat_builtin(tuple(flags))
                                        if flags and any(flags) else self.b_fcall))
                        out.append(Inst("call", pair, (fn,) + operands + tuple(kws),
                                        (None, kwnames), inst.span))
                    else:
                        operands = ()
                        for a in inst.args:
                            operands += (a, t(a))
                        out.append(Inst("const", fn, (), self.prim_builtin(inst.attr[0],
                                                                           tuple(inst.attr[1:]))))
                        out.append(Inst("call", pair, (fn,) + operands, (None, ()), inst.span))
                    out.append(Inst("const", one, (), 1))
                    out.append(Inst("const", two, (), 2))
                    out.append(Inst("prim", r, (pair, one), ("tuple_getindex",), inst.span))
                    out.append(Inst("prim", t(r), (pair, two), ("tuple_getindex",), inst.span))
                    continue
                if op in _REFUSE:
                    raise _error(f"cannot differentiate through `{op}` (yet)", inst.span)
                out.append(inst)
                if op in ("tuple", "closure"):
                    out.append(Inst("tuple", t(r), tuple(t(a) for a in inst.args)))
                elif op == "namedtuple":
                    out.append(Inst("namedtuple", t(r), tuple(t(a) for a in inst.args), inst.attr))
                elif op == "getfield":
                    k = reg()
                    out.append(Inst("const", k, (), inst.attr))
                    fn = reg()
                    out.append(Inst("const", fn, (), self.b_field))
                    out.append(Inst("call", t(r), (fn, t(inst.args[0]), k), (None, ())))
                elif op == "capture":
                    k, fn = reg(), reg()
                    out.append(Inst("const", k, (), inst.attr + 1))
                    out.append(Inst("const", fn, (), self.b_index))
                    out.append(Inst("call", t(r), (fn, dself, k), (None, ())))
                elif op in _PASS:       # the tangent passes through (checkdef as a move)
                    out.append(Inst("checkdef", t(r), (t(inst.args[0]),), inst.attr))
                elif op in _CONST or op == "prim":
                    out.append(Inst("const", t(r), (), None))
                else:
                    raise _error(f"cannot differentiate through `{op}` (yet)", inst.span)
            term = b.term
            if term.op == "ret":
                res = reg()
                out.append(Inst("tuple", res, (term.args[0], t(term.args[0]))))
                nb.term = Terminator("ret", (res,), (), (), term.span)
            elif term.op == "unreachable":
                nb.term = term
            else:
                nb.term = Terminator(term.op, term.args, term.targets,
                                     tuple(tuple(a) + tuple(t(x) for x in a)
                                           for a in term.target_args), term.span)
            blocks.append(nb)
        return IRFunction(f"{ir.name}#tangent", 1 + 2 * n, blocks, ir.span, nreg[0],
                          dict(ir.names), ir.is_closure)

    # ------------------------------------------------------------ the API
    def derivative(self, f: Any, x: Any) -> Any:
        """`derivative(f, x)`: the tangent of f at x in the direction one(x)."""
        if not differentiable(x) or isinstance(x, (tuple, np.ndarray)):
            raise error_class("ArgumentError")(
                "derivative(f, x) takes a real number x (use gradient or jacobian for others)",
                None)
        y, dy = self.fcall(f, None, x, type(x)(1))
        return zero_like(y) if dy is None else dy
