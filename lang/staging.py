"""Staging: one call with concrete argument types becomes one StableHLO module.

The stager is an abstract interpreter over the SSA IR (a partial evaluator).  It runs the
method the way the interpreter would, but each value is *symbolic*:

* a compile-time constant, in the interpreter's own representation (`values.py`): numbers,
  types, functions, symbols, strings, `nothing`;
* a `Dyn`: a run-time value living in an SSA value of the StableHLO function, with its Arr
  type and its shape;
* a container of those: a tuple, a named tuple, a struct, a range, a closure (structs and
  tuples are thus flattened to leaves, which cost nothing when they are constants);
* a `Maybe`: `Union{Nothing, T}` known only at run time (what `iterate` returns in a loop).

Everything that depends only on constants is computed right away (shapes, types, dispatch,
tuple indexing), so calls are resolved at compile time and inlined: the whole call tree
becomes one function.  An intrinsic applied to run-time values emits its StableHLO
(`Primitive.lower`, written next to the intrinsic).  Control flow is rebuilt from the CFG
(`cfg.py`):

* a branch on a constant follows one side;
* a branch on run-time data emits `stablehlo.if`; both sides run up to the branch's
  immediate post-dominator, where their values are merged (`_merge`): equal constants
  stay constants, anything else becomes a result of the `if`;
* a loop becomes `stablehlo.while`.  Which header values are loop-carried is found by a
  fixed point: the body is traced into a scratch buffer, and a value that comes back
  changed is widened from a constant to a run-time value.  A value that changes *type*
  (a `for` over a tuple, `x = layer(x)` over layers) cannot be carried: the loop is then
  unrolled at compile time (section 6), which works when its trip count is a constant;
* `break`, `continue`, and `return` inside loops are exits of the loop region: the while
  loop carries a selector saying which exit was taken and each exit's values, and the
  code after the loop dispatches on it (`stablehlo.case`).

Run-time errors (out-of-bounds indices, `error(...)`, `throw`) set an error state carried
through every `if` and `while` (a code and up to four Int64 details); the runtime raises
the Arr error with its source location after the executable returns (`Staged.errors`).
What cannot be compiled (printing, strings computed at run time, `try`, unbounded
recursion, type instability) raises `NotCompilable`, and the call runs in the interpreter.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from . import dispatch, hlo, types as T
from .ir import UNDEF
from .prims import PRIMITIVES
from .prims.numeric import dtype_of
from .source import ArrError, Frame, Span
from .values import NamedTupleValue, StepRange, StructValue, UnitRange
from .control import ControlFlow
from .symbolic import (  # noqa: F401  (the names lowerings use, re-exported)
    DEAD, Back, Dyn, ErrorSite, FrameState, Maybe, NeedConst, NotCompilable, Outcome, StaticError,
    TooDeep, Unstable, array_type, describe, flatten, has_dyn, has_dyn_able, is_scalar_type,
    scalar_type, skel_equal, unflatten, _leaves, _numeric_const)

MAX_DEPTH = 120          # inlined call depth (deeper: recursion of unknown depth)
ERR_DETAILS = 4          # Int64 details an error can carry (indices for BoundsError)


# ============================================================================ the stager
class Stager(ControlFlow):
    """Traces one call into an `hlo.Emitter`.  Intrinsic lowerings receive it as `ctx`."""

    def __init__(self, interp: Any, spec: frozenset = frozenset()) -> None:
        from .frames import _internal_prims
        self.interp = interp
        self.em = hlo.Emitter()
        self.spec = spec                       # argument leaves specialised on their value
        self.params: list[tuple[str, str]] = []
        self.inputs: list[tuple] = []          # how to find each parameter's value
        self.globals_read: dict[str, Any] = {}
        self.errors: list[ErrorSite] = []
        self.err: tuple = (0,) * (1 + ERR_DETAILS)
        self.frames: list[FrameState] = []
        self.unrolling: set[tuple[int, int]] = set()
        self.batch: tuple[int, ...] | None = None    # elementwise tracing: the batch shape
        self.mask: Dyn | None = None      # elements whose path is being traced (batched)
        self.defaults: dict = {}          # what a path that does not go to a key hands it
        self.internal = _internal_prims(interp)

    # ------------------------------------------------------------------ failures
    def fail(self, reason: str) -> None:
        raise NotCompilable(reason, self.span)

    @property
    def span(self) -> Span | None:
        return self.frames[-1].span if self.frames else None

    def need_const(self, v: Any, what: str) -> Any:
        """v's value, which must be known at compile time (a shape, an index of a tuple)."""
        if not has_dyn(v):
            return v
        origins: frozenset = frozenset()
        for leaf in _leaves(v):
            if isinstance(leaf, Dyn):
                origins |= leaf.origins
        raise NeedConst(f"{what} depends on run-time data", origins, self.span)

    # ------------------------------------------------------------------ inputs
    def input(self, v: Any, origin: tuple) -> Any:
        """The symbolic value of an argument (or a global read at call time): numbers and
        arrays become parameters of the function, everything else a constant."""
        t = type(v)
        if _numeric_const(v):
            if origin in self.spec:
                return v
            at = T.typeof(v)
            dt = dtype_of(at) if not isinstance(v, np.ndarray) else v.dtype
            shape = tuple(v.shape) if isinstance(v, np.ndarray) else ()
            name = f"%arg{len(self.params)}"
            d = Dyn(name, at, dt, shape,
                    frozenset((origin,)) if not isinstance(v, np.ndarray) and dt.kind in "iu"
                    else frozenset())
            self.params.append((name, d.htype))
            self.inputs.append(origin)
            return d
        if t is tuple:
            return tuple(self.input(x, origin + (i,)) for i, x in enumerate(v))
        if t is NamedTupleValue:
            return NamedTupleValue(v.names, tuple(self.input(x, origin + (i,))
                                                  for i, x in enumerate(v.values)))
        if t is StructValue:
            return StructValue(v.type, tuple(self.input(x, origin + (i,))
                                             for i, x in enumerate(v.fields)))
        if t is UnitRange:
            return UnitRange(self.input(v.start, origin + (0,)), self.input(v.stop, origin + (1,)))
        if t is StepRange:
            return StepRange(self.input(v.start, origin + (0,)), self.input(v.step, origin + (1,)),
                             self.input(v.stop, origin + (2,)))
        if t.__name__ == "Closure":
            from .interp import Closure
            return Closure(v.info, tuple(self.input(x, origin + (i,))
                                         for i, x in enumerate(v.captures)), v.arr_type)
        if isinstance(v, np.ndarray):
            self.fail("an array of non-numbers")
        return v

    # ------------------------------------------------------------------ emission helpers
    def op(self, name: str, operands: list, arr_type: Any, dtype: Any, shape: tuple,
           attrs: str = "", origins: bool = True) -> Dyn:
        """Emit one operation with one result."""
        ops = [(x.name, x.htype) for x in operands]
        res = self.em.op(name, ops, [hlo.tensor(np.dtype(dtype), shape)], attrs)[0]
        orig: frozenset = frozenset()
        if origins and not shape:
            for x in operands:
                orig |= x.origins
        return Dyn(res, arr_type, dtype, shape, orig)

    def const(self, value: Any, dtype: Any = None, shape: tuple = ()) -> Dyn:
        """A constant as a run-time value (broadcast to `shape`)."""
        if isinstance(value, np.ndarray):
            a = value if dtype is None else value.astype(dtype)
            return self.op("stablehlo.constant", [], T.typeof(a), a.dtype, tuple(a.shape),
                           f"value = {hlo.dense(a)} : {hlo.tensor(a.dtype, a.shape)}")
        if dtype is None:
            dtype = dtype_of(T.typeof(value))
        dtype = np.dtype(dtype)
        text = hlo.literal(value, dtype)
        at = scalar_type(dtype) if not shape or self.batch is not None else array_type(dtype, len(shape))
        c = self.op("stablehlo.constant", [], at, dtype, shape,
                    f"value = dense<{text}> : {hlo.tensor(dtype, shape)}")
        if dtype.kind == "f" and value not in (0.0, 1.0) and not shape:
            # XLA's simplifier reassociates float arithmetic with constants
            # (`(x + c) - c` becomes x, `x / c` becomes `x * (1/c)`), which changes
            # results: the barrier keeps the constant opaque, as the interpreter sees it
            c = self.op("stablehlo.optimization_barrier", [c], at, dtype, shape)
        return c

    def dyn(self, v: Any, dtype: Any = None, shape: tuple | None = None) -> Dyn:
        """v (a number or a Dyn) as a Dyn of the given element type and shape."""
        if isinstance(v, Dyn):
            d = v
            if dtype is not None and d.dtype != np.dtype(dtype):
                d = self.convert(d, dtype)
        elif _numeric_const(v):
            d = self.const(v, dtype)
        else:
            raise NotCompilable(f"a value of type {describe(v)} where a number was expected",
                                self.span)
        if shape is not None and d.shape != tuple(shape):
            d = self.broadcast(d, shape)
        return d

    def convert(self, d: Dyn, dtype: Any) -> Dyn:
        dtype = np.dtype(dtype)
        at = scalar_type(dtype) if not d.is_array else array_type(dtype, len(d.shape))
        if dtype == np.bool_ and d.dtype != np.bool_:      # x != 0
            z = self.const(0, d.dtype, d.shape)
            return self.op("stablehlo.compare", [d, z], at, dtype, d.shape,
                           "comparison_direction = #stablehlo<comparison_direction NE>")
        return self.op("stablehlo.convert", [d], at, dtype, d.shape)

    def broadcast(self, d: Dyn, shape: tuple, dims: tuple | None = None) -> Dyn:
        """d broadcast to shape: a scalar everywhere, or an array along `dims`."""
        if dims is None:
            dims = tuple(range(len(d.shape))) if d.shape else ()
        at = d.arr_type
        return Dyn(self.em.op("stablehlo.broadcast_in_dim", [(d.name, d.htype)],
                              [hlo.tensor(d.dtype, shape)],
                              f"broadcast_dimensions = {hlo.i64_array(dims)}")[0],
                   at, d.dtype, tuple(shape), d.origins)

    def select(self, c: Dyn, a: Any, b: Any) -> Dyn:
        """Elementwise `c ? a : b` of two leaves of one type."""
        da = self.dyn(a) if not isinstance(a, Dyn) else a
        db = self.dyn(b, da.dtype) if not isinstance(b, Dyn) else b
        if not isinstance(a, Dyn):
            da = self.dyn(a, db.dtype)
        shape = max(da.shape, db.shape, c.shape, key=len)
        da, db = self.dyn(da, None, shape), self.dyn(db, None, shape)
        if c.shape != shape:
            c = self.broadcast(c, shape)
        return self.op("stablehlo.select", [c, da, db], da.arr_type, da.dtype, shape)

    def compare(self, a: Dyn, b: Dyn, direction: str) -> Dyn:
        shape = max(a.shape, b.shape, key=len)
        a, b = self.dyn(a, None, shape), self.dyn(b, None, shape)
        kind = "" if a.dtype.kind != "f" else ", compare_type = #stablehlo<comparison_type FLOAT>"
        return self.op("stablehlo.compare", [a, b], scalar_type(np.bool_) if not a.is_array else
                       array_type(np.bool_, len(shape)), np.bool_, shape,
                       f"comparison_direction = #stablehlo<comparison_direction {direction}>{kind}")

    def logical(self, name: str, a: Dyn, b: Dyn) -> Dyn:
        return self.op(f"stablehlo.{name}", [a, b], a.arr_type, np.bool_, a.shape)

    # ------------------------------------------------------------------ errors
    def check(self, bad: Any, make: Callable[[tuple], ArrError], details: tuple = ()) -> None:
        """At run time, raise make(details) if `bad` holds (and no error happened yet)."""
        if self.mask is not None:
            bad = self.logical("and", self.dyn(bad, np.bool_, self.mask.shape), self.mask)
        if not has_dyn(bad):
            if bad:
                self.raise_now(make, details)
            return
        if bad.shape:                                     # any element
            bad = self.reduce_any(bad)
        code = len(self.errors) + 1
        self.errors.append(ErrorSite(make, self.span, self.stack()))
        old = self.err
        first = self.compare(self.dyn(old[0], np.int64), self.const(0, np.int64), "EQ")
        take = self.logical("and", first, bad)
        new = [self.select(take, code, old[0])]
        for i in range(ERR_DETAILS):
            v = details[i] if i < len(details) else 0
            new.append(self.select(take, self.dyn(v, np.int64), old[1 + i]))
        self.err = tuple(new)

    def raise_now(self, make: Callable[[tuple], ArrError], details: tuple = ()) -> None:
        """This path raises: set the error state (unless an earlier error is set)."""
        if self.mask is not None:                 # only the elements on this path
            self.check(self.const(True, np.bool_, self.mask.shape), make, details)
            return
        code = len(self.errors) + 1
        self.errors.append(ErrorSite(make, self.span, self.stack()))
        old = self.err
        new = (code,) + tuple(details[i] if i < len(details) else 0 for i in range(ERR_DETAILS))
        if not has_dyn(old[0]):
            if old[0] == 0:
                self.err = new
            return
        first = self.compare(self.dyn(old[0], np.int64), self.const(0, np.int64), "EQ")
        self.err = tuple(self.select(first, self.dyn(n, np.int64), o) for n, o in zip(new, old))

    def reduce_any(self, b: Dyn) -> Dyn:
        f = self.const(False, np.bool_)
        lines_dims = hlo.i64_array(tuple(range(len(b.shape))))
        with self.em.region() as body:
            x, y = self.em.fresh("a"), self.em.fresh("b")
            self.em.block_header([(x, "tensor<i1>"), (y, "tensor<i1>")])
            r = self.em.op("stablehlo.or", [(x, "tensor<i1>"), (y, "tensor<i1>")], ["tensor<i1>"])
            self.em.ret([(r[0], "tensor<i1>")])
        res = self.em.op("stablehlo.reduce", [(b.name, b.htype), (f.name, f.htype)],
                         ["tensor<i1>"], f"dimensions = {lines_dims}", [body])[0]
        return Dyn(res, scalar_type(np.bool_), np.bool_, ())

    def stack(self) -> list[Frame]:
        return [Frame(fr.ir.name, fr.span) for fr in reversed(self.frames)]

    # ------------------------------------------------------------------ running IR
    def run_ir(self, ir: Any, args: list, env: dict | None, closure: Any) -> Any:
        if len(self.frames) >= MAX_DEPTH:
            raise TooDeep("recursion of unknown depth", self.span)
        fr = FrameState(ir, args, env, closure)
        self.frames.append(fr)
        try:
            out = self.exec_from(fr, 0, (), fr.cfg.region(None), None)
        finally:
            self.frames.pop()
        if out.dead:
            return DEAD
        if len(out.paths) != 1:
            raise AssertionError("a function region has one exit")
        (args_, _), = out.paths.values()
        return args_[0]


    # ------------------------------------------------------------------ instructions
    def eval_inst(self, fr: FrameState, inst: Any) -> Any:
        op, a = inst.op, inst.args
        vals = fr.vals
        if op == "const":
            return inst.attr
        if op == "arg":
            return fr.args[inst.attr]
        if op == "call":
            return self.eval_call(fr, inst)
        if op == "prim":
            return self.prim(inst.attr[0], [vals[x] for x in a], inst.attr[1:])
        if op == "getglobal":
            return self.getglobal(inst.attr)
        if op in ("tuple", "namedtuple"):
            items = tuple(vals[x] for x in a)
            if any(v is DEAD for v in items):
                return DEAD         # a path that never gets here (a tape's missing record)
            return items if op == "tuple" else NamedTupleValue(tuple(inst.attr), items)
        if op == "getfield":
            return self.getfield(vals[a[0]], inst.attr)
        if op == "sparam":
            if inst.attr not in fr.env:
                self.fail(f"an unbound static parameter {inst.attr}")
            return fr.env[inst.attr]
        if op == "closure":
            from .interp import Closure
            info = inst.attr
            if not hasattr(info, "arr_type"):
                info.arr_type = T.function_type("#" + info.name)
            return Closure(info, tuple(vals[x] for x in a), info.arr_type)
        if op == "capture":
            return fr.closure.captures[inst.attr]
        if op == "self":
            return fr.closure
        if op == "checkdef":
            v = vals[a[0]]
            if v is UNDEF:
                self.fail(f"a variable that may be undefined ({inst.attr})")
            return v
        if op == "typeassert":
            v, t = vals[a[0]], vals[a[1]]
            if isinstance(v, Maybe) and T.is_type(t) and not T.isa(None, t):
                return v.value      # the loop protocol asserts what it tested
            if not T.isa(v, t):
                self.fail(f"a type assertion that fails ({describe(v)} is not {T.show_type(t)})")
            return v
        if op == "boolcheck":
            v = vals[a[0]]
            if type(v) is bool or (isinstance(v, Dyn) and v.dtype == np.bool_ and not v.is_array):
                return v
            self.fail(f"a condition of type {describe(v)}")
        if op in ("box_new", "box_get", "box_set"):
            self.fail("a variable shared with a closure and assigned to")
        if op in ("try_enter", "try_leave"):
            self.fail("try/catch")
        if op == "macro":
            self.fail(f"@{inst.attr[0]}")
        self.fail(f"`{op}` inside a function")

    def getglobal(self, name: str) -> Any:
        g = self.interp.globals
        if name not in g:
            self.fail(f"an undefined global `{name}`")
        v = g[name]
        if name in self.interp.consts or not (_numeric_const(v) or has_dyn_able(v)):
            return v
        if name in self.globals_read:
            return self.globals_read[name]
        s = self.input(v, ("global", name))
        self.globals_read[name] = s
        return s

    def getfield(self, obj: Any, name: Any) -> Any:
        from .frames import get_field
        if isinstance(obj, (Dyn, Maybe)):
            self.fail(f"field access on a run-time {describe(obj)}")
        try:
            return get_field(obj, name, self.span)
        except ArrError as e:
            raise StaticError(e)

    def eval_call(self, fr: FrameState, inst: Any) -> Any:
        flags, kwnames = inst.attr
        regs = inst.args
        nkw = len(kwnames)
        f = fr.vals[regs[0]]
        pos = regs[1:len(regs) - nkw] if nkw else regs[1:]
        args: list = []
        for i, r in enumerate(pos):
            v = fr.vals[r]
            if flags and flags[i]:
                args.extend(self.splat(v))
            else:
                args.append(v)
        kw = None
        if nkw:
            kw = {}
            for k, r in zip(kwnames, regs[len(regs) - nkw:]):
                v = fr.vals[r]
                if k == "...":
                    if not isinstance(v, NamedTupleValue):
                        self.fail("splatting keyword arguments that are not a NamedTuple")
                    kw.update(zip(v.names, v.values))
                else:
                    kw[k] = v
        return self.call(f, args, kw)

    def splat(self, v: Any) -> list:
        if type(v) is tuple:
            return list(v)
        if isinstance(v, NamedTupleValue):
            return list(v.values)
        if isinstance(v, (UnitRange, StepRange)) and not has_dyn(v):
            return list(self.interp.call(self.interp.globals["collect"], v).tolist())
        if isinstance(v, np.ndarray):
            return [x.item() if hasattr(x, "item") else x for x in v]
        self.fail(f"splatting a {describe(v)} (its length is not known at compile time)")
        raise AssertionError

    # ------------------------------------------------------------------ calls
    def call(self, f: Any, args: list, kw: dict | None = None) -> Any:
        """Call an Arr callable on symbolic arguments, inlining it."""
        from .interp import DIRECT, Builtin, Closure, _is_type_value
        from .typeeval import NewMarker, construct
        span = self.span
        for x in args:
            if x is DEAD:
                return DEAD
            if isinstance(x, Maybe):
                return self.union_split(f, args, kw)
        try:
            if isinstance(f, dispatch.GenericFunction):
                m, env = dispatch.lookup(f, tuple(map(T.typeof, args)), span)
                return self.invoke_method(m, env, list(args), kw)
            if isinstance(f, Closure):
                return self.invoke_closure(f, list(args), kw)
            if isinstance(f, NewMarker):
                return self.with_interp_calls(lambda: construct(self.interp, f.type, list(args), span))
            if isinstance(f, Back):
                return f(*args, **(kw or {}))
            if isinstance(f, Builtin):
                if f.stage is None:
                    self.fail(f"the built-in {f.name}")
                fn = f.fn if f.stage == DIRECT else f.stage(self)
                return fn(*args, **(kw or {}))
            if isinstance(f, (Dyn, Maybe)):
                self.fail("calling a run-time value")
            if _is_type_value(f):
                table = self.interp.ctor_tables.get(T.ctor_key(f))
                if table is None:
                    self.fail(f"no constructor for {T.show_type(f)}")
                argtypes = (T.type_of_type(f),) + tuple(map(T.typeof, args))
                m, env = dispatch.lookup(table, argtypes, span)
                return self.invoke_method(m, env, [f, *args], kw)
            argtypes = (T.typeof(f),) + tuple(map(T.typeof, args))
            m, env = dispatch.lookup(self.interp.call_table, argtypes, span)
            return self.invoke_method(m, env, [f, *args], kw)
        except ArrError as e:
            if e.span is None:
                e.span = span
            raise StaticError(e)

    def union_split(self, f: Any, args: list, kw: dict | None) -> Any:
        """A call with a Maybe argument: one call per case, joined by an `if`."""
        i = next(k for k, x in enumerate(args) if isinstance(x, Maybe))
        m = args[i]
        if not isinstance(m.flag, Dyn):
            args = list(args)
            args[i] = None if m.flag else m.value
            return self.call(f, args, kw)
        result: dict = {}

        def case(v):
            def side() -> Outcome:
                a = list(args)
                a[i] = v
                try:
                    r = self.call(f, a, kw)
                except StaticError as e:
                    # this case raises (a MethodError on `nothing`, say): only when taken
                    err = e.error
                    self.raise_now(lambda details: err, ())
                    return Outcome()
                if r is DEAD:
                    return Outcome()
                return Outcome.single(("join", 0), (r,))
            return side
        out = self.fork(m.flag, [case(None), case(m.value)])
        if out.dead:
            return DEAD
        (_, (vals, _)), = out.paths.items()
        result["v"] = vals[0]
        return result["v"]

    def with_interp_calls(self, fn: Callable[[], Any]) -> Any:
        """Run interpreter code (a default constructor) with its Arr calls staged."""
        interp = self.interp
        interp.call = self.call_positional
        try:
            return fn()
        finally:
            del interp.call

    def call_positional(self, f: Any, *args: Any) -> Any:
        return self.call(f, list(args))

    def invoke_method(self, method: Any, env: dict, args: list, kw: dict | None) -> Any:
        from .interp import BuiltinImpl, MethodImpl
        impl = method.impl
        if isinstance(impl, BuiltinImpl):
            if kw:
                self.fail("keyword arguments to a built-in method")
            rest = args[1:] if impl.drop_first else args
            return self.with_interp_calls(lambda: impl.fn(env, *rest))
        if not isinstance(impl, MethodImpl):
            self.fail(f"the method {method.name}")
        if impl.drop_first:
            args = args[1:]
        if impl.vararg:
            n = impl.nparams - 1
            args = args[:n] + [tuple(args[n:])]
        if impl.has_kw:
            args.append(self.interp.make_kw(kw, impl.kwnames, impl.kw_vararg, method.name,
                                            self.span))
        elif kw:
            self.fail(f"keyword arguments to {method.name}")
        return self.run_ir(impl.ir, args, env, None)

    def invoke_closure(self, f: Any, args: list, kw: dict | None) -> Any:
        info = f.info
        n = info.nparams
        if info.vararg:
            args = args[:n - 1] + [tuple(args[n - 1:])]
        elif len(args) != n:
            self.interp._closure_arity(f, args, self.span)
            raise StaticError(self.interp._closure_arity(f, args, self.span))
        if info.kwnames or info.kw_vararg:
            args.append(self.interp.make_kw(kw, info.kwnames, info.kw_vararg, info.name, self.span))
        return self.run_ir(info.ir, args, None, f)

    # ------------------------------------------------------------------ intrinsics
    def prim(self, name: str, args: list, extra: tuple = ()) -> Any:
        for x in args:
            if x is DEAD:
                return DEAD
        internal = self.internal.get(name)
        if internal is not None:
            return self.internal_prim(name, internal, args, extra)
        p = PRIMITIVES.get(name)
        if p is None:
            self.fail(f"the intrinsic {name}")
        if not p.needs_ctx and name not in IMPURE and not any(has_dyn(x) for x in args):
            try:
                return p.impl(*args)
            except ArrError as e:
                if e.span is None:
                    e.span = self.span
                raise StaticError(e)
        if p.lower is None:
            self.fail(f"`{name}` (it runs only in the interpreter)")
        try:
            return p.lower(self, *args)
        except ArrError as e:
            if e.span is None:
                e.span = self.span
            raise StaticError(e)

    def internal_prim(self, name: str, fn: Callable, args: list, extra: tuple) -> Any:
        if name == "isnothing":
            v = args[0]
            if isinstance(v, Maybe):
                return v.flag
            return v is None
        if name == "iter_item":
            t, i = args
            if isinstance(t, Maybe):
                t = t.value
            if type(t) is not tuple:
                self.fail(f"iterating with a state of type {describe(t)}")
            return t[i - 1]
        if name in ("time_start", "time_report"):
            self.fail("@time inside a compiled function")
        if name in ("kwget", "kwrest"):
            return fn(args[0], *extra)
        if name == "setfield_error":
            try:
                fn(*args)
            except ArrError as e:
                raise StaticError(e)
        return fn(*args, *extra)


IMPURE = frozenset({"write_stdout", "write_stderr", "flush_stdout", "isatty_stdout",
                    "read_file", "write_file",
                    "read_stdin_line", "time_ns", "seed", "rand", "randn", "rand_int",
                    "randperm", "throw"})


