"""Type inference: abstract interpretation of an IR function for given argument values.

`infer(interp, ir, args, env)` returns a `Typed` result: an `AbstractValue` (lattice.py)
for every register, the joined return value, the calls it resolved, and what makes the
function unfit for compilation (type instability, interpreter-only operations).

The algorithm (a worklist over blocks, as in Julia's `typeinf`):
1. The entry block starts with the argument values; every other register is unset.
2. A block is evaluated instruction by instruction with the abstract rules below; a
   branch passes its arguments to the target's parameters, joining them with what is
   already there (`lattice.join`).  A parameter that grows puts its block back on the
   worklist.  A condition with a constant value follows only the branch taken.
3. Rules: constants are exact; `prim` uses the intrinsic's shape rule; `call` dispatches on
   the argument types and infers the callee for those arguments (memoized per session by
   method and argument values; a recursive call with the same method returns Any until a
   later pass, so inference terminates); tuples, named tuples and structs keep one
   abstract value per element (`parts`).
4. Widening: a block parameter that has been joined `WIDEN_AFTER` times loses its constant
   and shape, so every loop reaches a fixed point.
5. A block parameter whose joined type is not concrete is a type instability: it is
   reported with the variable's name, both types, and the lines they come from.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import dispatch, types as T
from .ir import IRFunction, UNDEF
from .lattice import NO_CONST, AbstractValue, join, of_value
from .source import ArrError, Span

WIDEN_AFTER = 8
ANY = AbstractValue(T.Any)


@dataclass(frozen=True, slots=True)
class ClosureValue:
    """The constant a `closure` instruction makes when its captures are known abstractly."""
    info: Any
    captures: tuple[AbstractValue, ...]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ClosureValue) and self.info is other.info and \
            self.captures == other.captures

    def __hash__(self) -> int:
        return id(self.info)


@dataclass
class Instability:
    name: str
    types: tuple[Any, Any]
    lines: tuple[int, int]

    def message(self) -> str:
        a, b = (T.show_type(t) for t in self.types)
        return (f"variable `{self.name}` changes type: {a} (line {self.lines[0]}) and "
                f"{b} (line {self.lines[1]})")


@dataclass
class Typed:
    ir: IRFunction
    values: dict[int, AbstractValue]
    ret: AbstractValue
    calls: dict[int, Any] = field(default_factory=dict)        # register -> Method
    instabilities: list[Instability] = field(default_factory=list)
    interpreter_only: list[str] = field(default_factory=list)  # reasons


class Inference:
    """Inference for one session: the memo of inferred (method, arguments)."""

    def __init__(self, interp: Any) -> None:
        self.interp = interp
        self.memo: dict[tuple, Typed] = {}
        self.stack: list[int] = []

    # ------------------------------------------------------------------ entry
    def infer(self, ir: IRFunction, args: list[AbstractValue], env: dict | None = None,
              closure: ClosureValue | None = None) -> Typed:
        key = (id(ir), tuple(_key(a) for a in args), _env_key(env),
               closure.captures if closure else None)
        hit = self.memo.get(key)
        if hit is not None:
            return hit
        if id(ir) in self.stack:                       # recursion: give up precision
            return Typed(ir, {}, ANY, interpreter_only=["recursion"])
        self.stack.append(id(ir))
        try:
            typed = _FunctionInference(self, ir, args, env or {}, closure).run()
        finally:
            self.stack.pop()
        self.memo[key] = typed
        return typed

    # ------------------------------------------------------------------ calls
    def infer_call(self, f: AbstractValue, *args: AbstractValue) -> AbstractValue:
        """The abstract result of calling f (used by higher-order shape rules too)."""
        return self.call(f, list(args), None)[0]

    def call(self, f: AbstractValue, args: list[AbstractValue],
             kw: AbstractValue | None) -> tuple[AbstractValue, Any]:
        from .interp import BuiltinImpl, Closure, MethodImpl, _is_type_value
        if not f.is_const:
            return ANY, None
        fv = f.const
        if isinstance(fv, ClosureValue):
            info = fv.info
            if info.vararg or info.kwnames or info.kw_vararg or len(args) != info.nparams:
                return ANY, None
            return self.infer(info.ir, args, None, fv).ret, info
        if any(not T.is_concrete(a.type) for a in args):
            return ANY, None
        argtypes = tuple(a.type for a in args)
        if isinstance(fv, dispatch.GenericFunction):
            table, call_args = fv, args
        elif _is_type_value(fv):
            table = self.interp.ctor_tables.get(T.ctor_key(fv))
            call_args = [f] + args
            argtypes = (T.type_of_type(fv),) + argtypes
        elif isinstance(fv, Closure):
            return ANY, None
        else:
            return ANY, None
        if table is None:
            return ANY, None
        try:
            method, env = dispatch.lookup(table, argtypes, None)
        except ArrError:
            return AbstractValue(T.Bottom), None       # raises when run: never returns
        impl = method.impl
        if isinstance(impl, BuiltinImpl):
            if _is_type_value(fv):
                return self._construct(fv, env, method), method
            return ANY, method
        if not isinstance(impl, MethodImpl):
            return ANY, method
        if impl.drop_first:
            call_args = call_args[1:]
        if impl.vararg:
            n = impl.nparams - 1
            rest = call_args[n:]
            call_args = call_args[:n] + [_tuple_value(rest)]
        if impl.has_kw:
            call_args = call_args + [kw if kw is not None else of_value(_EMPTY_KW)]
        elif kw is not None:
            return AbstractValue(T.Bottom), method
        return self.infer(impl.ir, call_args, env).ret, method

    def _construct(self, t: Any, env: dict, method: Any) -> AbstractValue:
        if isinstance(t, T.DataType) and T.is_concrete(t):
            return AbstractValue(t)
        params = []
        body, vars_ = T.unwrap(t)
        for v in vars_:
            if v.name not in env:
                return AbstractValue(t)
            params.append(env[v.name])
        return AbstractValue(T.apply_type(t, tuple(params)))


def _key(a: AbstractValue) -> tuple:
    const = a.const if a.is_const and _hashable(a.const) else None
    return (id(a.type) if not isinstance(a.type, T.DataType) else a.type, a.shape, const,
            tuple(_key(p) for p in a.parts) if a.parts else None)


def _hashable(v: Any) -> bool:
    try:
        hash(v)
        return True
    except TypeError:
        return False


def _env_key(env: dict | None) -> tuple:
    if not env:
        return ()
    return tuple(sorted((k, id(v)) for k, v in env.items()))


def _tuple_value(items: list[AbstractValue]) -> AbstractValue:
    t = T.tuple_type(tuple(a.type for a in items))
    const = tuple(a.const for a in items) if all(a.is_const for a in items) else NO_CONST
    return AbstractValue(t, (), const, tuple(items))


from .values import NamedTupleValue  # noqa: E402

_EMPTY_KW = NamedTupleValue((), ())


class _FunctionInference:
    def __init__(self, engine: Inference, ir: IRFunction, args: list[AbstractValue],
                 env: dict, closure: ClosureValue | None) -> None:
        self.engine = engine
        self.ir = ir
        self.args = args
        self.env = env
        self.closure = closure
        self.values: dict[int, AbstractValue] = {}
        self.joins: dict[int, int] = {}
        self.sources: dict[int, list[tuple[AbstractValue, int]]] = {}
        self.ret: AbstractValue | None = None
        self.evaluated: dict[int, tuple] = {}     # block -> its parameters when last run
        self.typed = Typed(ir, self.values, ANY)

    def run(self) -> Typed:
        work = [0]
        while work:
            bid = work.pop(0)
            for tgt in self.eval_block(bid):
                if tgt not in work:
                    work.append(tgt)
        self.typed.ret = self.ret if self.ret is not None else AbstractValue(T.Bottom)
        self.check_stability()
        return self.typed

    # ---------------------------------------------------------------- blocks
    def eval_block(self, bid: int) -> list[int]:
        blk = self.ir.blocks[bid]
        params = tuple(self.values.get(p) for p in blk.params)
        changed = bid not in self.evaluated or params != self.evaluated[bid]
        self.evaluated[bid] = params
        for inst in blk.insts:
            if inst.res >= 0 or inst.op in ("setglobal", "box_set", "try_enter", "defmethod"):
                v = self.eval_inst(inst)
                if inst.res >= 0:
                    old = self.values.get(inst.res)
                    if old is None or old != v:
                        changed = True
                    self.values[inst.res] = v
        t = blk.term
        out = []
        if t.op == "ret":
            v = self.get(t.args[0])
            self.ret = v if self.ret is None else join(self.ret, v)
            return out
        targets = list(zip(t.targets, t.target_args))
        if t.op == "condbr":
            c = self.get(t.args[0])
            if c.is_const and isinstance(c.const, bool):
                targets = [targets[0] if c.const else targets[1]]
        for tgt, targs in targets:
            # a successor is (re)visited when its parameters grew, or when values this
            # block computed (which it may use directly) changed
            if self.pass_args(tgt, targs, t.span) or changed:
                out.append(tgt)
        return out

    def pass_args(self, tgt: int, targs: tuple[int, ...], span: Span) -> bool:
        blk = self.ir.blocks[tgt]
        grew = tgt not in self.joins
        self.joins[tgt] = self.joins.get(tgt, 0) + 1
        for p, a in zip(blk.params, targs):
            v = self.get(a)
            self.sources.setdefault(p, []).append((v, span.line))
            old = self.values.get(p)
            new = v if old is None else join(old, v)
            if self.joins[tgt] > WIDEN_AFTER and new.is_const or (
                    self.joins[tgt] > 2 * WIDEN_AFTER and new.shape is not None):
                new = AbstractValue(new.type, new.shape if self.joins[tgt] <= 2 * WIDEN_AFTER
                                    else None)
            if old is None or new != old:
                self.values[p] = new
                grew = True
        return grew

    def get(self, reg: int) -> AbstractValue:
        return self.values.get(reg, ANY)

    def unfit(self, why: str) -> None:
        if why not in self.typed.interpreter_only:
            self.typed.interpreter_only.append(why)

    # ---------------------------------------------------------------- instructions
    def eval_inst(self, inst: Any) -> AbstractValue:
        op, a = inst.op, inst.args
        g = self.engine.interp.globals
        if op == "const":
            if inst.attr is UNDEF:
                return AbstractValue(T.Bottom)
            return of_value(inst.attr)
        if op == "arg":
            return self.args[inst.attr] if inst.attr < len(self.args) else ANY
        if op == "sparam":
            v = self.env.get(inst.attr)
            return of_value(v) if v is not None else ANY
        if op == "getglobal":
            if inst.attr not in g:
                return AbstractValue(T.Bottom)           # UndefVarError when run
            v = g[inst.attr]
            if isinstance(v, T.TYPE_VALUE_CLASSES) or hasattr(v, "arr_type") or \
                    inst.attr in self.engine.interp.consts:
                return of_value(v)
            return of_value(v, keep_const=False)         # read at call time
        if op in ("setglobal", "defmethod", "defstruct", "defabstract"):
            self.unfit(f"{op.replace('set', 'assigns a ')}")
            return ANY
        if op == "call":
            return self.eval_call(inst)
        if op == "prim":
            return self.eval_prim(inst)
        if op == "tuple":
            return _tuple_value([self.get(x) for x in a])
        if op == "namedtuple":
            items = [self.get(x) for x in a]
            t = T.namedtuple_type(inst.attr, tuple(i.type for i in items))
            return AbstractValue(t, (), NO_CONST, tuple(items))
        if op == "getfield":
            return self.eval_getfield(self.get(a[0]), inst.attr)
        if op == "closure":
            caps = tuple(self.get(x) for x in a)
            info = inst.attr
            if not hasattr(info, "arr_type"):
                info.arr_type = T.function_type("#" + info.name)
            return AbstractValue(info.arr_type, (), ClosureValue(info, caps))
        if op == "capture":
            if self.closure is not None and inst.attr < len(self.closure.captures):
                return self.closure.captures[inst.attr]
            return ANY
        if op in ("box_new", "box_get"):
            self.unfit("a variable shared with a closure or a try block")
            return ANY
        if op == "box_set":
            return ANY
        if op == "checkdef":
            return self.get(a[0])
        if op == "typeassert":
            v, t = self.get(a[0]), self.get(a[1])
            if t.is_const and T.issubtype(v.type, t.const):
                return v
            return AbstractValue(t.const) if t.is_const else ANY
        if op == "boolcheck":
            v = self.get(a[0])
            return v if v.type is T.BUILTIN_TYPES["Bool"] else AbstractValue(
                T.BUILTIN_TYPES["Bool"])
        if op in ("try_enter", "try_leave"):
            self.unfit("try/catch")
            return ANY
        if op == "macro":
            self.unfit(f"@{inst.attr[0]}")
            return ANY
        return ANY

    def eval_call(self, inst: Any) -> AbstractValue:
        flags, kwnames = inst.attr
        nkw = len(kwnames)
        regs = inst.args
        f = self.get(regs[0])
        pos = regs[1:len(regs) - nkw] if nkw else regs[1:]
        args: list[AbstractValue] = []
        for i, r in enumerate(pos):
            v = self.get(r)
            if flags and flags[i]:
                if v.parts is None:
                    self.unfit("splatting a value of unknown length")
                    return ANY
                args.extend(v.parts)
            else:
                args.append(v)
        kw = None
        if nkw:
            names: list[str] = []
            items: list[AbstractValue] = []
            for k, r in zip(kwnames, regs[len(regs) - nkw:]):
                v = self.get(r)
                if k != "...":
                    names.append(k)
                    items.append(v)
                    continue
                splat = _namedtuple_names(v.type)          # `f(; kws...)`
                if splat is None or (splat and v.parts is None):
                    self.unfit("splatted keyword arguments of unknown names")
                    return ANY
                names.extend(splat)
                items.extend(v.parts or ())
            if names:
                kw = AbstractValue(T.namedtuple_type(tuple(names), tuple(i.type for i in items)),
                                   (), NO_CONST, tuple(items))
        result, target = self.engine.call(f, args, kw)
        if target is not None:
            self.typed.calls[inst.res] = target
        return result

    def eval_prim(self, inst: Any) -> AbstractValue:
        from .prims import PRIMITIVES
        name = inst.attr[0]
        args = [self.get(x) for x in inst.args]
        if name == "iter_item":
            t, i = args
            if t.parts is not None and i.is_const:
                return t.parts[i.const - 1]
            return ANY
        if name == "isnothing":
            v = args[0]
            nothing_t = T.BUILTIN_TYPES["Nothing"]
            if v.type is nothing_t:
                return of_value(True)
            if T.is_concrete(v.type):
                return of_value(False)
            return AbstractValue(T.BUILTIN_TYPES["Bool"])
        if name in ("kwget", "kwrest", "isundef"):
            return self.eval_kw(name, args, inst.attr[1:])
        if name in ("time_start", "time_report", "setfield_error", "new_marker", "apply_type"):
            if name == "apply_type" and all(x.is_const for x in args):
                try:
                    return of_value(T.apply_type(args[0].const, tuple(x.const for x in args[1:])))
                except ArrError:
                    return AbstractValue(T.Bottom)
            return ANY
        p = PRIMITIVES.get(name)
        if p is None or p.shape is None:
            return ANY
        try:
            return p.shape(self.engine, *args) if p.needs_ctx else p.shape(*args)
        except ArrError:
            return AbstractValue(T.Bottom)               # the call raises when run
        except Exception:                                # a rule that cannot say: be honest
            return ANY

    def eval_kw(self, name: str, args: list[AbstractValue], extra: tuple) -> AbstractValue:
        kw = args[0]
        names = _namedtuple_names(kw.type)
        if name == "isundef":
            v = args[0]
            return of_value(v.type is T.Bottom) if T.is_concrete(v.type) or v.type is T.Bottom \
                else AbstractValue(T.BUILTIN_TYPES["Bool"])
        if names is None or kw.parts is None:
            return ANY
        if name == "kwget":
            key = extra[0]
            return kw.parts[names.index(key)] if key in names else AbstractValue(T.Bottom)
        known = extra[0]
        keep = [(n, p) for n, p in zip(names, kw.parts) if n not in known]
        t = T.namedtuple_type(tuple(n for n, _ in keep), tuple(p.type for _, p in keep))
        return AbstractValue(t, (), NO_CONST, tuple(p for _, p in keep))

    def eval_getfield(self, obj: AbstractValue, name: str) -> AbstractValue:
        t = obj.type
        if not isinstance(t, T.DataType):
            return ANY
        names = _namedtuple_names(t)
        if names is None:
            try:
                names = T.fieldnames(t)
            except Exception:
                return ANY
        if name not in names:
            return AbstractValue(T.Bottom)
        i = list(names).index(name)
        if obj.parts is not None:
            return obj.parts[i]
        if obj.is_const:
            from .frames import get_field
            return of_value(get_field(obj.const, name, None))
        try:
            return AbstractValue(T.struct_fieldtypes(t)[i])
        except Exception:
            return ANY

    # ---------------------------------------------------------------- stability
    def check_stability(self) -> None:
        for blk in self.ir.blocks:
            for p in blk.params:
                v = self.values.get(p)
                name = self.ir.names.get(p)
                if v is None or name is None or T.is_concrete(v.type):
                    continue
                srcs = self.sources.get(p, [])
                kinds: dict[Any, int] = {}
                for sv, line in srcs:
                    if T.is_concrete(sv.type) and sv.type not in kinds:
                        kinds[sv.type] = line
                if len(kinds) >= 2:
                    (t1, l1), (t2, l2) = list(kinds.items())[:2]
                    self.typed.instabilities.append(Instability(name, (t1, t2), (l1, l2)))


def _namedtuple_names(t: Any) -> tuple[str, ...] | None:
    if isinstance(t, T.DataType) and t.typename.name == "NamedTuple" and t.params:
        names = t.params[0]
        if isinstance(names, tuple):
            return tuple(getattr(n, "name", n) for n in names)
    return None
