"""The JIT: when to compile a call, the executable cache, and running an executable.

`Interpreter.invoke_method` hands a call to a user-defined method to `JIT.call`.  The
first call with given argument types stages it (`staging.Stager`: the whole call tree
inlined into one StableHLO function), compiles that through `runtime.Runtime`, and keeps
the result under a key of

    (method, world, the argument types and shapes, and the constants it was staged with)

`world` counts definitions: a new method, struct or constant invalidates every entry.
Integer arguments whose value decides a shape are found while staging (`NeedConst`) and
join the key (`Compiled.spec`); other integers stay run-time values.  A call that cannot
be compiled (printing, strings, `try`, recursion of unknown depth, type instability)
is remembered as such and runs in the interpreter; its own calls still come here.

Running: the argument leaves (numbers and arrays, in the order the stager made them
parameters) and the globals the code reads go in; the outputs are the result's run-time
leaves and the error state.  A nonzero error code raises the Arr error recorded for it,
with its source location and Arr stack.
"""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Iterator

import numpy as np

from . import types as T
from .prims.numeric import make_scalar
from .source import ArrError, Span, is_library
from .staging import (DEAD, NeedConst, NotCompilable, Stager, Unstable,
                      flatten, unflatten, Dyn, ERR_DETAILS, Maybe)
from .interp import DIRECT
from .symbolic import Leaf
from .values import NamedTupleValue, StepRange, StructValue, UnitRange

NOPE: Any = object()           # "not compiled: run it in the interpreter"


def _bind_nope() -> None:
    from . import interp
    interp._NOPE = NOPE


_bind_nope()


LOG = os.environ.get("ARR_JIT_LOG") == "1"


def _sig(method: Any, args: list) -> str:
    return f"{method.name}({', '.join('::' + T.show_type(T.typeof(a)) for a in args)})"


def enabled() -> bool:
    return os.environ.get("ARR_JIT", "1") != "0"


@dataclass
class Compiled:
    """One executable and how to call it."""
    exe: Any
    text: str
    inputs: list[tuple]                  # origin of each parameter: (arg, path...) / ("global", name, path...)
    spec: frozenset                      # argument leaves staged as constants
    result_skel: Any
    result_leaves: list[Any]             # per leaf: ("const", v) | ("out", dtype, is_array)
    n_err: int                           # 0 or 1 + ERR_DETAILS outputs at the end
    errors: list[Any]
    globals_keys: dict = field(default_factory=dict)   # global name -> _arg_key at staging
    stage_seconds: float = 0.0
    compile_seconds: float = 0.0
    plain: list[int] | None = None       # inputs are whole arguments: their indices
    single: Any = None                   # the result is one run-time scalar: its converter

    def __post_init__(self) -> None:
        if all(len(o) == 1 and o[0] != "global" for o in self.inputs):
            self.plain = [o[0] for o in self.inputs]
        if isinstance(self.result_skel, Leaf) and len(self.result_leaves) == 1 and \
                self.result_leaves[0][0] == "out" and not self.result_leaves[0][2]:
            self.single = _SCALAR_OUT.get(np.dtype(self.result_leaves[0][1]).char) or \
                (lambda x, dt=self.result_leaves[0][1]: make_scalar(x, dt))


@dataclass
class Entry:
    """Per (method, argument types): the specialisations compiled, or why it cannot be."""
    spec: frozenset = frozenset()
    variants: dict[tuple, Compiled] = field(default_factory=dict)
    reason: str | None = None
    tape_cap: int = 64          # records per block a tape of compiled reverse mode holds


