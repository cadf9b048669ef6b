"""Values of differentiation: which values gradients flow through, and the arithmetic
of adjoints and tangents, where `nothing` is a (symbolic) zero until the API boundary."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .values import NamedTupleValue, StructValue


def differentiable(v: Any) -> bool:
    """Whether gradients can flow through v: floats, float arrays, and containers or
    closures that hold any."""
    t = type(v)
    if t is float or isinstance(v, np.floating):
        return True
    if t is np.ndarray or t.__name__ == "Dyn":          # an array, or a staged value
        return v.dtype.kind in "fc"
    if t is tuple:
        return any(differentiable(x) for x in v)
    if t is NamedTupleValue:
        return any(differentiable(x) for x in v.values)
    if t is StructValue:
        return any(differentiable(x) for x in v.fields)
    if t.__name__ == "Closure":
        return any(differentiable(x) for x in v.captures)
    return False


def _plus(a: Any, b: Any) -> Any:
    return a + b


def accum(a: Any, b: Any, add: Callable[[Any, Any], Any] = _plus) -> Any:
    """a + b for adjoints; `nothing` is zero.  `add` adds two leaves (staged code
    passes one that emits the addition)."""
    if a is None:
        return b
    if b is None:
        return a
    if type(a) is tuple and type(b) is tuple:
        n = max(len(a), len(b))
        return tuple(accum(a[i] if i < len(a) else None, b[i] if i < len(b) else None, add)
                     for i in range(n))
    if type(a) is NamedTupleValue and type(b) is NamedTupleValue:
        vals = dict(zip(a.names, a.values))
        for n, v in zip(b.names, b.values):
            vals[n] = accum(vals.get(n), v, add)
        names = a.names + tuple(n for n in b.names if n not in a.names)
        return NamedTupleValue(names, tuple(vals[n] for n in names))
    return add(a, b)


def adj_index(d: Any, k: int) -> Any:
    """The k-th (1-based) part of a tuple adjoint, `nothing` for a zero one."""
    if d is None:
        return None
    if type(d) is NamedTupleValue:
        d = d.values
    return d[k - 1] if k - 1 < len(d) else None


def field_adjoint(x: Any, name: Any, d: Any) -> Any:
    """The adjoint of `x` from that of its field `name`."""
    if d is None:
        return None
    if type(x) is StructValue:
        names = tuple(x.type.typename.fieldnames)
    elif type(x) is NamedTupleValue:
        names = x.names
    elif type(x) is tuple:
        return tuple(d if i + 1 == name else None for i in range(len(x)))
    else:
        return None
    if isinstance(name, (int, np.integer)) and not isinstance(name, bool):
        key = names[name - 1]
    else:
        key = getattr(name, "name", name)          # a field name or a Symbol
    return NamedTupleValue(names, tuple(d if n == key else None for n in names))


def zero_like(x: Any, leaf: Callable[[Any], Any] | None = None) -> Any:
    """The zero adjoint of x at the API boundary: `nothing` where x is not differentiable.
    `leaf` makes the zero of a leaf this function does not know (a staged value)."""
    t = type(x)
    if t is float:
        return 0.0
    if isinstance(x, np.floating):
        return type(x)(0)
    if t is np.ndarray:
        return np.zeros_like(x) if x.dtype.kind in "fc" else None
    if t is tuple:
        return tuple(zero_like(v, leaf) for v in x)
    if t is NamedTupleValue:
        return NamedTupleValue(x.names, tuple(zero_like(v, leaf) for v in x.values))
    if t is StructValue:
        return NamedTupleValue(tuple(x.type.typename.fieldnames),
                               tuple(zero_like(v, leaf) for v in x.fields))
    if leaf is not None and differentiable(x):
        return leaf(x)
    return None


def materialize(d: Any, x: Any, leaf: Callable[[Any], Any] | None = None,
                pick: Callable[[Any, Any, Any], Any] | None = None) -> Any:
    """Symbolic zeros inside d become real ones, following the shape of x (`leaf` as
    in `zero_like`).  In staged code an adjoint may be `nothing` on some paths only (a
    `Maybe`): `pick(flag, zero, value)` chooses at run time."""
    if not differentiable(x):
        return None
    if d is None:
        return zero_like(x, leaf)
    if pick is not None and type(d).__name__ == "Maybe":
        return pick(d.flag, zero_like(x, leaf), materialize(d.value, x, leaf, pick))
    t = type(x)
    if t is tuple:
        return tuple(materialize(adj_index(d, i + 1), v, leaf, pick) for i, v in enumerate(x))
    if t is StructValue or t is NamedTupleValue:
        names = tuple(x.type.typename.fieldnames) if t is StructValue else x.names
        vals = x.fields if t is StructValue else x.values
        got = dict(zip(d.names, d.values)) if type(d) is NamedTupleValue else {}
        return NamedTupleValue(names, tuple(materialize(got.get(n), v, leaf, pick)
                                            for n, v in zip(names, vals)))
    if t is float and isinstance(d, (int, np.number)) and not isinstance(d, float):
        return float(d)
    return d


def code_plan(interp: Any, f: Any, xs: list, kw: dict | None) -> tuple | None:
    """How to run a call of Arr code, a closure or a method of a generic function, as IR:
    `(ir, pack, env, closure, layout)`, or None for anything else.  `pack(vals, primal)`
    turns the call's argument list (or a list of their tangents or adjoints: `primal`
    false) into the IR's arguments: a method's leading type argument dropped, varargs
    gathered into a tuple, keywords added.  `layout` = (start, vararg_at) of a method,
    None for a closure: how the IR's arguments line up with the call's."""
    from . import dispatch, types as T
    from .interp import Closure
    from .source import NO_SPAN
    if isinstance(f, Closure):
        info = f.info

        def pack_closure(vals: list, primal: bool) -> list:
            n = info.nparams
            vals = list(vals)
            if info.vararg:
                vals = vals[:n - 1] + [tuple(vals[n - 1:])]
            if info.kwnames or info.kw_vararg:
                vals = vals + [interp.make_kw(kw, info.kwnames, info.kw_vararg, info.name,
                                              NO_SPAN) if primal else None]
            return vals
        return info.ir, pack_closure, None, f, None
    if isinstance(f, dispatch.GenericFunction):
        m, env = dispatch.lookup(f, tuple(map(T.typeof, xs)), NO_SPAN)
        return method_plan(interp, m, env, kw)
    return None


def method_plan(interp: Any, m: Any, env: dict, kw: dict | None) -> tuple | None:
    """`code_plan` for a method already looked up (None: not Arr code)."""
    from .interp import MethodImpl
    from .source import NO_SPAN
    impl = m.impl
    if not isinstance(impl, MethodImpl):
        return None

    def pack_method(vals: list, primal: bool) -> list:
        vals = list(vals[1:] if impl.drop_first else vals)
        if impl.vararg:
            n = impl.nparams - 1
            vals = vals[:n] + [tuple(vals[n:])]
        if impl.has_kw:
            vals = vals + [interp.make_kw(kw, impl.kwnames, impl.kw_vararg, m.name,
                                          NO_SPAN) if primal else None]
        return vals
    layout = (1 if impl.drop_first else 0, impl.nparams - 1 if impl.vararg else None)
    return impl.ir, pack_method, env, None, layout


class InterpreterWork:
    """How differentiation's builtins do their work in the interpreter: calls, runs of
    transformed IR and intrinsics (ad.AD and ad_forward.Forward; their staged subclasses
    in ad_staging.py emit StableHLO instead).  Needs `self.interp` and `self.prims`."""
    interp: Any
    prims: dict

    def invoke(self, f: Any, args: list, kw: dict | None = None) -> Any:
        from .source import NO_SPAN
        return self.interp.invoke_value(f, list(args), kw or None, NO_SPAN)

    def invoke_method(self, m: Any, env: dict, args: list, kw: dict | None) -> Any:
        from .source import NO_SPAN
        return self.interp.invoke_method(m, env, list(args), kw, NO_SPAN)

    def run_ir(self, ir: Any, args: list, env: dict | None, closure: Any) -> Any:
        return self.interp.run(ir, list(args), env, closure)

    def run_prim(self, name: str, extra: tuple) -> Any:
        return prim_runner(self.interp, self.prims, name, extra)


def _py(v: Any) -> Any:
    """An element of a numeric array as the interpreter's scalar (Float64 as a Python float)."""
    if isinstance(v, np.generic):
        if v.dtype == np.float64:
            return float(v)
        if v.dtype == np.int64:
            return int(v)
        if v.dtype == np.bool_:
            return bool(v)
    return v


def prim_runner(interp: Any, prims: dict, name: str, extra: tuple) -> Any:
    """A Python function running the intrinsic `name` (as a `prim` instruction with
    the extra attributes `extra` would) on its arguments."""
    internal = interp._internal
    if name in internal:
        fn = internal[name]
        return lambda *args: fn(*args, *extra)
    p = prims[name]
    if p.needs_ctx:
        return lambda *args: p.impl(interp, *args)
    return p.impl


def differentiable_prim(prims: dict, internal: dict, name: str) -> bool:
    """Whether a `prim` instruction has a derivative (its `derivative` is not "none"; of
    the interpreter's internal intrinsics only `iter_item` has one)."""
    if name in internal:
        return name == "iter_item"
    p = prims.get(name)
    return p is not None and p.derivative not in (None, "none")
