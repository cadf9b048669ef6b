"""Reverse-mode differentiation as a transformation of the IR (section 8), after Zygote.

For an IR function F, `transform` builds two IR functions:

* the **forward** function F+ takes F's arguments and returns `(y, tape)`.  It is F with
  every differentiable `call` and `prim` replaced by a call of `_ad_call` (or of the
  intrinsic's rule), which returns the value and a pullback.  Each block, when it runs,
  pushes one record onto the tape: `(block id, predecessor id, values...)`, where the
  values are the pullbacks of the block's calls and the operands that the adjoint needs
  (the object of a `getfield`).  The tape is a cons list `(record, rest)`, threaded
  through the blocks as two extra block parameters (predecessor, tape), so loops push
  one record per iteration: a `while` loop with a data-dependent trip count needs no
  bound.
* the **backward** function F- takes `(tape, dy)` and returns `(dself, dargs...)`.  It
  pops the records in reverse order of execution and, for the block each one names, runs
  the adjoints of its instructions in reverse, then hands the adjoints of the block's
  parameters to the branch arguments of the predecessor that the record names.  Adjoints
  are variables `d<register>` of the SSA builder (`builder.py`), so the joins of the
  reversed control flow become block arguments as in any lowered code; the adjoint of a
  register is reset when its definition is reached, which makes loops right (each
  iteration's value has its own adjoint).

Zero adjoints are `nothing` (symbolic zeros) until the API boundary, where they become
zeros of the argument's shape.  Pullbacks follow the ChainRules convention:
`back(dy) = (dself, dargs...)`.  Rules: a user or stdlib `rrule(::typeof(f), args...)`
method wins; an intrinsic's rule is the Arr function `_rrule_<its derivative name>`
(stdlib/ad.arr); anything else is differentiated by transforming its IR, recursively.

Both functions are ordinary IR: the interpreter runs them, and the stager compiles them
into one module (ad_staging.py: there the tape ops `_ad_push`, `_ad_top`... work on a
`Tape` of typed buffers, and the pullbacks are `Back` values; see docs/internals.md).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from . import dispatch, types as T
from .builder import Builder
from .ir import Block, Inst, IRFunction, Terminator
from .source import NO_SPAN, Span, error_class
from .ad_values import (InterpreterWork, _py, accum, adj_index, code_plan, differentiable,
                        differentiable_prim, field_adjoint, materialize, method_plan)
from .values import NamedTupleValue


def _error(kind: str, message: str, span: Span | None = None) -> Exception:
    return error_class(kind)(message, span)


# ---------------------------------------------------------------- the transformation
# instructions whose result is one of their operands (its adjoint goes to that operand)
_PASS = ("checkdef", "typeassert", "boolcheck")
# instructions with no adjoint
_CONST = ("const", "sparam", "getglobal", "self")
# instructions that cannot be differentiated (yet)
_REFUSE = ("setglobal", "box_new", "box_get", "box_set", "try_enter", "try_leave",
           "defmethod", "defstruct", "defabstract", "macro")
# internal intrinsics (frames._internal_prims) with no derivative; `iter_item` has one
_INTERNAL_NONE = ("kwget", "kwrest", "setfield_error", "time_start", "time_report")


def _unbroadcast_back(x: Any, shape: tuple) -> Any:
    """`broadcast_to(x, shape)`: the adjoint is summed over the stretched dimensions."""
    def back(d: Any) -> Any:
        if d is None:
            return None
        d = np.asarray(d)
        if not isinstance(x, np.ndarray):
            return (None, _py(d.sum()), None)
        xs = x.shape + (1,) * (d.ndim - x.ndim)
        axes = tuple(i for i in range(d.ndim) if xs[i] == 1 and d.shape[i] != 1)
        r = d.sum(axis=axes, keepdims=True) if axes else d
        return (None, r.reshape(x.shape).astype(x.dtype if x.dtype.kind in "fc" else r.dtype), None)
    return back


def _from_tuple_back(typ: Any, vals: tuple, shape: tuple) -> Any:
    return lambda d: None if d is None else (None, None, tuple(_py(v) for v in np.asarray(d).reshape(-1)), None)


def _to_tuple_back(x: np.ndarray) -> Any:
    def back(d: Any) -> Any:
        if d is None:
            return None
        out = np.zeros(x.shape, dtype=x.dtype if x.dtype.kind in "fc" else np.float64)
        for k, v in enumerate(d):
            if v is not None:
                out.reshape(-1)[k] = v
        return (None, out)
    return back


def _concat_arrays_back(arrays: tuple, dim: int) -> Any:
    """`concatenate(arrays, dim)`: the adjoint is split back along `dim`."""
    def back(d: Any) -> Any:
        if d is None:
            return None
        d = np.asarray(d)
        out, at = [], 0
        for a in arrays:
            shape = np.shape(a) + (1,) * (d.ndim - np.ndim(a))
            k = shape[dim - 1]
            piece = np.take(d, range(at, at + k), axis=dim - 1)
            at += k
            out.append(_py(piece.reshape(np.shape(a))[()]) if np.ndim(a) == 0 else piece.reshape(np.shape(a)))
        return (None, tuple(out), None)
    return back


def sort_permutation(x: np.ndarray, dim: int, rev: bool) -> np.ndarray:
    """The 0-based stable permutation `sort(x; dims=dim, rev)` applies along `dim`."""
    from .prims.array import sortperm
    return np.apply_along_axis(lambda v: np.asarray(sortperm(v, rev)) - 1, dim - 1, x)


def _sort_back(x: np.ndarray, dim: int, rev: bool) -> Any:
    perm = sort_permutation(x, dim, rev)

    def back(d: Any) -> Any:
        if d is None:
            return None
        dx = np.zeros(x.shape, dtype=np.result_type(np.asarray(d).dtype, np.float64))
        np.put_along_axis(dx, perm, np.asarray(d), axis=dim - 1)
        return (None, dx, None, None)
    return back


def _cumsum_back(f: Any, x: np.ndarray, dim: int) -> Any:
    """`accumulate(+, x; dims=dim)`: the adjoint is the reversed running sum."""
    from .prims.mapreduce import _generic_name
    if _generic_name(f) != "+":
        raise _error("ErrorException", "no derivative rule yet for accumulate with "
                     f"{_generic_name(f)}")

    def back(d: Any) -> Any:
        if d is None:
            return None
        d = np.asarray(d)
        rev = np.flip(np.cumsum(np.flip(d, dim - 1), axis=dim - 1), dim - 1)
        return (None, None, rev, None)
    return back


def extreme_mask(x: np.ndarray, y: Any, dims: tuple) -> np.ndarray:
    """Where the first extreme element (row-major) of each slice of x along `dims` is,
    `y` being the extremes (`maximum(x; dims)` or `minimum`)."""
    axes = tuple(d - 1 for d in dims)
    idx = np.arange(x.size).reshape(x.shape)
    cand = np.where(x == np.asarray(y), idx, x.size)
    return idx == cand.min(axis=axes, keepdims=True)


def _extremum_back(x: np.ndarray, y: Any, dims: tuple) -> Any:
    """`maximum(x; dims)` / `minimum`: the adjoint goes to the first extreme element of
    each slice in row-major order (the one the fold keeps)."""
    mine = extreme_mask(x, y, dims)

    def back(d: Any) -> Any:
        if d is None:
            return None
        dx = np.where(mine, np.broadcast_to(np.asarray(d), x.shape), 0).astype(
            x.dtype if x.dtype.kind in "fc" else np.float64)
        return (None, None, dx, None, None)
    return back


def _sum_back(x: np.ndarray, init: Any, dims: Any) -> Any:
    """`reduce(+, x, init, dims)`: the adjoint is spread over the reduced elements."""
    def back(d: Any) -> Any:
        if d is None:
            return None
        spread = np.broadcast_to(np.asarray(d), x.shape).astype(
            x.dtype if x.dtype.kind in "fc" else np.float64)
        dinit = None if init is None else (d if dims is None else None)
        return (None, None, spread.copy(), dinit, None)
    return back


def element_args(args: tuple, k: int) -> list:
    """The arguments of `elementwise`'s k-th call (0-based, row-major): the k-th element
    of each array argument as the interpreter's scalar, the others as they are."""
    out = []
    for a in args:
        if isinstance(a, np.ndarray):
            e = a.reshape(-1)[k]
            out.append(_py(e.item() if a.dtype.kind in "biuf" and type(e) is not float else e))
        else:
            out.append(_py(a))
    return out