class JIT:
    def __init__(self, interp: Any) -> None:
        self.interp = interp
        self.entries: dict[tuple, Entry] = {}
        self.world = 0
        self.warned: set[str] = set()
        self.stats = {"compiled": 0, "calls": 0, "interpreted": 0, "compile_seconds": 0.0}
        self.busy = False

    def forget_failures(self) -> None:
        """A new global exists: calls that could not compile may now."""
        for k in [k for k, e in self.entries.items() if e.reason is not None]:
            del self.entries[k]

    def invalidate(self) -> None:
        """A definition changed: every executable may depend on the old one."""
        self.world += 1
        self.entries.clear()

    # ------------------------------------------------------------------ calls
    def call(self, method: Any, env: dict, args: list, span: Span | None,
             kw: dict | None = None) -> Any:
        """Run a call of `method` compiled, or return NOPE.  Keyword arguments follow the
        positional ones (`kwnames` says which)."""
        kwnames: tuple = ()
        if kw:
            kwnames = tuple(kw)
            args = list(args) + list(kw.values())
        try:
            key = (id(method), kwnames, tuple(map(_arg_key, args)))
        except _Unkeyable:
            return NOPE
        entry = self.entries.get(key)
        if entry is None:
            entry = self.entries[key] = Entry()
        if entry.reason is not None:
            return NOPE
        vkey = tuple(_leaf_at(args, o) for o in entry.spec) if entry.spec else ()
        comp = entry.variants.get(vkey)
        if comp is None:
            comp = self.compile(method, env, args, entry, span, kwnames)
            if comp is None:
                return NOPE
            vkey = tuple(_leaf_at(args, o) for o in entry.spec) if entry.spec else ()
            entry.variants[vkey] = comp
        if comp.globals_keys and not self._globals_unchanged(comp):
            entry.variants.clear()
            return self.call(method, env, args[:len(args) - len(kwnames)], span, kw)
        self.stats["calls"] += 1
        from .ad_staging import TapeFull
        from .control import Deopt
        try:
            return self.run(comp, args)
        except Deopt:
            self.stats["deopt"] = self.stats.get("deopt", 0) + 1
            return NOPE              # a path that needs the interpreter: run it there
        except TapeFull:
            # a loop ran longer than the tape holds: compile for 8 times the room
            entry.tape_cap *= 8
            entry.variants.clear()
            return self.call(method, env, args[:len(args) - len(kwnames)], span, kw)

    def _globals_unchanged(self, comp: Compiled) -> bool:
        g = self.interp.globals
        try:
            return all(_arg_key(g.get(n)) == k for n, k in comp.globals_keys.items())
        except _Unkeyable:
            return False

    def compile(self, method: Any, env: dict, args: list, entry: Entry,
                span: Span | None, kwnames: tuple = ()) -> Compiled | None:
        from .runtime import get_runtime
        t0 = time.perf_counter()
        try:
            text, st, skel, leaves, n_err = self.stage(method, env, args, entry,
                                                       kwnames=kwnames)
        except NotCompilable as e:
            entry.reason = e.reason
            self.stats["interpreted"] += 1
            if LOG:
                where = f" at {e.span.location()}" if e.span is not None else ""
                reason = e.reason.split("\n", 1)[0]
                sys.stderr.write(f"jit: {_sig(method, args)} interpreted: {reason}{where}\n")
            if isinstance(e, Unstable) and not e.quiet:
                self.warn(method, e)
            return None
        t1 = time.perf_counter()
        exe = get_runtime().compile(text)
        t2 = time.perf_counter()
        self.stats["compiled"] += 1
        self.stats["compile_seconds"] += t2 - t0
        if LOG:
            sys.stderr.write(f"jit: {_sig(method, args)} compiled (staging {1e3 * (t1 - t0):.1f} ms, "
                             f"XLA {1e3 * (t2 - t1):.1f} ms)\n")
        self.interp.compile_seconds += t2 - t0
        gkeys = {n: _arg_key(self.interp.globals.get(n)) for n in st.globals_read}
        return Compiled(exe, text, list(st.inputs), st.spec, skel, leaves, n_err, st.errors,
                        gkeys, t1 - t0, t2 - t1)

    def stage(self, method: Any, env: dict, args: list, entry: Entry | None = None,
              spec: frozenset = frozenset(), kwnames: tuple = ()) -> tuple:
        """Stage a call into StableHLO text (specialising on integers as needed)."""
        if entry is not None:
            spec = entry.spec
        for _ in range(8):
            st = Stager(self.interp, spec)
            if entry is not None:
                st.tape_cap = entry.tape_cap
            try:
                syms = [st.input(a, (i,)) for i, a in enumerate(args)]
                n = len(syms) - len(kwnames)
                kw = dict(zip(kwnames, syms[n:])) if kwnames else None
                res = st.invoke_method(method, env, syms[:n], kw)
            except NeedConst as e:
                if not e.origins or e.origins <= spec or any(o[0] == "global" for o in e.origins):
                    raise NotCompilable(e.reason, e.span)
                # the integers inside structs (a layer's stride and padding, sizes) are
                # configuration: specialise on them all at once, not one staging each
                spec = spec | e.origins | frozenset(_struct_ints(args))
                if entry is not None:
                    entry.spec = spec
                continue
            break
        else:
            raise NotCompilable("too many specialisations")
        text, skel, leaves, n_err = self.finish(st, res)
        return text, st, skel, leaves, n_err

    def finish(self, st: Stager, res: Any) -> tuple:
        em = st.em
        outs: list[Dyn] = []
        desc: list[Any] = []
        if res is DEAD:
            skel = ("const", None)
        else:
            leaves: list = []
            skel = flatten(res, leaves)
            if _staged_builtin_in(skel):
                # a pullback made while staging works only inside its module
                raise NotCompilable("a pullback returned from compiled code")
            for v in leaves:
                if isinstance(v, Dyn):
                    outs.append(v)
                    desc.append(("out", v.dtype, v.is_array))
                elif isinstance(v, np.ndarray):
                    desc.append(("const", v.copy()))
                else:
                    desc.append(("const", v))
        n_err = 0
        code = st.err[0]
        if isinstance(code, Dyn) or code != 0:
            n_err = 1 + ERR_DETAILS
            for v in st.err:
                outs.append(st.dyn(v, np.int64))
        em.ret([(d.name, d.htype) for d in outs], "func.return")
        text = em.module(st.params, [d.htype for d in outs])
        return text, skel, desc, n_err

    # ------------------------------------------------------------------ running
    def run(self, comp: Compiled, args: list) -> Any:
        if comp.plain is not None:               # every input is a whole argument
            vals = [args[i] for i in comp.plain]
        else:
            vals = [_input_value(self.interp.globals, args, o) for o in comp.inputs]
        try:
            outs = comp.exe.run_trusted(vals)
        except Exception:       # noqa: BLE001 -- e.g. a value the dispatcher will not take as is
            outs = comp.exe.run_trusted([_to_device_value(v) for v in vals])
        if comp.n_err:
            code = np.asarray(outs[-comp.n_err])
            if code:
                code = int(code)
                details = tuple(int(x) for x in outs[len(outs) - comp.n_err + 1:])
                site = comp.errors[code - 1]
                e = site.make(details)
                if e.span is None:
                    e.span = site.span
                e.stack = list(site.stack)
                raise e
        if comp.single is not None:              # one run-time scalar: the common case
            return comp.single(np.asarray(outs[0]))
        it = iter(outs)
        leaves = []
        for d in comp.result_leaves:
            if d[0] == "const":
                c = d[1]
                leaves.append(c.copy() if isinstance(c, np.ndarray) else c)
            else:
                x = np.asarray(next(it))
                if d[2]:
                    # a read-only view of the device buffer: an update in place copies it
                    # first (indexing.py), so it is handed out as is
                    leaves.append(x)
                else:
                    leaves.append(make_scalar(x[()], d[1]))
        return _settle(unflatten(comp.result_skel, iter(leaves)))

    def warn(self, method: Any, e: NotCompilable) -> None:
        if os.environ.get("ARR_STRICT") == "1":
            from .source import Frame, error_class
            err = error_class("CompileError")(f"{method.name} is not type-stable: {e.reason}",
                                              e.span)
            if e.span is not None:
                err.stack.append(Frame(method.name, e.span))
            raise err
        key = f"{method.name}:{e.reason}"
        if key in self.warned:
            return
        self.warned.add(key)
        where = ""
        if e.span is not None and not is_library(e.span) and e.span.source.name != "<none>":
            where = f" ({e.span.location()})"
        sys.stderr.write(f"warning: {method.name} runs in the interpreter: {e.reason}{where}\n")


