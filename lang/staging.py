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

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import numpy as np

from . import dispatch, hlo, types as T
from .cfg import EXIT, analyze
from .ir import UNDEF
from .lattice import _same_const
from .prims import PRIMITIVES
from .prims.numeric import dtype_of, make_scalar
from .source import ArrError, Frame, NO_SPAN, Span
from .values import NamedTupleValue, StepRange, StructValue, Symbol, UnitRange

MAX_DEPTH = 120          # inlined call depth (deeper: recursion of unknown depth)
MAX_UNROLL = 512         # iterations of a loop unrolled at compile time
FIXPOINT_TRIES = 6
ERR_DETAILS = 4          # Int64 details an error can carry (indices for BoundsError)


# ============================================================================ values
class NotCompilable(Exception):
    """The call needs the interpreter; `reason` says why (shown by @code_hlo)."""

    def __init__(self, reason: str, span: Span | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.span = span


class Unstable(NotCompilable):
    """A variable changes type across a branch or a loop (section 6)."""


class NeedConst(NotCompilable):
    """A run-time value is needed as a constant (a shape, a tuple index).  `origins` are
    the argument leaves it came from: specialising on their values makes it constant."""

    def __init__(self, reason: str, origins: frozenset, span: Span | None = None) -> None:
        super().__init__(reason, span)
        self.origins = origins


class StaticError(NotCompilable):
    """The traced code raises `error` whenever it runs this far: leave it to the
    interpreter, which raises it with the full Arr stack."""

    def __init__(self, error: ArrError) -> None:
        super().__init__(f"raises {error.kind}: {error.message}", error.span)
        self.error = error


class Dyn:
    """A run-time value: SSA name, Arr type, numpy dtype of its elements, shape."""
    __slots__ = ("name", "arr_type", "dtype", "shape", "origins")

    def __init__(self, name: str, arr_type: Any, dtype: np.dtype, shape: tuple[int, ...],
                 origins: frozenset = frozenset()) -> None:
        self.name = name
        self.arr_type = arr_type
        self.dtype = np.dtype(dtype)
        self.shape = tuple(shape)
        self.origins = origins

    @property
    def htype(self) -> str:
        return hlo.tensor(self.dtype, self.shape)

    @property
    def is_array(self) -> bool:
        return not is_scalar_type(self.arr_type)

    def __repr__(self) -> str:
        return f"<{self.name}::{T.show_type(self.arr_type)}{list(self.shape) if self.shape else ''}>"


class Maybe:
    """`Union{Nothing, T}` decided at run time: `flag` (Bool) is true for `nothing`."""
    __slots__ = ("flag", "value", "arr_type")

    def __init__(self, flag: Any, value: Any) -> None:
        self.flag = flag
        self.value = value
        self.arr_type = T.make_union(T.BUILTIN_TYPES["Nothing"], T.typeof(value))


class _Dead:
    def __repr__(self) -> str:
        return "DEAD"


DEAD: Any = _Dead()              # the value of an expression that never returns (throw)


def is_scalar_type(t: Any) -> bool:
    return dtype_of(t) is not None and not T.issubtype(t, T.BUILTIN_TYPES["AbstractArray"])


def array_type(dtype: np.dtype, ndim: int) -> Any:
    return T.apply_type(T.BUILTIN_TYPES["Array"], (T.eltype_from_dtype(np.dtype(dtype)), ndim))


def scalar_type(dtype: np.dtype) -> Any:
    return T.eltype_from_dtype(np.dtype(dtype))


def has_dyn(v: Any) -> bool:
    t = type(v)
    if t is Dyn or t is Maybe:
        return True
    if t is tuple:
        return any(has_dyn(x) for x in v)
    if t is NamedTupleValue:
        return any(has_dyn(x) for x in v.values)
    if t is StructValue:
        return any(has_dyn(x) for x in v.fields)
    if t is UnitRange:
        return has_dyn(v.start) or has_dyn(v.stop)
    if t is StepRange:
        return has_dyn(v.start) or has_dyn(v.step) or has_dyn(v.stop)
    if t.__name__ == "Closure":
        return any(has_dyn(x) for x in v.captures)
    return False


def _numeric_const(v: Any) -> bool:
    if isinstance(v, bool) or type(v) in (int, float):
        return True
    if isinstance(v, np.generic):
        return v.dtype.kind in "biuf"
    if isinstance(v, np.ndarray):
        return v.dtype.kind in "biuf"
    return False


# ============================================================================ flattening
# A symbolic value splits into a skeleton (everything known at compile time) and its
# leaves (run-time values, and numbers that may become run-time values in a merge).
@dataclass(frozen=True)
class Leaf:
    arr_type: Any
    shape: tuple[int, ...] | None         # arrays: their shape; scalars: None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Leaf) and T.type_equal(self.arr_type, other.arr_type) and \
            self.shape == other.shape

    def __hash__(self) -> int:
        return hash(self.shape)


def flatten(v: Any, leaves: list) -> Any:
    t = type(v)
    if t is Dyn:
        leaves.append(v)
        return Leaf(v.arr_type, v.shape if v.is_array else None)
    if _numeric_const(v):
        leaves.append(v)
        at = T.typeof(v)
        return Leaf(at, tuple(v.shape) if isinstance(v, np.ndarray) else None)
    if t is tuple:
        return ("tuple", tuple(flatten(x, leaves) for x in v))
    if t is NamedTupleValue:
        return ("nt", v.names, tuple(flatten(x, leaves) for x in v.values))
    if t is StructValue:
        return ("struct", v.type, tuple(flatten(x, leaves) for x in v.fields))
    if t is UnitRange:
        return ("unitrange", flatten(v.start, leaves), flatten(v.stop, leaves))
    if t is StepRange:
        return ("steprange", flatten(v.start, leaves), flatten(v.step, leaves),
                flatten(v.stop, leaves))
    if t is Maybe:
        return ("maybe", flatten(v.flag, leaves), flatten(v.value, leaves))
    if t.__name__ == "Closure":
        return ("closure", v.info, tuple(flatten(x, leaves) for x in v.captures))
    return ("const", v)


def unflatten(skel: Any, leaves: Iterator) -> Any:
    if isinstance(skel, Leaf):
        return next(leaves)
    kind = skel[0]
    if kind == "tuple":
        return tuple(unflatten(s, leaves) for s in skel[1])
    if kind == "nt":
        return NamedTupleValue(skel[1], tuple(unflatten(s, leaves) for s in skel[2]))
    if kind == "struct":
        return StructValue(skel[1], tuple(unflatten(s, leaves) for s in skel[2]))
    if kind == "unitrange":
        return UnitRange(unflatten(skel[1], leaves), unflatten(skel[2], leaves))
    if kind == "steprange":
        return StepRange(unflatten(skel[1], leaves), unflatten(skel[2], leaves),
                         unflatten(skel[3], leaves))
    if kind == "maybe":
        flag = unflatten(skel[1], leaves)
        return Maybe(flag, unflatten(skel[2], leaves))
    if kind == "closure":
        from .interp import Closure
        info = skel[1]
        return Closure(info, tuple(unflatten(s, leaves) for s in skel[2]), info.arr_type)
    return skel[1]


def skel_equal(a: Any, b: Any) -> bool:
    if isinstance(a, Leaf) or isinstance(b, Leaf):
        return a == b
    if a[0] != b[0] or len(a) != len(b):
        return False
    if a[0] == "const":
        x, y = a[1], b[1]
        if x is y:
            return True
        if isinstance(x, (str, Symbol)) or T.is_type(x):
            return type(x) is type(y) and (x == y if isinstance(x, str) else
                                           (T.type_equal(x, y) if T.is_type(x) else False))
        return False
    if a[0] == "struct" and not T.type_equal(a[1], b[1]):
        return False
    if a[0] in ("nt", "closure") and a[1] != b[1] and a[1] is not b[1]:
        return False
    rest_a = a[2] if a[0] in ("nt", "struct", "closure") else a[1:] if a[0] != "tuple" else a[1]
    rest_b = b[2] if b[0] in ("nt", "struct", "closure") else b[1:] if b[0] != "tuple" else b[1]
    return len(rest_a) == len(rest_b) and all(skel_equal(x, y) for x, y in zip(rest_a, rest_b))


def describe(v: Any) -> str:
    """The type of a symbolic value, for messages."""
    if v is DEAD:
        return "Union{}"
    try:
        return T.show_type(T.typeof(v))
    except Exception:
        return type(v).__name__


# ============================================================================ outcomes
@dataclass
class Outcome:
    """Where tracing a region ended: one payload per possible destination.  Keys are
    ("join", block), ("back",), ("exit", block), ("ret",).  With several keys, `sel` (an
    Int64 run-time value) is the index of the one taken, in `paths` order."""
    paths: dict[tuple, tuple[tuple, dict]] = field(default_factory=dict)
    sel: Any = None

    @staticmethod
    def single(key: tuple, args: tuple, carry: dict | None = None) -> "Outcome":
        return Outcome({key: (tuple(args), carry or {})})

    @property
    def dead(self) -> bool:
        return not self.paths


@dataclass
class ErrorSite:
    """What the runtime raises for error code k: `make(details)` builds the ArrError."""
    make: Callable[[tuple[int, ...]], ArrError]
    span: Span | None
    stack: list[Frame]


class FrameState:
    __slots__ = ("ir", "cfg", "vals", "args", "env", "closure", "span")

    def __init__(self, ir: Any, args: list, env: dict | None, closure: Any) -> None:
        self.ir = ir
        self.cfg = analyze(ir)
        self.vals: dict[int, Any] = {}
        self.args = args
        self.env = env or {}
        self.closure = closure
        self.span: Span = ir.span


# ============================================================================ the stager
class Stager:
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
        return self.op("stablehlo.constant", [], at, dtype, shape,
                       f"value = dense<{text}> : {hlo.tensor(dtype, shape)}")

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
            self.fail("recursion of unknown depth")
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

    def exec_from(self, fr: FrameState, bid: int, args: tuple, region: Any,
                  stop: int | None) -> Outcome:
        """Trace from block `bid` until `stop` or an exit of `region`."""
        ir = fr.ir
        while True:
            if bid == stop:
                return Outcome.single(("join", bid), args)
            blk = ir.blocks[bid]
            vals = fr.vals
            for p, v in zip(blk.params, args):
                vals[p] = v
            for inst in blk.insts:
                fr.span = inst.span
                v = self.eval_inst(fr, inst)
                if v is DEAD:
                    return Outcome()
                if inst.res >= 0:
                    vals[inst.res] = v
            t = blk.term
            fr.span = t.span if t.span is not NO_SPAN else fr.span
            if t.op == "ret":
                return Outcome.single(("ret",), (vals[t.args[0]],))
            if t.op == "unreachable":
                return Outcome()
            choice = 0
            if t.op == "condbr":
                c = vals[t.args[0]]
                if isinstance(c, Dyn):
                    return self.branch(fr, bid, c, region, stop)
                if type(c) is not bool:
                    self.fail(f"a condition of type {describe(c)}")
                choice = 0 if c else 1
            tgt = t.targets[choice]
            targs = tuple(vals[x] for x in t.target_args[choice])
            nxt = self.edge(fr, bid, tgt, targs, region, stop)
            if isinstance(nxt, Outcome):
                return nxt
            bid, args = nxt

    def edge(self, fr: FrameState, src: int, tgt: int, targs: tuple, region: Any,
             stop: int | None) -> "tuple[int, tuple] | Outcome":
        """Follow src -> tgt: the next block to trace, or the Outcome of leaving."""
        cfg = fr.cfg
        if region.header is not None and tgt == region.header:
            return Outcome.single(("back",), targs)
        if tgt not in region.blocks:
            carry = {r: fr.vals[r] for r in cfg.carry_out(region.header, src, tgt)}
            return Outcome.single(("exit", tgt), targs, carry)
        if tgt in cfg.loops and src not in cfg.loops[tgt].blocks:
            out = self.run_loop(fr, tgt, targs)
            return self.after(fr, out, region, stop)
        return tgt, targs

    def after(self, fr: FrameState, out: Outcome, region: Any,
              stop: int | None) -> "tuple[int, tuple] | Outcome":
        """Continue from the exits of an inner loop."""
        if out.dead:
            return out
        if len(out.paths) == 1:
            (key, (args, carry)), = out.paths.items()
            return self.resume(fr, key, args, carry, region)
        targets = []
        for key in out.paths:
            b = key[1] if key[0] == "exit" else EXIT
            targets.append(EXIT if b == EXIT or region.is_exit(-1, b) else b)
        j = region.common_pdom(targets)
        sides = [self._side_resume(fr, key, args, carry, region, None if j == EXIT else j)
                 for key, (args, carry) in out.paths.items()]
        res = self.fork(out.sel, sides)
        if j != EXIT and not res.dead:
            (key, (args, _)), = res.paths.items()
            return j, args
        return res

    def _side_resume(self, fr, key, args, carry, region, stop):
        def side() -> Outcome:
            nxt = self.resume(fr, key, args, carry, region)
            if isinstance(nxt, Outcome):
                return nxt
            return self.exec_from(fr, nxt[0], nxt[1], region, stop)
        return side

    def resume(self, fr: FrameState, key: tuple, args: tuple, carry: dict,
               region: Any) -> "tuple[int, tuple] | Outcome":
        fr.vals.update(carry)
        if key[0] == "ret":
            return Outcome.single(key, args)
        b = key[1]
        if region.header is not None and b == region.header:
            return Outcome.single(("back",), args)
        if b not in region.blocks:
            return Outcome.single(("exit", b), args, carry)
        return b, args

    def branch(self, fr: FrameState, bid: int, c: Dyn, region: Any,
               stop: int | None) -> Outcome:
        """A condbr on run-time data: an `if` whose sides meet at the post-dominator."""
        if c.shape:
            if self.batch is None:
                self.fail("a condition that is an array")
            return self.branch_select(fr, bid, c, region, stop)
        t = fr.ir.blocks[bid].term
        j = region.ipdom(bid)
        if region.header is not None and (id(fr), region.header) in self.unrolling and j == EXIT:
            if c.origins and _is_for_loop(fr.ir, region.header):
                raise NeedConst("the trip count of an unrolled loop", c.origins, t.span)
            raise Unstable("a loop that cannot keep one type per variable exits on run-time "
                           "data", t.span)
        inner = None if j == EXIT else j
        sides = []
        for k in (0, 1):
            tgt = t.targets[k]
            targs = tuple(fr.vals[x] for x in t.target_args[k])
            sides.append(self._side_edge(fr, bid, tgt, targs, region, inner))
        out = self.fork(c, sides)
        if inner is not None and not out.dead:
            (key, (args, _)), = out.paths.items()
            return self.exec_from(fr, inner, args, region, stop)
        return out

    def branch_select(self, fr: FrameState, bid: int, c: Dyn, region: Any,
                      stop: int | None) -> Outcome:
        """A branch on elements inside an elementwise map: both sides run on every
        element, under a mask for their run-time checks, and `select` joins them."""
        t = fr.ir.blocks[bid].term
        j = region.ipdom(bid)
        inner = None if j == EXIT else j
        mask0 = self.mask
        notc = self.op("stablehlo.not", [c], c.arr_type, np.bool_, c.shape)
        outs = []
        for k, m in ((0, c), (1, notc)):
            self.mask = m if mask0 is None else self.logical("and", self.dyn(mask0, None, m.shape), m)
            targs = tuple(fr.vals[x] for x in t.target_args[k])
            outs.append(self._side_edge(fr, bid, t.targets[k], targs, region, inner)())
        self.mask = mask0
        live = [o for o in outs if not o.dead]
        if not live:
            return Outcome()
        if len(live) == 1:
            out = live[0]
        else:
            if len(outs[0].paths) != 1 or list(outs[0].paths) != list(outs[1].paths):
                self.fail("control flow that differs between the elements of a broadcast")
            (key, (a0, _)), = outs[0].paths.items()
            (_, (a1, _)), = outs[1].paths.items()
            out = Outcome.single(key, self.select_values(c, a0, a1))
        if inner is not None:
            (key, (args, _)), = out.paths.items()
            return self.exec_from(fr, inner, args, region, stop)
        return out

    def select_values(self, c: Dyn, a: Any, b: Any) -> Any:
        """Leafwise `c ? a : b` of two values of one type."""
        la: list = []
        lb: list = []
        sa, sb = flatten(a, la), flatten(b, lb)
        if not skel_equal(sa, sb):
            raise Unstable(f"a value is {describe(a)} for some elements and {describe(b)} "
                           f"for others", self.span)
        out = []
        for x, y in zip(la, lb):
            if not isinstance(x, (Dyn, np.ndarray)) and not isinstance(y, (Dyn, np.ndarray)) \
                    and _same_const(x, y):
                out.append(x)
            else:
                out.append(self.select(c, x, y))
        return unflatten(sa, iter(out))

    def _side_edge(self, fr, src, tgt, targs, region, stop):
        def side() -> Outcome:
            if tgt == stop:
                return Outcome.single(("join", tgt), targs)
            nxt = self.edge(fr, src, tgt, targs, region, stop)
            if isinstance(nxt, Outcome):
                return nxt
            return self.exec_from(fr, nxt[0], nxt[1], region, stop)
        return side

    # ------------------------------------------------------------------ if / case
    def fork(self, pred: Dyn, sides: list[Callable[[], Outcome]]) -> Outcome:
        """Trace each side into its own region and join them in one `stablehlo.if` (two
        sides, `pred` a Bool) or `stablehlo.case` (`pred` an index)."""
        traced = []
        err0 = self.err
        for side in sides:
            self.err = err0
            with self.em.region() as lines:
                out = side()
            traced.append((out, self.err, lines))
        self.err = err0
        keys: list[tuple] = []
        for out, _, _ in traced:
            for k in out.paths:
                if k not in keys:
                    keys.append(k)
        # what each side hands out: [selector], one payload per key, its error state
        per_side = []
        for out, err, lines in traced:
            with self.em.reenter(lines):
                vals: list = []
                if len(keys) > 1:
                    vals.append(self._side_selector(out, keys))
                for k in keys:
                    if k in out.paths:
                        a, carry = out.paths[k]
                        vals.append((a, pack_carry(carry)))
                    else:
                        vals.append(None)
                vals.append(err)
            per_side.append(vals)
        merged = self._merge(per_side, [lines for _, _, lines in traced], pred, keys)
        self.err = merged[-1]
        result = Outcome()
        if all(out.dead for out, _, _ in traced):
            return result
        i = 0
        if len(keys) > 1:
            result.sel = merged[0]
            i = 1
        for k in keys:
            a, carry = merged[i]
            result.paths[k] = (a, unpack_carry(carry))
            i += 1
        return result

    def _side_selector(self, out: Outcome, keys: list) -> Any:
        """This side's destination as an index into `keys`."""
        if out.dead:
            return 0
        own = list(out.paths)
        if len(own) == 1:
            return keys.index(own[0])
        if all(keys.index(k) == j for j, k in enumerate(own)):
            return out.sel
        return self._remap(out.sel, own, keys)

    def _merge(self, per_side: list[list], regions: list[list[str]], pred: Dyn,
               keys: list) -> list:
        """Join the values the sides hand out (None: this side does not go there).  The
        skeletons must agree (else a type instability); leaves that are the same constant
        everywhere stay constants, the others become results of the if/case."""
        n = len(per_side[0])
        skels: list[Any] = [None] * n
        side_leaves: list[list] = [[None] * n for _ in per_side]
        for i in range(n):
            sides = [s for s in range(len(per_side)) if per_side[s][i] is not None]
            lifted = _lift_values([per_side[s][i] for s in sides])
            for s, v in zip(sides, lifted):
                leaves: list = []
                sk = flatten(v, leaves)
                if skels[i] is None:
                    skels[i] = sk
                elif not skel_equal(skels[i], sk):
                    self._instability([vals[i] for vals in per_side], i, keys)
                side_leaves[s][i] = leaves
        out_types: list[str] = []
        decisions: list[list] = []
        for i in range(n):
            present = [side_leaves[s][i] for s in range(len(per_side))
                       if side_leaves[s][i] is not None]
            dec: list = []
            for j in range(len(present[0]) if present else 0):
                vs = [p[j] for p in present]
                if all(not isinstance(v, (Dyn, np.ndarray)) and _same_const(v, vs[0])
                       for v in vs):
                    dec.append(("const", vs[0]))
                    continue
                dt = _leaf_dtype(vs[0])
                shape = max((v.shape if isinstance(v, (Dyn, np.ndarray)) else () for v in vs),
                            key=len)
                dec.append(("dyn", dt, shape))
                out_types.append(hlo.tensor(dt, shape))
            decisions.append(dec)
        for s, lines in enumerate(regions):
            with self.em.reenter(lines):
                rets = []
                for i in range(n):
                    leaves = side_leaves[s][i]
                    for j, dec in enumerate(decisions[i]):
                        if dec[0] == "dyn":
                            d = self.const(0, dec[1], dec[2]) if leaves is None else \
                                self.dyn(leaves[j], dec[1], dec[2])
                            rets.append((d.name, d.htype))
                self.em.ret(rets)
        if pred.dtype == np.bool_:
            opname, operand = "stablehlo.if", pred
        else:
            opname, operand = "stablehlo.case", self.convert(pred, np.int32)
        names = self.em.op(opname, [(operand.name, operand.htype)], out_types, "", regions)
        it = iter(names)
        results = []
        for i in range(n):
            if skels[i] is None:
                results.append(None)
                continue
            leaf_skels: list = []
            _leaf_skels(skels[i], leaf_skels)
            leaves = []
            for dec, ls in zip(decisions[i], leaf_skels):
                if dec[0] == "const":
                    leaves.append(dec[1])
                else:
                    leaves.append(Dyn(next(it), ls.arr_type, dec[1], dec[2]))
            results.append(unflatten(skels[i], iter(leaves)))
        return results

    def _instability(self, versions: list, i: int, keys: list) -> None:
        """Raise Unstable naming the variable whose type differs between the sides."""
        names: list = []
        pos = i - (1 if len(keys) > 1 else 0)
        if 0 <= pos < len(keys) and keys[pos][0] in ("join", "exit") and self.frames:
            fr = self.frames[-1]
            names = [fr.ir.names.get(p) for p in fr.ir.blocks[keys[pos][1]].params]
        vs = [v for v in versions if v is not None]
        detail = "a value has different types on the two sides of a branch"
        if len(vs) >= 2 and all(isinstance(v, tuple) and len(v) == 2 for v in vs[:2]):
            for k, (x, y) in enumerate(zip(vs[0][0], vs[1][0])):
                if not skel_equal(flatten(x, []), flatten(y, [])):
                    nm = names[k] if k < len(names) and names[k] else None
                    what = f"variable `{nm}`" if nm else "a value"
                    detail = (f"{what} is {describe(x)} on one path and {describe(y)} "
                              f"on another")
                    break
        raise Unstable(detail, self.span)

    # ------------------------------------------------------------------ loops
    def run_loop(self, fr: FrameState, h: int, entry: tuple) -> Outcome:
        region = fr.cfg.region(h)
        try:
            return self.loop_while(fr, h, entry, region)
        except (Unstable, NeedConst) as e:
            if isinstance(e, NeedConst) and e.origins:
                raise
            first = e
        key = (id(fr), h)
        self.unrolling.add(key)
        try:
            return self.loop_unrolled(fr, h, entry, region)
        except NeedConst as e:
            if e.origins:
                raise
            raise first
        except Unstable:
            raise first
        finally:
            self.unrolling.discard(key)

    def loop_unrolled(self, fr: FrameState, h: int, entry: tuple, region: Any) -> Outcome:
        args = entry
        for _ in range(MAX_UNROLL):
            out = self.exec_from(fr, h, args, region, None)
            if list(out.paths) == [("back",)]:
                args = out.paths[("back",)][0]
                continue
            if ("back",) in out.paths:
                raise Unstable("a loop exits on run-time data", self.span)
            return out
        self.fail(f"a loop that changes types runs more than {MAX_UNROLL} times")
        raise AssertionError

    @contextmanager
    def scratch(self, fr: FrameState) -> Iterator[None]:
        saved = (dict(fr.vals), self.err, len(self.errors), self.em.count)
        with self.em.region():
            try:
                yield
            finally:
                fr.vals.clear()
                fr.vals.update(saved[0])
                self.err = saved[1]
                del self.errors[saved[2]:]

    def loop_while(self, fr: FrameState, h: int, entry: tuple, region: Any) -> Outcome:
        state = list(entry) + [self.err]
        names = [fr.ir.names.get(p) for p in fr.ir.blocks[h].params]
        abstract = [_skel_and_leaves(v) for v in state]
        out = None
        for _ in range(FIXPOINT_TRIES):
            with self.scratch(fr):
                holders = [self._placeholders(sk, decs) for sk, decs in abstract]
                self.err = holders[-1]
                out = self.exec_from(fr, h, tuple(holders[:-1]), region, None)
                back = out.paths.get(("back",))
                back_state = list(back[0]) + [self.err] if back else None
                exits = [(k, p) for k, p in out.paths.items() if k != ("back",)]
                exit_skels = {}
                for k, (a, carry) in exits:
                    exit_skels[k] = flatten((a, pack_carry(carry)), [])
            if back is None:
                # never loops back with these values: run the body once, unrolled
                return self.exec_from(fr, h, entry, region, None)
            new = []
            for k, ((sk, decs), v, nm) in enumerate(zip(abstract, back_state,
                                                         names + ["(error state)"])):
                try:
                    new.append(_widen(sk, decs, v, nm, self.span))
                except Unstable as e:
                    raise self._loop_instability(fr, h, k, nm, state[k], v) or e
            if all(_same_abstract(a, b) for a, b in zip(abstract, new)):
                break
            abstract = new
        else:
            raise Unstable("a loop whose variables keep changing", self.span)
        return self._emit_while(fr, h, entry, region, abstract, exits, exit_skels)

    def _loop_instability(self, fr: FrameState, h: int, k: int, name: str | None,
                          before: Any, after: Any) -> "Unstable | None":
        """Name the variable, its type before the loop and after an iteration, and the lines
        where each was assigned (section 6)."""
        if name is None or k >= len(fr.ir.blocks[h].params):
            return None
        body = fr.cfg.loops[h].blocks
        lines = {}
        for b in fr.cfg.preds.get(h, []):
            t = fr.ir.blocks[b].term
            for tgt, targs in zip(t.targets, t.target_args):
                if tgt == h and k < len(targs):
                    span = self._def_span(fr, targs[k]) or t.span
                    lines["after" if b in body else "before"] = span
        if describe(before) == describe(after):
            return None
        b, a = lines.get("before"), lines.get("after")
        where = (f" (line {b.line})" if b is not None else "", f" (line {a.line})" if a is not None else "")
        return Unstable(f"variable `{name}` changes type in a loop: {describe(before)}{where[0]} "
                        f"and {describe(after)}{where[1]}", a or self.span)

    def _def_span(self, fr: FrameState, reg: int) -> Span | None:
        bid = fr.cfg.def_block.get(reg)
        if bid is None:
            return None
        for inst in fr.ir.blocks[bid].insts:
            if inst.res == reg and inst.span is not NO_SPAN:
                return inst.span
        return None

    def _placeholders(self, skel: Any, decs: list) -> Any:
        leaves = []
        for dec in decs:
            if dec[0] == "const":
                leaves.append(dec[1])
            else:
                leaves.append(Dyn(self.em.fresh("p"), dec[3], dec[1], dec[2]))
        return unflatten(skel, iter(leaves))

    def _emit_while(self, fr, h, entry, region, abstract, exits, exit_skels) -> Outcome:
        exit_keys = [k for k, _ in exits]
        # the loop state: selector, the header's run-time leaves, each exit's leaves
        state_types: list[tuple[np.dtype, tuple, Any]] = [(np.dtype(np.int64), (), T.BUILTIN_TYPES["Int64"])]
        for sk, decs in abstract:
            for dec in decs:
                if dec[0] == "dyn":
                    state_types.append((dec[1], dec[2], dec[3]))
        exit_leaf_types: dict[tuple, list] = {}
        for k in exit_keys:
            ls: list = []
            _leaf_skels(exit_skels[k], ls)
            exit_leaf_types[k] = [(np.dtype(dtype_of(s.arr_type)) if s.shape is None else
                                   np.dtype(dtype_of(_array_eltype(s.arr_type))),
                                   () if s.shape is None else s.shape, s.arr_type) for s in ls]
            state_types.extend(exit_leaf_types[k])
        htypes = [hlo.tensor(dt, sh) for dt, sh, _ in state_types]
        # initial values
        init = [self.const(0, np.int64)]
        for (sk, decs), v in zip(abstract, list(entry) + [self.err]):
            leaves: list = []
            flatten(v, leaves)
            for dec, leaf in zip(decs, leaves):
                if dec[0] == "dyn":
                    init.append(self.dyn(leaf, dec[1], dec[2]))
        for k in exit_keys:
            for dt, sh, _ in exit_leaf_types[k]:
                init.append(self.const(0, dt, sh))
        # condition: selector == 0 (still looping) and no error
        with self.em.region() as cond:
            params = [(self.em.fresh("c"), t) for t in htypes]
            self.em.block_header(params)
            sel = Dyn(params[0][0], T.BUILTIN_TYPES["Int64"], np.int64, ())
            go = self.compare(sel, self.const(0, np.int64), "EQ")
            err_pos = 1 + sum(1 for sk, decs in abstract[:-1] for d in decs if d[0] == "dyn")
            err_code_dec = abstract[-1][1][0]
            if err_code_dec[0] == "dyn":
                e = Dyn(params[err_pos][0], T.BUILTIN_TYPES["Int64"], np.int64, ())
                ok = self.compare(e, self.const(0, np.int64), "EQ")
                go = self.logical("and", go, ok)
            self.em.ret([(go.name, go.htype)])
        # body
        saved_vals = dict(fr.vals)
        with self.em.region() as body:
            params = [(self.em.fresh("s"), t) for t in htypes]
            self.em.block_header(params)
            it = iter(params[1:])
            state = []
            for sk, decs in abstract:
                leaves = []
                for dec in decs:
                    if dec[0] == "const":
                        leaves.append(dec[1])
                    else:
                        leaves.append(Dyn(next(it)[0], dec[3], dec[1], dec[2]))
                state.append(unflatten(sk, iter(leaves)))
            old_exit_leaves = {k: [Dyn(next(it)[0], at, dt, sh) for dt, sh, at in exit_leaf_types[k]]
                               for k in exit_keys}
            self.err = state[-1]
            out = self.exec_from(fr, h, tuple(state[:-1]), region, None)
            keys = list(out.paths)
            for k in keys:
                if k != ("back",) and k not in exit_keys:
                    raise Unstable("a loop exit found late", self.span)
            # new selector
            order = [("back",)] + exit_keys
            if out.dead:
                new_sel: Any = 0
            elif len(keys) == 1:
                new_sel = order.index(keys[0])
            else:
                new_sel = self._remap(out.sel, keys, order)
            rets = [self.dyn(new_sel, np.int64)]
            back = out.paths.get(("back",))
            back_state = list(back[0]) + [self.err] if back else None
            for idx, ((sk, decs), nm) in enumerate(zip(abstract, range(len(abstract)))):
                if back_state is not None:
                    v = back_state[idx]
                    if idx == len(abstract) - 1:
                        v = self.err
                    leaves = []
                    sk2 = flatten(v, leaves)
                    if not skel_equal(sk, sk2):
                        raise Unstable("a loop variable changes type", self.span)
                else:
                    leaves = []
                    flatten(self.err if idx == len(abstract) - 1 else state[idx], leaves)
                for dec, leaf in zip(decs, leaves):
                    if dec[0] == "dyn":
                        rets.append(self.dyn(leaf, dec[1], dec[2]))
            for k in exit_keys:
                if k in out.paths:
                    a, carry = out.paths[k]
                    leaves = []
                    sk2 = flatten((a, pack_carry(carry)), leaves)
                    if not skel_equal(exit_skels[k], sk2):
                        raise Unstable("a value leaving the loop changes type", self.span)
                    for (dt, sh, _), leaf in zip(exit_leaf_types[k], leaves):
                        rets.append(self.dyn(leaf, dt, sh))
                else:
                    rets.extend(old_exit_leaves[k])
            self.em.ret([(r.name, r.htype) for r in rets])
        fr.vals.clear()
        fr.vals.update(saved_vals)
        names = self.em.op("stablehlo.while", [(x.name, x.htype) for x in init], htypes, "",
                           [cond, body])
        it2 = iter(names)
        sel_out = Dyn(next(it2), T.BUILTIN_TYPES["Int64"], np.int64, ())
        final_state = []
        for sk, decs in abstract:
            leaves = []
            for dec in decs:
                leaves.append(dec[1] if dec[0] == "const" else Dyn(next(it2), dec[3], dec[1], dec[2]))
            final_state.append(unflatten(sk, iter(leaves)))
        self.err = final_state[-1]
        result = Outcome()
        for k in exit_keys:
            leaves = [Dyn(next(it2), at, dt, sh) for dt, sh, at in exit_leaf_types[k]]
            a, carry = unflatten(exit_skels[k], iter(leaves))
            result.paths[k] = (a, unpack_carry(carry))
        if len(exit_keys) > 1:
            one = self.const(1, np.int64)
            result.sel = self.op("stablehlo.subtract", [sel_out, one], sel_out.arr_type, np.int64, ())
        return result

    def _remap(self, sel: Any, keys: list, order: list) -> Any:
        """The index into `order` of the destination that `sel` picks among `keys`."""
        if all(order.index(k) == j for j, k in enumerate(keys)):
            return sel
        res: Any = order.index(keys[-1])
        for j, k in enumerate(keys[:-1]):
            hit = self.compare(self.dyn(sel, np.int64), self.const(j, np.int64), "EQ")
            res = self.select(hit, order.index(k), res)
        return res

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
        if op == "tuple":
            return tuple(vals[x] for x in a)
        if op == "namedtuple":
            return NamedTupleValue(tuple(inst.attr), tuple(vals[x] for x in a))
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
        from .interp import Builtin, Closure, _is_type_value
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
            if isinstance(f, Builtin):
                self.fail(f"the built-in {f.name}")
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
                r = self.call(f, a, kw)
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


IMPURE = frozenset({"write_stdout", "write_stderr", "flush_stdout", "read_file", "write_file",
                    "read_stdin_line", "time_ns", "seed", "rand", "randn", "rand_int",
                    "randperm", "throw"})


def _is_for_loop(ir: Any, h: int) -> bool:
    """A `for` loop's header tests `iterate`'s result with `isnothing` (section 6 unrolls
    `for` loops over tuples and constant ranges, not `while` loops)."""
    return any(i.op == "prim" and i.attr[0] == "isnothing" for i in ir.blocks[h].insts)


def pack_carry(carry: dict) -> NamedTupleValue:
    """Registers handed out of a loop, as a value whose skeleton holds the register
    numbers (so that merging keeps them)."""
    regs = sorted(carry)
    return NamedTupleValue(tuple(str(r) for r in regs), tuple(carry[r] for r in regs))


def unpack_carry(nt: NamedTupleValue) -> dict:
    return {int(n): v for n, v in zip(nt.names, nt.values)}


def has_dyn_able(v: Any) -> bool:
    """Whether a global's value has numbers or arrays (read at call time) in it."""
    t = type(v)
    if t in (tuple, NamedTupleValue, StructValue, UnitRange, StepRange):
        leaves: list = []
        flatten(v, leaves)
        return bool(leaves)
    return isinstance(v, np.ndarray) and v.dtype.kind in "biuf"


def _leaves(v: Any) -> list:
    out: list = []
    flatten(v, out)
    return out


def _leaf_skels(skel: Any, out: list) -> None:
    if isinstance(skel, Leaf):
        out.append(skel)
        return
    kind = skel[0]
    if kind == "const":
        return
    if kind == "tuple":
        parts = skel[1]
    elif kind in ("nt", "struct", "closure"):
        parts = skel[2]
    else:
        parts = skel[1:]
    for s in parts:
        _leaf_skels(s, out)


def _leaf_dtype(v: Any) -> np.dtype:
    if isinstance(v, (Dyn, np.ndarray)):
        return v.dtype
    return np.dtype(dtype_of(T.typeof(v)))


def _lift_values(versions: list) -> list:
    """`nothing` in some versions of a value and something else in others: a Maybe in
    every version (tuples are walked in step: the values handed out are tuples)."""
    if all(type(v) is tuple for v in versions) and len({len(v) for v in versions}) == 1:
        cols = [_lift_values([v[k] for v in versions]) for k in range(len(versions[0]))]
        return [tuple(c[s] for c in cols) for s in range(len(versions))]
    return _lift_nothing(versions)


def _lift_nothing(versions: list) -> list:
    """Lift `nothing` / value / Maybe versions of one value to Maybes."""
    if not any(v is None or isinstance(v, Maybe) for v in versions) or \
            all(v is None for v in versions) or all(isinstance(v, Maybe) for v in versions):
        return versions
    proto = next((v.value if isinstance(v, Maybe) else v) for v in versions
                 if v is not None)
    return [v if isinstance(v, Maybe) else Maybe(True, _zeros_like(proto)) if v is None
            else Maybe(False, v) for v in versions]


def _array_eltype(t: Any) -> Any:
    body, _ = T.unwrap(t)
    return body.params[0]


def _zeros_like(v: Any) -> Any:
    leaves: list = []
    sk = flatten(v, leaves)
    zs = [np.zeros_like(x) if isinstance(x, np.ndarray) else
          (np.zeros(x.shape, x.dtype) if isinstance(x, Dyn) and x.is_array else
           make_scalar(0, x.dtype if isinstance(x, Dyn) else np.dtype(dtype_of(T.typeof(x)))))
          for x in leaves]
    return unflatten(sk, iter(zs))


def _skel_and_leaves(v: Any) -> tuple[Any, list]:
    """The abstract state of a loop value: its skeleton and, per leaf, ("const", value) or
    ("dyn", dtype, shape, arr_type)."""
    leaves: list = []
    sk = flatten(v, leaves)
    decs = []
    for x in leaves:
        if isinstance(x, Dyn):
            decs.append(("dyn", x.dtype, x.shape, x.arr_type))
        else:
            decs.append(("const", x))
    return sk, decs


def _widen(sk: Any, decs: list, v: Any, name: str | None, span: Span | None) -> tuple[Any, list]:
    leaves: list = []
    sk2 = flatten(v, leaves)
    if not skel_equal(sk, sk2):
        raise Unstable(f"variable `{name or '?'}` changes type in the loop", span)
    out = []
    for dec, x in zip(decs, leaves):
        if dec[0] == "const" and not isinstance(x, Dyn) and not isinstance(x, np.ndarray) \
                and _same_const(dec[1], x):
            out.append(dec)
            continue
        if dec[0] == "dyn":
            dt, shape, at = dec[1], dec[2], dec[3]
        else:
            c = dec[1]
            at = T.typeof(c)
            dt = c.dtype if isinstance(c, np.ndarray) else np.dtype(dtype_of(at))
            shape = tuple(c.shape) if isinstance(c, np.ndarray) else ()
        xd = x.dtype if isinstance(x, Dyn) else (x.dtype if isinstance(x, np.ndarray)
                                                  else np.dtype(dtype_of(T.typeof(x))))
        xs = x.shape if isinstance(x, (Dyn, np.ndarray)) else ()
        if xd != dt or (xs != shape and (len(xs) != len(shape) or not is_scalar_type(at))):
            if is_scalar_type(at) and xd != dt:
                raise Unstable(f"variable `{name or '?'}` changes type in the loop", span)
            raise Unstable(f"variable `{name or '?'}` changes shape in the loop "
                           f"({shape} to {xs})", span)
        out.append(("dyn", dt, max(shape, xs, key=len), at))
    return sk, out


def _same_abstract(a: tuple, b: tuple) -> bool:
    da, db = a[1], b[1]
    if len(da) != len(db):
        return False
    for x, y in zip(da, db):
        if x[0] != y[0]:
            return False
        if x[0] == "const" and not _same_const(x[1], y[1]):
            return False
        if x[0] == "dyn" and (x[1] != y[1] or x[2] != y[2]):
            return False
    return True