def elementwise_adjoints(gs: list, args: tuple, shape: tuple) -> tuple:
    """`elementwise`'s adjoints `(nothing, df, (dargs...))` from those of its calls (`gs`,
    one per element): an array argument gets an array, a scalar one the sum."""
    dargs: list = [None] * len(args)
    df = None
    for k, g in enumerate(gs):
        if g is None:
            continue
        df = accum(df, g[0])
        for j, a in enumerate(args):
            gj = adj_index(g, j + 2)
            if gj is None:
                continue
            if isinstance(a, np.ndarray):
                if dargs[j] is None:
                    dargs[j] = np.zeros(shape, dtype=np.result_type(a.dtype, np.float64)
                                        if a.dtype.kind not in "fc" else a.dtype)
                dargs[j].reshape(-1)[k] += gj
            else:
                dargs[j] = accum(dargs[j], gj)
    return (None, df, tuple(dargs))


def _struct_back(n: int) -> Any:
    """A constructor's pullback: the adjoints of its n fields."""
    def back(d: Any) -> Any:
        if d is None:
            return None
        vals = d.values if type(d) is NamedTupleValue else d
        return (None,) + tuple(vals[:n])
    return back


def _slot_back(t: Any, i: Any) -> Any:
    """`t[i]` (a tuple, NamedTuple or struct field by index or name)."""
    return lambda d: (None, field_adjoint(t, i, d), None)