def _staged_builtin_in(skel: Any) -> bool:
    if isinstance(skel, tuple):
        if skel and skel[0] == "back":
            return True
        if skel and skel[0] == "const":
            return getattr(skel[1], "stage", None) == DIRECT
        return any(_staged_builtin_in(x) for x in skel)
    return False


def _settle(v: Any) -> Any:
    """Replace the run-time unions (`Maybe`) in a result by what they turned out to be."""
    t = type(v)
    if t is Maybe:
        return None if v.flag else _settle(v.value)
    if t is tuple:
        return tuple(_settle(x) for x in v) if any(_has_maybe(x) for x in v) else v
    if t is StructValue and any(_has_maybe(x) for x in v.fields):
        return StructValue(v.type, tuple(_settle(x) for x in v.fields))
    if t is NamedTupleValue and any(_has_maybe(x) for x in v.values):
        return NamedTupleValue(v.names, tuple(_settle(x) for x in v.values))
    return v


def _has_maybe(v: Any) -> bool:
    t = type(v)
    return t is Maybe or (t is tuple and any(_has_maybe(x) for x in v))


class _Unkeyable(Exception):
    pass


def _arg_key(v: Any) -> Any:
    """What the executable depends on in an argument: types and shapes (and the identity
    of constants such as functions and strings)."""
    t = type(v)
    if t is float or t is int or t is bool:
        return t
    if t is np.ndarray:
        if v.dtype.kind not in "biuf":
            raise _Unkeyable
        return (v.dtype.char, v.shape)
    if t is tuple:
        return tuple(_arg_key(x) for x in v)
    if t is StructValue:
        return (id(v.type), tuple(_arg_key(x) for x in v.fields))
    if t is NamedTupleValue:
        return (v.names, tuple(_arg_key(x) for x in v.values))
    if t is UnitRange:
        return ("r", _arg_key(v.start), _arg_key(v.stop))
    if t is StepRange:
        return ("s", _arg_key(v.start), _arg_key(v.step), _arg_key(v.stop))
    if isinstance(v, np.generic):
        return v.dtype.char
    if t is str:
        return ("str", v)
    if v is None:
        return None
    if t.__name__ == "Closure":
        return (id(v.info), tuple(_arg_key(x) for x in v.captures))
    if T.is_type(v):
        return ("type", id(v))
    try:
        hash(v)
    except TypeError:
        raise _Unkeyable
    return ("obj", id(v))


