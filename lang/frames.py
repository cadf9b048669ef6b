"""Running one IR function: preparation into Python closures, and the block loop.

`prepare` turns every instruction into a closure `step(regs, frame)` once per function;
`run_prepared` walks the blocks, passing block arguments on branches, and turns Python
failures into Arr errors that carry the failing instruction's span and the Arr stack.
"""
from __future__ import annotations

import sys
import time
from typing import Any, Callable

import numpy as np

from . import dispatch, types as T
from .ir import IRFunction, UNDEF
from .source import (ArrError, is_library, DivideError, Frame, OverflowError_, StackOverflowError,
                     TypeError_, UndefVarError, error_class)
from .typeeval import NewMarker
from .values import NamedTupleValue, StructValue, UnitRange, StepRange, box

_MISSING = object()


class FrameState:
    __slots__ = ("args", "env", "closure", "handlers")

    def __init__(self, args: list, env: dict | None, closure: Any) -> None:
        self.args = args
        self.env = env
        self.closure = closure
        self.handlers: list[int] = []


class Prepared:
    __slots__ = ("blocks", "nregs")

    def __init__(self, blocks: list, nregs: int) -> None:
        self.blocks = blocks
        self.nregs = nregs


def splat_values(interp: Any, v: Any) -> list:
    """The elements of a splatted argument `xs...`."""
    if isinstance(v, tuple):
        return list(v)
    if isinstance(v, np.ndarray):
        return [box(x) for x in v.reshape(-1)]
    if isinstance(v, NamedTupleValue):
        return list(v.values)
    if isinstance(v, (UnitRange, StepRange)):
        return [box(x) for x in interp.call(interp.globals["collect"], v)]
    if isinstance(v, str):
        return list(v)
    out = []
    nxt = interp.call(interp.globals["iterate"], v)
    while nxt is not None:
        out.append(nxt[0])
        nxt = interp.call(interp.globals["iterate"], v, nxt[1])
    return out


def field_index(t: Any, name: str) -> int:
    names = T.fieldnames(t)
    try:
        return names.index(name)
    except ValueError:
        return -1


def get_field(obj: Any, name: str, span) -> Any:
    if isinstance(obj, StructValue):
        i = field_index(obj.type, name)
        if i >= 0:
            return obj.fields[i]
        raise error_class("ErrorException")(
            f"type {T.show_type(obj.type)} has no field {name}", span)
    if isinstance(obj, (UnitRange, StepRange)) and name in ("start", "stop", "step"):
        if name == "step":
            return obj.step if isinstance(obj, StepRange) else 1
        return getattr(obj, name)
    if isinstance(obj, NamedTupleValue):
        if name in obj.names:
            return obj.values[obj.names.index(name)]
        raise error_class("ErrorException")(
            f"type NamedTuple has no field {name}", span)
    raise error_class("ErrorException")(
        f"type {T.show_type(T.typeof(obj))} has no field {name}", span)


def exception_value(e: ArrError) -> Any:
    """The Arr value a `catch err` sees for an error raised by the runtime."""
    if e.value is not None:
        return e.value
    return T.make_exception(e.kind, e.message)


def _internal_prims(interp: Any) -> dict[str, Callable[..., Any]]:
    def kwget(kw: NamedTupleValue, name: str) -> Any:
        return kw.values[kw.names.index(name)] if name in kw.names else UNDEF

    def kwrest(kw: NamedTupleValue, known: tuple) -> NamedTupleValue:
        keep = [(n, v) for n, v in zip(kw.names, kw.values) if n not in known]
        return NamedTupleValue(tuple(n for n, _ in keep), tuple(v for _, v in keep))

    def iter_item(t: tuple, i: int) -> Any:
        return t[i - 1]            # `(item, state)` from `iterate`: always a 2-tuple

    def setfield_error(obj: Any, name: str) -> None:
        raise error_class("ErrorException")(
            f"setfield!: immutable struct of type {T.show_type(T.typeof(obj))} cannot be "
            f"changed (fields of Arr structs are values: build a new struct instead)")

    def time_start() -> tuple:
        return (time.perf_counter_ns(), interp.compile_seconds)

    def time_report(t0: tuple) -> None:
        """@time's line: elapsed seconds and, as in Julia, the share spent compiling."""
        dt = (time.perf_counter_ns() - t0[0]) / 1e9
        comp = interp.compile_seconds - t0[1]
        extra = f" ({100 * comp / dt:.2f}% compilation time)" if comp > 0 and dt > 0 else ""
        interp.out.write(f"  {dt:.6f} seconds{extra}\n")
        return None

    return {
        "kwget": kwget, "kwrest": kwrest,
        "isundef": lambda v: v is UNDEF,
        "isnothing": lambda v: v is None,
        "iter_item": iter_item,
        "apply_type": _apply_type,
        "new_marker": lambda name: NewMarker(interp.globals[name]),
        "time_start": time_start,
        "time_report": time_report,
        "setfield_error": setfield_error,
    }