def _concat_back(a: tuple, b: tuple) -> Any:
    return lambda d: (None, tuple(adj_index(d, k + 1) for k in range(len(a))),
                      tuple(adj_index(d, len(a) + k + 1) for k in range(len(b))))


def _slice_back(t: tuple, lo: int, hi: int) -> Any:
    return lambda d: (None, tuple(adj_index(d, k - lo + 2) if lo <= k + 1 <= hi else None
                                  for k in range(len(t))), None, None)


def _struct_new_back(typ: Any, fields: tuple) -> Any:
    return lambda d: (None, None, tuple(d.values) if type(d) is NamedTupleValue else d)


def _nt_new_back(names: tuple, vals: tuple) -> Any:
    return lambda d: (None, None, tuple(d.values) if type(d) is NamedTupleValue else d)


def _nt_values_back(nt: NamedTupleValue) -> Any:
    return lambda d: (None, None if d is None else NamedTupleValue(nt.names, tuple(d)))


# intrinsics on containers, whose pullbacks are written here (they build adjoints of the
# container's shape): name -> (args -> pullback)
_STRUCTURAL = {"iter_item": _slot_back, "tuple_getindex": _slot_back, "getfield": _slot_back,
               "tuple_concat": _concat_back, "tuple_slice": _slice_back,
               "struct_new": _struct_new_back, "namedtuple_new": _nt_new_back,
               "namedtuple_values": _nt_values_back, "broadcast_to": _unbroadcast_back,
               "array_from_tuple": _from_tuple_back, "array_to_tuple": _to_tuple_back,
               "concatenate": _concat_arrays_back, "sort": _sort_back, "accumulate": _cumsum_back}


def call_adjoints(g: Any, n_call_args: int, layout: tuple | None, f: Any, nargs: int) -> tuple:
    """F-'s result `(dself, dargs...)` (one per IR argument) lined up with the arguments
    of the call (see `code_plan`: a closure's varargs spread, a method's type argument
    or callable object put first)."""
    start, vararg_at = layout if layout is not None else (0, None)
    dself, dir_args = g[0], list(g[1:])
    out: list = [None] * n_call_args
    if layout is None:                    # a closure: its own args, as passed
        k = 0
        info = f.info
        for j in range(min(nargs, info.nparams)):
            if info.vararg and j == info.nparams - 1:
                for v in (dir_args[j] or ()):
                    if k < n_call_args:
                        out[k] = v
                    k += 1
                break
            if k < n_call_args:
                out[k] = dir_args[j]
            k += 1
        if dself is not None:
            dself = tuple(dself) + (None,) * (len(f.captures) - len(dself))
    else:
        for j, dv in enumerate(dir_args):
            if vararg_at is not None and j == vararg_at:
                for i in range(n_call_args - start - vararg_at):
                    out[start + vararg_at + i] = adj_index(dv, i + 1)
                break
            if start + j < n_call_args:
                out[start + j] = dv
    if start:           # a constructor's type argument, or a callable object
        dself = out[0] if dself is None else dself
        out = out[1:]
    return (dself, *out)


def object_adjoints(g: Any, add: Any = accum) -> Any:
    """A callable object's call: its method's adjoints `(dself, dobject, dargs...)` with
    the object's adjoint as dself."""
    if g is None:
        return None
    return (add(g[0], adj_index(g, 2)),) + tuple(g[2:])


def regroup_adjoints(g: Any, sizes: tuple) -> Any:
    """A call with splatted arguments: the adjoints of the spread elements regrouped into
    tuples (`sizes`: None for an argument not spread)."""
    if g is None:
        return None
    out = [g[0]]
    k = 1
    for s in sizes:
        if s is None:
            out.append(g[k] if k < len(g) else None)
            k += 1
        else:
            out.append(tuple(g[k + i] if k + i < len(g) else None for i in range(s)))
            k += s
    return tuple(out)


class Transformed:
    """F+ and F- of one IR function."""

    def __init__(self, fwd: IRFunction, bwd: IRFunction) -> None:
        self.fwd = fwd
        self.bwd = bwd