_SCALAR_OUT = {"d": float, "l": int, "q": int, "?": bool}


def _input_value(g: dict, args: list, o: tuple) -> Any:
    if o[0] == "global":
        v = g[o[1]]
        rest = o[2:]
    else:
        v = args[o[0]]
        rest = o[1:]
    for k in rest:
        v = _child(v, k)
    return v


def _child(v: Any, k: int) -> Any:
    t = type(v)
    if t is tuple:
        return v[k]
    if t is StructValue:
        return v.fields[k]
    if t is NamedTupleValue:
        return v.values[k]
    if t is UnitRange:
        return (v.start, v.stop)[k]
    if t is StepRange:
        return (v.start, v.step, v.stop)[k]
    return v.captures[k]


def _struct_ints(args: list) -> Iterator[tuple]:
    """The paths (as `_leaf_at` takes them) of the Int leaves inside struct arguments."""
    def walk(v: Any, path: tuple, inside: bool) -> Iterator[tuple]:
        t = type(v)
        if t is int:
            if inside:
                yield path
        elif t is tuple:
            for k, x in enumerate(v):
                yield from walk(x, path + (k,), inside)
        elif t is StructValue:
            for k, x in enumerate(v.fields):
                yield from walk(x, path + (k,), True)
        elif t is NamedTupleValue:
            for k, x in enumerate(v.values):
                yield from walk(x, path + (k,), inside)
    for i, a in enumerate(args):
        yield from walk(a, (i,), False)


def _leaf_at(args: list, origin: tuple) -> Any:
    v = args[origin[0]]
    for k in origin[1:]:
        v = _child(v, k)
    return v


_DEVICE = {float: np.float64, int: np.int64, bool: np.bool_}


def _to_device_value(v: Any) -> Any:
    conv = _DEVICE.get(type(v))
    if conv is not None:
        if conv is np.int64 and not (-2**63 <= v < 2**63):
            v = ((v + 2**63) % 2**64) - 2**63
        return conv(v)
    if isinstance(v, np.ndarray) and not v.flags.c_contiguous:
        return np.ascontiguousarray(v)
    return v


__all__ = ["JIT", "NOPE", "enabled", "ArrError"]
