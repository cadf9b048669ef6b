"""The symbolic values of staging (see staging.py): run-time values (`Dyn`), unions
known at run time (`Maybe`), the skeleton/leaves split used to merge values where control
flow joins, the `Outcome` of tracing a region, and the exceptions that stop a compile.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import numpy as np

from . import hlo, types as T
from .cfg import analyze
from .lattice import _same_const
from .prims.numeric import dtype_of, make_scalar
from .source import ArrError, Frame, Span
from .values import NamedTupleValue, StepRange, StructValue, Symbol, UnitRange


class NotCompilable(Exception):
    """The call needs the interpreter; `reason` says why (shown by @code_hlo)."""

    def __init__(self, reason: str, span: Span | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.span = span


class Unstable(NotCompilable):
    """A variable changes type across a branch or a loop (section 6).  `quiet`: its type
    stays, but it holds different compile-time constants (strings, functions), which is
    no type instability to warn about; a loop over them may still unroll."""

    def __init__(self, reason: str, span: Span | None = None, quiet: bool = False) -> None:
        super().__init__(reason, span)
        self.quiet = quiet


class TooDeep(NotCompilable):
    """Recursion deeper than staging inlines: the call needs the interpreter (no side of a
    branch is made a deoptimization for it: each level would try again)."""


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


class Back:
    """A function made while staging whose symbolic values are visible to the stager:
    `maker(*static, *data)` is the Python function to call.  `static` (compile-time
    values, compared by equality) is part of its skeleton, `data` (symbolic values) is
    flattened like a tuple, so a Back can be merged where control flow joins, carried by
    loops and stored on a tape (the pullbacks of compiled differentiation)."""
    __slots__ = ("name", "maker", "static", "data", "arr_type")

    def __init__(self, name: str, maker: Callable, static: tuple, data: tuple) -> None:
        self.name = name
        self.maker = maker
        self.static = static
        self.data = data
        self.arr_type = T.function_type(name)

    def __call__(self, *args: Any) -> Any:
        return self.maker(*self.static, *self.data)(*args)

    def __repr__(self) -> str:
        return f"<{self.name}>"


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
    if t is Back:
        return has_dyn(v.data)
    if hasattr(t, "arr_flatten"):
        return any(has_dyn(c) for c in v.arr_flatten()[1])
    return False


def _numeric_const(v: Any) -> bool:
    if isinstance(v, bool) or type(v) in (int, float):
        return True
    if isinstance(v, np.generic):
        return v.dtype.kind in "biuf"
    if isinstance(v, np.ndarray):
        return v.dtype.kind in "biuf"
    return False


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
    if t is Back:
        return ("back", (v.name, v.maker, v.static), flatten(v.data, leaves))
    if hasattr(t, "arr_flatten"):
        # a symbolic container defined elsewhere (the tape of compiled differentiation):
        # `arr_flatten() -> (key, children)`, `arr_unflatten(key, children)`,
        # `key_equal(k1, k2)`
        key, children = v.arr_flatten()
        return ("custom", t, key, tuple(flatten(c, leaves) for c in children))
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
    if kind == "back":
        name, maker, static = skel[1]
        return Back(name, maker, static, unflatten(skel[2], leaves))
    if kind == "custom":
        return skel[1].arr_unflatten(skel[2], [unflatten(c, leaves) for c in skel[3]])
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
    if a[0] == "back":
        return _same_static(a[1], b[1]) and skel_equal(a[2], b[2])
    if a[0] == "custom":
        return a[1] is b[1] and a[1].key_equal(a[2], b[2]) and len(a[3]) == len(b[3]) and \
            all(skel_equal(x, y) for x, y in zip(a[3], b[3]))
    if a[0] in ("nt", "closure") and a[1] != b[1] and a[1] is not b[1]:
        return False
    rest_a = a[2] if a[0] in ("nt", "struct", "closure") else a[1:] if a[0] != "tuple" else a[1]
    rest_b = b[2] if b[0] in ("nt", "struct", "closure") else b[1:] if b[0] != "tuple" else b[1]
    return len(rest_a) == len(rest_b) and all(skel_equal(x, y) for x, y in zip(rest_a, rest_b))


def _same_static(a: tuple, b: tuple) -> bool:
    """The compile-time part of two Backs: the same maker and equal static values."""
    if a[0] != b[0] or a[1] != b[1] or len(a[2]) != len(b[2]):
        return False
    for x, y in zip(a[2], b[2]):
        if x is y:
            continue
        try:
            if type(x) is not type(y) or not bool(x == y):
                return False
        except Exception:
            return False
    return True


def describe(v: Any) -> str:
    """The type of a symbolic value, for messages."""
    if v is DEAD:
        return "Union{}"
    try:
        return T.show_type(T.typeof(v))
    except Exception:
        return type(v).__name__


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
    elif kind == "back":
        parts = (skel[2],)
    elif kind == "custom":
        parts = skel[3]
    else:
        parts = skel[1:]
    for s in parts:
        _leaf_skels(s, out)


def _leaf_dtype(v: Any) -> np.dtype:
    if isinstance(v, (Dyn, np.ndarray)):
        return v.dtype
    return np.dtype(dtype_of(T.typeof(v)))


def _lift_values(versions: list, adjoint: bool = False) -> list:
    """`nothing` in some versions of a value and something else in others: a Maybe in
    every version (tuples are walked in step: the values handed out are tuples).
    `adjoint`: the values are adjoints (a backward pass), where `nothing` is a zero, so a
    tuple adjoint that is `nothing` on some paths is a tuple of such elements."""
    if adjoint:
        versions = _spread_zero_tuples(versions)
    if all(type(v) is tuple for v in versions) and len({len(v) for v in versions}) == 1:
        cols = [_lift_values([v[k] for v in versions], adjoint)
                for k in range(len(versions[0]))]
        return [tuple(c[s] for c in cols) for s in range(len(versions))]
    return _lift_nothing(versions)


def _spread_zero_tuples(versions: list) -> list:
    """Adjoint versions that are tuples of one length, `nothing`, or a `Maybe` of such a
    tuple: all made tuples (`nothing` is a tuple of `nothing`s; a Maybe goes into each
    element)."""
    def tuple_len(v: Any) -> int | None:
        if type(v) is tuple:
            return len(v)
        if isinstance(v, Maybe) and type(v.value) is tuple and \
                not any(isinstance(x, Maybe) for x in v.value):
            return len(v.value)
        return None
    lens = {tuple_len(v) for v in versions if v is not None}
    if len(lens) != 1 or None in lens or all(type(v) is tuple for v in versions):
        return versions
    (n,) = lens
    return [(None,) * n if v is None else v if type(v) is tuple else
            tuple(None if x is None else Maybe(v.flag, x) for x in v.value)
            for v in versions]


def _lift_nothing(versions: list) -> list:
    """Lift `nothing` / value / Maybe versions of one value to Maybes."""
    if not any(v is None or isinstance(v, Maybe) for v in versions) or \
            all(v is None for v in versions) or all(isinstance(v, Maybe) for v in versions):
        return versions
    proto = next((v.value if isinstance(v, Maybe) else v) for v in versions
                 if v is not None)
    return [v if isinstance(v, Maybe) else Maybe(True, _zeros_like(proto)) if v is None
            else Maybe(False, v) for v in versions]


def conform(v: Any, skel: Any) -> Any:
    """v lifted to the run-time unions (`Maybe`) that skeleton `skel` has (and a tape
    spilled to the buffers that `skel` has: emits code)."""
    if isinstance(skel, tuple) and skel[0] == "custom" and type(v) is skel[1]:
        return v.arr_conform(skel)
    if isinstance(skel, tuple) and skel[0] == "maybe" and not isinstance(v, Maybe):
        if v is None:
            return Maybe(True, _zeros_of(skel[2]))
        return Maybe(False, conform(v, skel[2]))
    if isinstance(skel, tuple) and skel[0] == "tuple" and type(v) is tuple and \
            len(v) == len(skel[1]):
        return tuple(conform(x, s) for x, s in zip(v, skel[1]))
    if isinstance(skel, tuple) and skel[0] == "tuple" and v is None:
        # a zero adjoint where the joined ones are tuples (`_spread_zero_tuples`)
        return tuple(conform(None, s) for s in skel[1])
    return v


def _zeros_of(skel: Any) -> Any:
    """A value of skeleton `skel` with zero leaves (the unused side of a `Maybe`)."""
    ls: list = []
    _leaf_skels(skel, ls)
    zs = [np.zeros(s.shape, dtype_of(_array_eltype(s.arr_type))) if s.shape is not None
          else make_scalar(0, np.dtype(dtype_of(s.arr_type))) for s in ls]
    return unflatten(skel, iter(zs))


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
        before = describe(unflatten(sk, iter(d[1] if d[0] == "const" else
                                             np.zeros(d[2], d[1]) for d in decs)))
        if before == describe(v):
            raise Unstable(f"variable `{name or '?'}` is a {before} that changes in a loop",
                           span, quiet=True)
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