class AD(InterpreterWork):
    """The differentiation machinery of one interpreter: builtins the transformed code
    calls, and the cache of transformed functions."""

    def __init__(self, interp: Any) -> None:
        from .interp import DIRECT
        from .prims import PRIMITIVES
        self.interp = interp
        self.prims = PRIMITIVES
        self.staged_from: AD | None = None      # a StagedAD: the interpreter's AD
        self.cache: dict[int, tuple[IRFunction, Transformed]] = {}
        self.b_call = self.builtin("_ad_call", self.call, "call")
        self.b_apply = self.builtin("_ad_apply", self.apply, "apply")
        self.b_accum = self.builtin("_ad_accum", self.accum, "accum")
        self.b_index = self.builtin("_ad_index", adj_index, DIRECT)
        self.b_field = self.builtin("_ad_field", field_adjoint, DIRECT)
        self.b_capture = self.builtin("_ad_capture", self.capture_adjoint, "capture_adjoint")
        self.b_prims: dict[tuple, Any] = {}
        self.b_splat: dict[tuple, Any] = {}
        self.made_by: dict[int, tuple] = {}     # id of a prim or splat builtin -> its key
        self.zero_back = self.builtin("_ad_zero_back", lambda d: None, DIRECT)
        # the tape: a cons list `(record, rest)` here; typed buffers in compiled code
        self.b_push = self.builtin("_ad_push", lambda tape, rec: (rec, tape), "push")
        self.b_empty = self.builtin("_ad_empty", lambda tape: tape == (), "empty")
        self.b_top_block = self.builtin("_ad_top_block", lambda tape: tape[0][0], "top_block")
        self.b_top = self.builtin("_ad_top", lambda tape, b: tape[0], "top")
        self.b_drop = self.builtin("_ad_drop", lambda tape, b: tape[1], "drop")

    # ------------------------------------------------------------ how the work is done
    # The interpreter runs the transformed code.  Compiled code stages it instead: a
    # `StagedAD` (ad_staging.py) overrides these to emit StableHLO as it goes.
    def builtin(self, name: str, fn: Any, staged: Any = None) -> Any:
        """A builtin the transformed code calls.  `staged`: how compiled code calls it,
        DIRECT or the name of the StagedAD method doing its work."""
        from .interp import DIRECT, Builtin
        if staged is None or staged == DIRECT:
            return Builtin(name, fn, staged)
        return Builtin(name, fn, lambda st: getattr(_staged(st), staged))

    def add(self, a: Any, b: Any) -> Any:
        return a + b

    def zero(self, x: Any) -> Any:
        """The zero of a leaf that `zero_like` does not know (see StagedAD)."""
        return None

    pick = None         # StagedAD: `c ? a : b` on run-time values (see `materialize`)

    # ------------------------------------------------------------ calls at run time
    def apply(self, back: Any, d: Any) -> Any:
        """`back(d)`, skipping the call when the adjoint is zero."""
        if d is None:
            return None
        return self.invoke(back, [d])

    def accum(self, a: Any, b: Any) -> Any:
        return accum(a, b, self.add)

    def capture_adjoint(self, dself: Any, k: int, d: Any) -> Any:
        if d is None:
            return dself
        have = list(dself) if dself is not None else []
        while len(have) < k:
            have.append(None)
        have[k - 1] = self.accum(have[k - 1], d)
        return tuple(have)

    def call(self, f: Any, *args: Any, **kw: Any) -> tuple:
        """`(f(args...), back)`: the value and the pullback of one call."""
        if not differentiable(f) and not any(differentiable(a) for a in args):
            return (self.invoke(f, args, kw), self.zero_back)
        rule = self.custom_rule(f, args, kw)
        if rule is not None:
            return rule
        return self.transformed_call(f, list(args), kw)

    def rrule_method(self, f: Any, args: tuple | list, kw: dict | None) -> tuple | None:
        """`(method, env)` of `rrule` for this call (not the generic fallback), or None."""
        rr = self.interp.globals.get("rrule")
        if rr is None or kw:
            return None
        try:
            return dispatch.lookup(rr, (T.typeof(f),) + tuple(map(T.typeof, args)), NO_SPAN)
        except Exception:       # noqa: BLE001 -- no applicable rule
            return None

    def custom_rule(self, f: Any, args: tuple, kw: dict) -> tuple | None:
        """A method of `rrule` for this call, called."""
        found = self.rrule_method(f, args, kw)
        if found is None:
            return None
        out = self.invoke_method(found[0], found[1], [f, *args], None)
        if out is None:         # a rule may decline with `nothing`
            return None
        return out

    def plan(self, f: Any, args: tuple | list, kw: dict | None) -> tuple:
        """How a call is differentiated when no rule applies: `("ir", plan, call_args,
        is_object)` for Arr code (`plan` as `code_plan` gives it; `call_args` what the
        method receives; `is_object` for a callable object, whose method's first argument
        is the object), or `("struct", n, make)` for a default constructor of n fields
        (`make()` builds the value)."""
        from .interp import Builtin, BuiltinImpl, Closure, _is_type_value
        from .typeeval import NewMarker
        interp = self.interp
        args = list(args)
        if isinstance(f, (dispatch.GenericFunction, Closure)):
            p = code_plan(interp, f, args, kw)
            if p is None:
                raise _error("ErrorException", f"cannot differentiate the built-in method {f.name}")
            return ("ir", p, args, False)
        if isinstance(f, NewMarker):
            return ("struct", len(args), lambda: self.invoke(f, args, kw))
        if _is_type_value(f) and T.ctor_key(f) in interp.ctor_tables:
            table = interp.ctor_tables[T.ctor_key(f)]
            argtypes = (T.type_of_type(f),) + tuple(map(T.typeof, args))
            m, env = dispatch.lookup(table, argtypes, NO_SPAN)
            if isinstance(m.impl, BuiltinImpl):
                return ("struct", len(args), lambda: self.invoke_method(m, env, [f, *args], kw))
            return ("ir", self._method_plan(m, env, kw), [f, *args], False)
        if isinstance(f, Builtin):
            raise _error("ErrorException",
                         f"cannot differentiate a call of {T.show_type(T.typeof(f))}")
        # a callable object, `(d::Dense)(x)`: its method's first argument is the object
        argtypes = (T.typeof(f),) + tuple(map(T.typeof, args))
        m, env = dispatch.lookup(interp.call_table, argtypes, NO_SPAN)
        return ("ir", self._method_plan(m, env, kw), [f, *args], True)

    def _method_plan(self, m: Any, env: dict, kw: dict | None) -> tuple:
        p = method_plan(self.interp, m, env, kw)
        if p is None:
            raise _error("ErrorException", f"cannot differentiate the built-in method {m.name}")
        return p

    def transformed_call(self, f: Any, args: list, kw: dict | None) -> tuple:
        plan = self.plan(f, args, kw)
        if plan[0] == "struct":
            _, n, make = plan
            return (make(), self._struct_back(n))
        _, (ir, pack, env, closure, layout), call_args, is_object = plan
        y, back = self.ir_call(ir, pack(call_args, True), env, closure, len(call_args),
                               layout, closure)
        if is_object:
            back = self.back_builtin("_ad_object_back", self._object_back, back)
        return (y, back)

    def _object_back(self, back: Any) -> Any:
        return lambda d: object_adjoints(self.apply(back, d), self.accum)

    def _struct_back(self, n: int) -> Any:
        return self.back_builtin("_ad_struct_back", _struct_back, n)

    def ir_call(self, ir: IRFunction, args: list, env: dict | None, closure: Any,
                n_call_args: int, layout: tuple | None, f: Any) -> tuple:
        tr = self.transform(ir)
        y, tape = self.run_ir(tr.fwd, args, env, closure)
        return (y, self.ir_pullback(tr, tape, env, closure, n_call_args, layout, f, len(args)))

    def ir_pullback(self, tr: Transformed, tape: Any, env: dict | None, closure: Any,
                    n_call_args: int, layout: tuple | None, f: Any, nargs: int) -> Any:
        return self.back_builtin("_ad_back", self._ir_back, tr, tape, env, closure,
                                 n_call_args, layout, f, nargs)

    def _ir_back(self, tr: Transformed, tape: Any, env: dict | None, closure: Any,
                 n_call_args: int, layout: tuple | None, f: Any, nargs: int) -> Any:
        """The pullback of a call of transformed IR: F- on the call's tape, its adjoints
        lined up with the call's arguments (`call_adjoints`)."""
        def back(d: Any) -> Any:
            if d is None:
                return None
            g = self.run_ir(tr.bwd, [tape, d], env, closure)
            return call_adjoints(g, n_call_args, layout, f, nargs)
        return back

    # ------------------------------------------------------------ intrinsics
    def prim_builtin(self, name: str, extra: tuple) -> Any:
        """The builtin the forward code calls for `prim name`: value and pullback."""
        key = (name,) + extra
        b = self.b_prims.get(key)
        if b is not None:
            return b
        interp = self.interp
        p = self.prims.get(name)
        run = self.run_prim(name, extra)

        def call(*args: Any) -> tuple:
            if not any(differentiable(a) for a in args):
                return (run(*args), self.zero_back)
            if name == "elementwise":
                return self.elementwise(*args)
            if name == "reduce":
                return self.reduce(*args)
            structural = self.structural_rule(name)
            if structural is not None:
                return (run(*args), self.back_builtin(f"_ad_{name}_back", structural, *args))
            rule_name = p.derivative if p is not None else None
            rule = interp.globals.get(f"_rrule_{rule_name}") if rule_name else None
            if rule is None:
                raise _error("ErrorException",
                             f"no derivative rule for the intrinsic {name} yet")
            return self.invoke(rule, args)
        b = self.b_prims[key] = self.builtin(f"_ad_prim_{name}", call)
        self.made_by[id(b)] = ("prim", key)
        if self.staged_from is None:
            b.stage = lambda st: _staged(st).prim_builtin(name, extra).fn
        return b

    def structural_rule(self, name: str) -> Any:
        return _STRUCTURAL.get(name)

    def back_builtin(self, name: str, maker: Any, *args: Any) -> Any:
        """A pullback made while running: `maker(*args)`, a Python function of the
        adjoint.  The builtin keeps maker and args (`made`), so that higher-order
        differentiation sees its values (ad_higher.py); StagedAD makes a `Back` of them."""
        b = self.builtin(name, maker(*args))
        b.made = (maker, args)
        return b

    def elementwise(self, f: Any, args: tuple) -> tuple:
        """`elementwise(f, (xs...))`: f is differentiated at every element (each element's
        pullback is kept); scalar arguments collect the sum over the elements."""
        from .prims.mapreduce import elementwise as run
        interp = self.interp
        y = run(interp, f, args)
        if not isinstance(y, np.ndarray) or y.ndim == 0 and not any(
                isinstance(a, np.ndarray) for a in args):
            return self.call(f, *args)
        backs = tuple(self.call(f, *element_args(args, k))[1] for k in range(y.size))
        return (y, self.back_builtin("_ad_elementwise_back", self._elementwise_back, args,
                                     y.shape, backs))

    def _elementwise_back(self, args: tuple, shape: tuple, backs: tuple) -> Any:
        """`elementwise`'s pullback: each element's pullback on its element of the adjoint."""
        def back(d: Any) -> Any:
            if d is None:
                return None
            dflat = np.asarray(d).reshape(-1)
            return elementwise_adjoints([self.apply(b, _py(dflat[k])) for k, b in enumerate(backs)],
                                        args, shape)
        return back

    def reduce(self, op: Any, x: Any, init: Any, dims: Any) -> tuple:
        """`reduce(op, x, init, dims)`: `+` spreads the adjoint over the reduced elements;
        any other operator is differentiated step by step along the fold (all elements)."""
        from .prims.mapreduce import reduce as run, _generic_name
        interp = self.interp
        y = run(interp, op, x, init, dims)
        name = _generic_name(op)
        if name == "+" and isinstance(x, np.ndarray):
            return (y, self.back_builtin("_ad_sum_back", _sum_back, x, init, dims))
        if dims is not None and name in ("max", "min") and isinstance(x, np.ndarray):
            return (y, self.back_builtin("_ad_extremum_back", _extremum_back, x, y, dims))
        if dims is not None or not isinstance(x, np.ndarray):
            raise _error("ErrorException", f"no derivative rule yet for reducing with {name} "
                         "along dimensions")
        flat = [_py(v) for v in x.reshape(-1)]
        acc = init
        steps = []
        for k, v in enumerate(flat):
            if acc is None and k == 0 and init is None:
                acc = v
                steps.append(None)
                continue
            acc, b = self.call(op, acc, v)
            steps.append(b)
        back = self.back_builtin("_ad_fold_back", self._fold_back, x, tuple(steps))
        return (acc if len(flat) else y, back)

    def _fold_back(self, x: np.ndarray, steps: tuple) -> Any:
        """The pullback of a fold over x's elements (`steps`: each step's pullback, None
        for the first element when there is no initial value)."""
        def back(d: Any) -> Any:
            if d is None:
                return None
            dx = np.zeros(x.shape, dtype=x.dtype if x.dtype.kind in "fc" else np.float64)
            dxf = dx.reshape(-1)
            dacc = d
            for k in range(len(steps) - 1, -1, -1):
                if steps[k] is None:
                    dxf[k] += 0.0 if dacc is None else dacc
                    dacc = None
                    break
                g = self.apply(steps[k], dacc)
                gv = adj_index(g, 3)
                if gv is not None:
                    dxf[k] += gv
                dacc = adj_index(g, 2)
            return (None, None, dx, dacc, None)
        return back

    def splat_builtin(self, flags: tuple) -> Any:
        """`_ad_call` for a call with splatted arguments: the pullback regroups the
        adjoints of the spread elements into tuples."""
        b = self.b_splat.get(flags)
        if b is not None:
            return b

        def call(f: Any, *args: Any, **kw: Any) -> tuple:
            flat: list = []
            sizes: list = []
            for a, fl in zip(args, flags):
                if fl:
                    items = list(a.values) if type(a) is NamedTupleValue else list(a)
                    flat.extend(items)
                    sizes.append(len(items))
                else:
                    flat.append(a)
                    sizes.append(None)
            y, back = self.call(f, *flat, **kw)
            return (y, self.back_builtin("_ad_splat_back", self._regroup_back, back,
                                         tuple(sizes)))
        b = self.b_splat[flags] = self.builtin("_ad_call_splat", call)
        self.made_by[id(b)] = ("splat", flags)
        if self.staged_from is None:
            b.stage = lambda st: _staged(st).splat_builtin(flags).fn
        return b

    def _regroup_back(self, back: Any, sizes: tuple) -> Any:
        return lambda d: regroup_adjoints(self.apply(back, d), sizes)

    # ------------------------------------------------------------ building F+ and F-
    def transform(self, ir: IRFunction) -> Transformed:
        """F+ and F- of ir (made once, by the interpreter's AD, which the IR names)."""
        if self.staged_from is not None:
            return self.staged_from.transform(ir)
        hit = self.cache.get(id(ir))
        if hit is not None and hit[0] is ir:
            return hit[1]
        fwd, saved = self.forward(ir)
        bwd = self.backward(ir, saved)
        tr = Transformed(fwd, bwd)
        self.cache[id(ir)] = (ir, tr)
        return tr

    def forward(self, ir: IRFunction) -> tuple[IRFunction, dict]:
        """F+, and per block the saved values: a list of (kind, inst) in record order."""
        internal = self.interp._internal if hasattr(self.interp, "_internal") else {}
        nreg = [ir.nregs]

        def reg() -> int:
            nreg[0] += 1
            return nreg[0] - 1

        for b in ir.blocks:
            if b.term is not None and 0 in b.term.targets:
                raise _error("ErrorException", "cannot differentiate a branch to the entry block",
                             b.term.span)
        blocks: list[Block] = []
        saved: dict[int, list] = {}
        for b in ir.blocks:
            nb = Block(b.id)
            insts = nb.insts
            if b.id == 0:
                pred, tape = reg(), reg()
                insts.append(Inst("const", pred, (), -1))
                insts.append(Inst("const", tape, (), ()))
            else:
                pred, tape = reg(), reg()
                nb.params = list(b.params) + [pred, tape]
            keep: list[int] = []             # registers in the record after (bid, pred)
            kinds: list = []
            for inst in b.insts:
                op = inst.op
                if op in _REFUSE:
                    raise _error("ErrorException",
                                 f"cannot differentiate through `{op}` (yet)", inst.span)
                if op == "call" or (op == "prim" and differentiable_prim(self.prims, internal, inst.attr[0])):
                    fn = reg()
                    pb = reg()
                    if op == "call":
                        flags, kwnames = inst.attr
                        if flags and any(flags):
                            insts.append(Inst("const", fn, (), self.splat_builtin(tuple(flags))))
                            attr = (None, kwnames)
                        else:
                            insts.append(Inst("const", fn, (), self.b_call))
                            attr = inst.attr
                        insts.append(Inst("call", pb, (fn,) + inst.args, attr, inst.span))
                    else:
                        insts.append(Inst("const", fn, (), self.prim_builtin(inst.attr[0],
                                                                             tuple(inst.attr[1:]))))
                        insts.append(Inst("call", pb, (fn,) + inst.args, (None, ()), inst.span))
                    one, two, back = reg(), reg(), reg()
                    insts.append(Inst("const", one, (), 1))
                    insts.append(Inst("const", two, (), 2))
                    insts.append(Inst("prim", inst.res, (pb, one), ("tuple_getindex",), inst.span))
                    insts.append(Inst("prim", back, (pb, two), ("tuple_getindex",), inst.span))
                    keep.append(back)
                    kinds.append(("back", inst))
                    continue
                insts.append(inst)
                if op == "getfield":
                    keep.append(inst.args[0])
                    kinds.append(("object", inst))
            bid = reg()
            insts.append(Inst("const", bid, (), b.id))
            rec, tape2 = reg(), reg()
            insts.append(Inst("tuple", rec, (bid, pred) + tuple(keep)))
            push = reg()
            insts.append(Inst("const", push, (), self.b_push))
            insts.append(Inst("call", tape2, (push, tape, rec), (None, ())))
            t = b.term
            if t.op == "ret":
                out = reg()
                insts.append(Inst("tuple", out, (t.args[0], tape2)))
                nb.term = Terminator("ret", (out,), (), (), t.span)
            elif t.op == "unreachable":
                nb.term = t
            else:
                nb.term = Terminator(t.op, t.args, t.targets,
                                     tuple(tuple(a) + (bid, tape2) for a in t.target_args), t.span)
            blocks.append(nb)
            saved[b.id] = kinds
        fwd = IRFunction(f"{ir.name}#forward", ir.nargs, blocks, ir.span, nreg[0],
                         dict(ir.names), ir.is_closure)
        return fwd, saved

    def backward(self, ir: IRFunction, saved: dict) -> IRFunction:
        bld = Builder(f"{ir.name}#backward", ir.span)
        nothing = bld.const(None)
        tape0 = bld.emit("arg", (), 0)
        dy = bld.emit("arg", (), 1)
        bld.write_var("tape", tape0)
        regs = {r for b in ir.blocks for r in b.params}
        regs |= {i.res for b in ir.blocks for i in b.insts if i.res >= 0}
        for r in regs:
            bld.write_var(f"d{r}", nothing)
        bld.write_var("dself", nothing)
        for k in range(ir.nargs):
            bld.write_var(f"darg{k}", nothing)
        loop = bld.new_block()
        bld.br(loop)
        bld.cur = loop
        def call(fn: Any, *args: int) -> int:
            return bld.emit("call", (bld.const(fn),) + args, (None, ()))

        tape = bld.read_var("tape")
        empty = call(self.b_empty, tape)
        done, pop = bld.new_block(), bld.new_block()
        bld.condbr(empty, done, pop)
        bld.seal(done)
        bld.seal(pop)
        bld.cur = pop
        two = bld.const(2)
        bid = call(self.b_top_block, tape)

        def accumulate(r: int, d: int) -> None:
            cur = bld.read_var(f"d{r}")
            bld.write_var(f"d{r}", bld.emit("call", (bld.const(self.b_accum), cur, d), (None, ())))

        preds: dict[int, list[int]] = {b.id: [] for b in ir.blocks}
        for b in ir.blocks:
            if b.term is not None:
                for tgt in b.term.targets:
                    preds[tgt].append(b.id)

        for b in ir.blocks:
            is_b = bld.emit("prim", (bid, bld.const(b.id)), ("eq",))
            body, nxt = bld.new_block(), bld.new_block()
            bld.condbr(is_b, body, nxt)
            bld.seal(body)
            bld.seal(nxt)
            bld.cur = body
            rec = call(self.b_top, tape, bld.const(b.id))
            bld.write_var("tape", call(self.b_drop, tape, bld.const(b.id)))
            pred = bld.emit("prim", (rec, two), ("tuple_getindex",))
            if b.term.op == "ret":
                accumulate(b.term.args[0], dy)
            kinds = saved[b.id]
            slot = 3 + len(kinds)           # record: (bid, pred, saved...), 1-based
            for inst in reversed(b.insts):
                r = inst.res
                op = inst.op
                d = bld.read_var(f"d{r}") if r >= 0 else None
                if op == "call" or (op == "prim" and kinds and kinds[-1][1] is inst):
                    slot -= 1
                    kinds = kinds[:-1]
                    back = bld.emit("prim", (rec, bld.const(slot)), ("tuple_getindex",))
                    g = call(self.b_apply, back, d)
                    operands = inst.args if op == "call" else (None,) + inst.args
                    for j, a in enumerate(operands):
                        if a is not None:
                            accumulate(a, call(self.b_index, g, bld.const(j + 1)))
                elif op == "getfield":
                    slot -= 1
                    kinds = kinds[:-1]
                    obj = bld.emit("prim", (rec, bld.const(slot)), ("tuple_getindex",))
                    accumulate(inst.args[0], call(self.b_field, obj, bld.const(inst.attr), d))
                elif op in ("tuple", "namedtuple", "closure"):
                    for j, a in enumerate(inst.args):
                        accumulate(a, call(self.b_index, d, bld.const(j + 1)))
                elif op == "capture":
                    bld.write_var("dself", call(self.b_capture, bld.read_var("dself"),
                                                bld.const(inst.attr + 1), d))
                elif op == "arg":
                    k = inst.attr
                    cur = bld.read_var(f"darg{k}")
                    bld.write_var(f"darg{k}", call(self.b_accum, cur, d))
                elif op in _PASS:
                    accumulate(inst.args[0], d)
                elif op == "prim" or op in _CONST:
                    pass
                else:
                    raise _error("ErrorException", f"cannot differentiate through `{op}` (yet)",
                                 inst.span)
                if r >= 0:
                    bld.write_var(f"d{r}", nothing)
            # the adjoints of the block's parameters go to the predecessor's branch args
            if b.params:
                dparams = [bld.read_var(f"d{p}") for p in b.params]
                for p in b.params:
                    bld.write_var(f"d{p}", nothing)
                for q in preds[b.id]:
                    qt = ir.blocks[q].term
                    edges = [k for k, t in enumerate(qt.targets) if t == b.id]
                    if len(edges) != 1:
                        raise _error("ErrorException", "cannot differentiate a branch whose two "
                                     "sides go to the same block", qt.span)
                    is_q = bld.emit("prim", (pred, bld.const(q)), ("eq",))
                    route, after = bld.new_block(), bld.new_block()
                    bld.condbr(is_q, route, after)
                    bld.seal(route)
                    bld.cur = route
                    for a, dp in zip(qt.target_args[edges[0]], dparams):
                        accumulate(a, dp)
                    bld.br(after)
                    bld.seal(after)
                    bld.cur = after
            bld.br(loop)
            bld.cur = nxt
        bld.unreachable()
        bld.seal(loop)
        bld.cur = done
        outs = [bld.read_var("dself")] + [bld.read_var(f"darg{k}") for k in range(ir.nargs)]
        bld.ret(bld.emit("tuple", tuple(outs)))
        bwd = bld.finish(2)
        bwd.walks_tape = True
        return bwd

    # ------------------------------------------------------------ the API
    def pullback(self, f: Any, args: tuple) -> tuple:
        """`pullback(f, args...)`: `(y, back)` with `back(dy)` = one gradient per argument
        (zeros materialised, `nothing` for arguments that are not differentiable)."""
        y, back = self.call(f, *args)
        return (y, self.back_builtin("pullback_back", self._api_back, back, tuple(args)))

    def _api_back(self, back: Any, args: tuple) -> Any:
        def api_back(d: Any) -> tuple:
            g = self.apply(back, d)
            return tuple(materialize(adj_index(g, k + 2), a, self.zero, self.pick)
                         for k, a in enumerate(args))
        return api_back


def _staged(st: Any) -> Any:
    from .ad_staging import staged_ad
    return staged_ad(st)


def ad_of(interp: Any) -> AD:
    ad = getattr(interp, "ad", None)
    if ad is None:
        from .frames import _internal_prims
        if getattr(interp, "_internal", None) is None:
            interp._internal = _internal_prims(interp)
        ad = interp.ad = AD(interp)
        from .ad_forward import Forward
        ad.fwd = Forward(interp, ad.prims)
    return ad