def _apply_type(base: Any, *ps: Any) -> Any:
    if isinstance(base, NewMarker):
        return NewMarker(T.apply_type(base.type, ps))
    return T.apply_type(base, ps)


def prepare(interp: Any, ir: IRFunction) -> Prepared:
    internal = getattr(interp, "_internal", None)
    if internal is None:
        internal = interp._internal = _internal_prims(interp)
    from .prims import PRIMITIVES
    consumed, dead_on_edge = consuming_updates(ir)
    blocks = []
    for blk in ir.blocks:
        steps, spans = [], []
        for k, inst in enumerate(blk.insts):
            steps.append(_make_step(interp, ir, inst, internal, PRIMITIVES,
                                    (blk.id, k) in consumed))
            spans.append(inst.span)
        t = blk.term
        dead = [dead_on_edge.get((blk.id, tgt), ()) for tgt in t.targets]
        if t.op == "br":
            term = (0, t.targets[0], t.target_args[0], dead[0])
        elif t.op == "condbr":
            term = (1, t.args[0], t.targets[0], t.target_args[0], t.targets[1], t.target_args[1],
                    dead[0], dead[1])
        elif t.op == "ret":
            term = (2, t.args[0])
        else:
            term = (3,)
        blocks.append((blk.params, steps, spans, term))
    return Prepared(blocks, ir.nregs)


def consuming_updates(ir: IRFunction) -> tuple[set[tuple[int, int]], dict]:
    """Where an array update may reuse the array: value semantics at the cost of the update.

    `x[i] = v` is `x = setindex(x, v, i)`.  When the old value of `x` is used by nothing
    else, the update may write into it instead of copying it (a fill loop is then linear).
    1. A backward liveness pass over the blocks (block parameters are definitions, branch
       arguments are uses, a `try` handler is a successor of the block that enters it).
    2. A `setindex` call whose array register is not live after it is *consuming*: the frame
       drops that register before the call (`_make_step`).
    3. On each branch, the registers passed as block arguments that the target does not use
       otherwise are dropped too (`dead_on_edge`), so that a loop-carried array is not kept
       alive by the register it came from.
    4. At the call, `sys.getrefcount` then tells whether anything else (another variable,
       a closure, a tuple, the caller) still holds the array; only if nothing does is it
       updated in place (`_owned_update`).
    Returns the (block, index) of consuming calls and, per (block, target) edge, the
    registers to drop after the branch."""
    getglobal = {i.res: i.attr for b in ir.blocks for i in b.insts if i.op == "getglobal"}
    succs: dict[int, list[int]] = {
        b.id: list(b.term.targets) + [i.attr for i in b.insts if i.op == "try_enter"]
        for b in ir.blocks}
    params = {b.id: set(b.params) for b in ir.blocks}
    term_uses = {b.id: set(b.term.args) | {x for ta in b.term.target_args for x in ta}
                 for b in ir.blocks}
    live_in: dict[int, set[int]] = {b.id: set() for b in ir.blocks}

    def live_out(b: Any) -> set[int]:
        out = set(term_uses[b.id])
        for sid in succs[b.id]:
            out |= live_in[sid] - params[sid]
        return out

    changed = True
    while changed:
        changed = False
        for b in reversed(ir.blocks):
            live = live_out(b)
            for inst in reversed(b.insts):
                live.discard(inst.res)
                live.update(inst.args)
            if live != live_in[b.id]:
                live_in[b.id] = live
                changed = True
    consumed: set[tuple[int, int]] = set()
    dead_on_edge: dict[tuple[int, int], tuple[int, ...]] = {}
    for b in ir.blocks:
        live = live_out(b)
        for k in range(len(b.insts) - 1, -1, -1):
            inst = b.insts[k]
            live.discard(inst.res)
            if inst.op == "call" and len(inst.args) >= 2 and inst.attr == (None, ()) and \
                    getglobal.get(inst.args[0]) == "setindex" and inst.args[1] not in live \
                    and inst.args.count(inst.args[1]) == 1:
                consumed.add((b.id, k))
            live.update(inst.args)
        t = b.term
        for tgt, targs in zip(t.targets, t.target_args):
            keep = live_in[tgt] - params[tgt]
            drop = tuple(sorted({x for x in targs if x not in keep and x not in t.args}))
            if drop:
                dead_on_edge[(b.id, tgt)] = drop
    return consumed, dead_on_edge


def _owned_update(interp: Any, args: list, span: Any) -> Any:
    """`setindex(x, v, idx...)` on an array nothing else holds: update it in place.

    Returns _MISSING when the fast path does not apply (the call then dispatches as usual).
    The caller frame has dropped its register, so `args` is its only reference."""
    if sys.getrefcount(args[0]) > _UNIQUE_REFS:
        return _MISSING
    m, _ = dispatch.lookup(interp.globals["setindex"], tuple(map(T.typeof, args)), span)
    if m.name != "setindex" or m.span is None or not is_library(m.span):
        return _MISSING               # a user method for arrays: respect it
    from .prims.indexing import setindex
    return setindex(args[0], args[1], tuple(args[2:]), inplace=True)


def _refs_of_fresh_array() -> int:
    """The reference count `_owned_update` sees for an array held only by `args`."""
    args = [np.zeros(1)]
    return sys.getrefcount(args[0])


_UNIQUE_REFS = _refs_of_fresh_array()


def _make_step(interp: Any, ir: IRFunction, inst: Any, internal: dict, prims: dict,
               consume: bool = False):
    op, r, a, attr, span = inst.op, inst.res, inst.args, inst.attr, inst.span
    g = interp.globals

    if op == "const":
        def step(regs, fr):
            regs[r] = attr
    elif op == "arg":
        def step(regs, fr):
            regs[r] = fr.args[attr]
    elif op == "sparam":
        def step(regs, fr):
            try:
                regs[r] = fr.env[attr]
            except (KeyError, TypeError):
                raise UndefVarError(f"static parameter {attr} not defined", span) from None
    elif op == "getglobal":
        def step(regs, fr):
            v = g.get(attr, _MISSING)
            if v is _MISSING:
                raise UndefVarError(f"`{attr}` not defined", span)
            regs[r] = v
    elif op == "setglobal":
        a0 = a[0]

        def step(regs, fr):
            if attr in interp.consts:
                raise error_class("ErrorException")(f"invalid redefinition of constant {attr}",
                                                    span)
            v = regs[a0]
            if interp.jit is not None:
                old = g.get(attr, _MISSING)
                if old is _MISSING:      # a new global: calls that lacked it may compile
                    interp.jit.forget_failures()
                elif not (_runtime_input(v) and _runtime_input(old)):
                    interp.invalidate()  # compiled code may have this global built in
            g[attr] = v
    elif op == "call":
        flags, kwnames = attr
        nkw = len(kwnames)
        fa = a[0]
        pos = a[1:len(a) - nkw] if nkw else a[1:]
        kwregs = a[len(a) - nkw:] if nkw else ()
        invoke = interp.invoke_value
        GF = dispatch.GenericFunction
        lookup = dispatch.lookup
        typeof = T.typeof
        invoke_method = interp.invoke_method

        def call_positional(f: Any, args: list) -> Any:
            if type(f) is GF:
                m, env = lookup(f, tuple(map(typeof, args)), span)
                return invoke_method(m, env, args, None, span)
            return invoke(f, args, None, span)

        if consume:
            a1 = a[1]

            def step(regs, fr):
                f = regs[fa]
                args = [regs[x] for x in pos]
                regs[a1] = None          # the old array dies here (consuming_updates)
                if type(args[0]) is np.ndarray and f is g.get("setindex"):
                    v = _owned_update(interp, args, span)
                    if v is not _MISSING:
                        regs[r] = v
                        return
                regs[r] = call_positional(f, args)
        elif flags is None and not nkw:
            def step(regs, fr):          # the hottest path: call_positional, inlined
                f = regs[fa]
                args = [regs[x] for x in pos]
                if type(f) is GF:
                    m, env = lookup(f, tuple(map(typeof, args)), span)
                    regs[r] = invoke_method(m, env, args, None, span)
                else:
                    regs[r] = invoke(f, args, None, span)
        else:
            def step(regs, fr):
                f = regs[fa]
                if flags is None:
                    args = [regs[x] for x in pos]
                else:
                    args = []
                    for x, fl in zip(pos, flags):
                        if fl:
                            args.extend(splat_values(interp, regs[x]))
                        else:
                            args.append(regs[x])
                kw = None
                if nkw:
                    kw = {}
                    for k, x in zip(kwnames, kwregs):
                        if k == "...":
                            v = regs[x]
                            if isinstance(v, NamedTupleValue):
                                kw.update(zip(v.names, v.values))
                            elif v is not None:
                                raise error_class("ArgumentError")(
                                    "keyword splat must be a NamedTuple", span)
                        else:
                            kw[k] = regs[x]
                regs[r] = invoke(f, args, kw, span)
    elif op == "prim":
        name = attr[0]
        extra = attr[1:]
        if name in internal:
            fn = internal[name]
            if extra:
                def step(regs, fr):
                    regs[r] = fn(*[regs[x] for x in a], *extra)
            else:
                def step(regs, fr):
                    regs[r] = fn(*[regs[x] for x in a])
        else:
            p = prims.get(name)
            if p is None:
                def step(regs, fr):
                    raise error_class("ErrorException")(f"unknown intrinsic {name}", span)
            elif p.needs_ctx:
                fn = p.impl

                def step(regs, fr):
                    regs[r] = fn(interp, *[regs[x] for x in a])
            else:
                fn = p.impl

                def step(regs, fr):
                    regs[r] = fn(*[regs[x] for x in a])
    elif op == "tuple":
        def step(regs, fr):
            regs[r] = tuple([regs[x] for x in a])
    elif op == "namedtuple":
        def step(regs, fr):
            regs[r] = NamedTupleValue(attr, tuple([regs[x] for x in a]))
    elif op == "getfield":
        a0 = a[0]

        def step(regs, fr):
            regs[r] = get_field(regs[a0], attr, span)
    elif op == "closure":
        from .interp import Closure
        info = attr
        if not hasattr(info, "arr_type"):
            info.arr_type = T.function_type("#" + info.name)

        def step(regs, fr):
            regs[r] = Closure(info, tuple([regs[x] for x in a]), info.arr_type)
    elif op == "capture":
        def step(regs, fr):
            regs[r] = fr.closure.captures[attr]
    elif op == "self":
        def step(regs, fr):
            regs[r] = fr.closure
    elif op == "box_new":
        from .interp import Box

        def step(regs, fr):
            regs[r] = Box()
    elif op == "box_get":
        a0 = a[0]

        def step(regs, fr):
            v = regs[a0].value
            if v is UNDEF:
                raise UndefVarError(f"`{attr}` not defined", span)
            regs[r] = v
    elif op == "box_set":
        a0, a1 = a

        def step(regs, fr):
            regs[a0].value = regs[a1]
    elif op == "checkdef":
        a0 = a[0]

        def step(regs, fr):
            v = regs[a0]
            if v is UNDEF:
                raise UndefVarError(f"`{attr}` not defined", span)
            regs[r] = v
    elif op == "typeassert":
        a0, a1 = a

        def step(regs, fr):
            v, t = regs[a0], regs[a1]
            if not T.isa(v, t):
                raise TypeError_(f"in typeassert, expected {T.show_type(t)}, got a value of "
                                 f"type {T.show_type(T.typeof(v))}", span)
            regs[r] = v
    elif op == "boolcheck":
        a0 = a[0]

        def step(regs, fr):
            v = regs[a0]
            if type(v) is not bool:
                if isinstance(v, np.bool_):
                    v = bool(v)
                else:
                    raise TypeError_(f"non-boolean ({T.show_type(T.typeof(v))}) used in "
                                     f"boolean context", span)
            regs[r] = v
    elif op == "defmethod":
        def step(regs, fr):
            interp.define_method(attr, span)
            regs[r] = g.get(attr.name) if attr.name else None
    elif op == "defstruct":
        def step(regs, fr):
            regs[r] = interp.define_struct(attr, span)
    elif op == "defabstract":
        def step(regs, fr):
            regs[r] = interp.define_abstract(attr, span)
    elif op == "try_enter":
        def step(regs, fr):
            fr.handlers.append(attr)
    elif op == "try_leave":
        def step(regs, fr):
            fr.handlers.pop()
    elif op == "macro":
        def step(regs, fr):
            regs[r] = interp.run_macro(attr, [regs[x] for x in a], span, fr)
    else:
        raise AssertionError(f"no interpreter rule for {op}")
    return step


def _runtime_input(v: Any) -> bool:
    """Whether compiled code reads this global's value at call time (numbers, arrays and
    containers of them) rather than building it in."""
    t = type(v)
    return t is float or t is int or t is bool or t is np.ndarray or t is tuple or \
        t is StructValue or t is NamedTupleValue


def _convert_python_error(e: BaseException) -> ArrError:
    if isinstance(e, RecursionError):
        return StackOverflowError("stack overflow (too deep recursion)", None)
    if isinstance(e, ZeroDivisionError):
        return DivideError("integer division error", None)
    if isinstance(e, OverflowError):
        return OverflowError_(str(e), None)
    if isinstance(e, MemoryError):
        return error_class("OutOfMemoryError")("out of memory", None)
    err = error_class("InternalError")(f"{type(e).__name__}: {e}", None)
    err.__cause__ = e
    return err


def run_prepared(interp: Any, prep: Prepared, ir: IRFunction, args: list, env: dict | None,
                 closure: Any) -> Any:
    regs: list[Any] = [None] * prep.nregs
    fr = FrameState(args, env, closure)
    blocks = prep.blocks
    bid = 0
    while True:
        params, steps, spans, term = blocks[bid]
        k = 0
        try:
            for k in range(len(steps)):
                steps[k](regs, fr)
        except (ArrError, Exception) as exc:
            if isinstance(exc, ArrError):
                e = exc
            else:
                if isinstance(exc, BrokenPipeError):
                    raise               # the reader of stdout went away: not an Arr error
                e = _convert_python_error(exc)
            span = spans[k] if spans else None
            if e.span is None:
                e.span = span
            if fr.handlers:
                hb = fr.handlers.pop()
                regs[blocks[hb][0][0]] = exception_value(e)
                bid = hb
                continue
            e.stack.append(Frame(ir.name, span))
            if e is exc:
                raise
            raise e from (exc if interp_debug() else None)
        kind = term[0]
        if kind == 0:
            tgt = term[1]
            if tgt <= bid:          # a back edge: let a deadline or an interrupt stop loops
                interp.fuel -= 1
                if interp.fuel <= 0:
                    interp.refuel(ir.blocks[bid].term.span)
            vals = [regs[x] for x in term[2]]
            for x in term[3]:
                regs[x] = None
            for p, v in zip(blocks[tgt][0], vals):
                regs[p] = v
            vals = v = None         # hold no stale reference (consuming_updates counts them)
            bid = tgt
        elif kind == 1:
            if regs[term[1]]:
                tgt, targs, dead = term[2], term[3], term[6]
            else:
                tgt, targs, dead = term[4], term[5], term[7]
            vals = [regs[x] for x in targs]
            for x in dead:
                regs[x] = None
            for p, v in zip(blocks[tgt][0], vals):
                regs[p] = v
            vals = v = None         # hold no stale reference (consuming_updates counts them)
            bid = tgt
        elif kind == 2:
            return regs[term[1]]
        else:
            raise error_class("ErrorException")("reached unreachable code", None)


def interp_debug() -> bool:
    import os
    return os.environ.get("ARR_DEBUG") == "1"
