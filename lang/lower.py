"""AST -> SSA IR (with `desugar.py`, which holds the rules for the sugar-only forms).

`lower_toplevel(stmt, is_global)` turns one top-level statement into a thunk (an
`IRFunction` with no arguments) that the interpreter runs; function definitions inside it
become `defmethod` instructions that carry their own lowered bodies.

The algorithm, per function body:
1. `scopes.analyze` decides which names are locals and which locals live in boxes.
2. The body is walked once; `Builder` (Braun et al.) turns variable reads and writes into
   SSA values and block arguments as it goes.
3. Desugaring happens on the way: operators are calls, `x[i] = v` rebinds `x` to
   `setindex(x, v, i)`, nested dotted calls fuse into one `broadcast` of a lambda,
   `for` uses the `iterate` protocol, comprehensions and generators become closures.
4. `Builder.finish` cleans up and returns the function; `verify.verify` checks it.

After lowering, the instruction kinds are those of `ir.OPS`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from . import syntax as S
from .builder import Builder
from .desugar import Desugar
from .ir import IRFunction
from .scopes import analyze, target_names
from .source import ParseError, Span, NO_SPAN
from .values import Symbol

INTRINSICS_MODULE = "Intrinsics"


@dataclass
class LambdaInfo:
    """What a `closure` instruction needs: the body and how to call it."""
    name: str
    ir: IRFunction
    nparams: int
    vararg: bool
    kwnames: tuple[str, ...]
    kw_vararg: bool
    span: Span


@dataclass
class MethodDef:
    """What a `defmethod` instruction needs: the AST (for the signature) and the body."""
    name: str | None                     # None for a callable-struct method
    fdef: S.FunctionDef                  # params here are the ones this method takes
    ir: IRFunction
    kwnames: tuple[str, ...]
    kw_vararg: bool
    doc: str | None
    source_text: str


@dataclass
class StructDefInfo:
    node: S.StructDef
    constructors: list[MethodDef] = field(default_factory=list)


def _name_of_function(fdef: S.FunctionDef) -> str:
    return fdef.name if fdef.name is not None else "(callable)"


class FunctionLowering(Desugar):
    """Lowers one body: a method, a lambda, or a top-level statement."""

    def __init__(self, name: str, span: Span, *, parent: "FunctionLowering | None" = None,
                 toplevel: bool = False, is_global: Callable[[str], bool] | None = None,
                 sparams: tuple[str, ...] = (), rettype: S.Node | None = None) -> None:
        self.b = Builder(name, span)
        self.parent = parent
        self.toplevel = toplevel
        self.is_global = is_global or (lambda n: False)
        self.scopes: list[dict[str, str]] = []
        self.boxed: set[str] = set()         # var keys that hold a box
        self.sparams = set(sparams)
        self.captures: list[tuple[str, tuple]] = []   # (name, resolution in parent)
        self.capture_index: dict[str, int] = {}
        self.loops: list[tuple[int, int, int]] = []   # (continue block, break block, try depth)
        self.try_stack: list[S.Block | None] = []   # finally bodies of the open `try`s
        self.rettype = rettype
        self.counter = 0
        self.index_stack: list[tuple[int, int, int]] = []   # (object reg, position, count)
        self.struct: S.StructDef | None = parent.struct if parent is not None else None

    # ------------------------------------------------------------ helpers
    def fresh(self, hint: str) -> str:
        self.counter += 1
        return f"#{hint}{self.counter}"

    def emit(self, op: str, args=(), attr=None, span: Span = NO_SPAN) -> int:
        return self.b.emit(op, tuple(args), attr, span)

    def const(self, v: Any, span: Span = NO_SPAN) -> int:
        return self.b.const(v, span)

    def call(self, fname: str, args: list[int], span: Span, kwnames: tuple = ()) -> int:
        f = self.emit("getglobal", (), fname, span)
        return self.emit("call", [f, *args], (None, kwnames), span)

    def nothing(self) -> int:
        return self.const(None)

    # ------------------------------------------------------------ variables
    def declare(self, name: str, span: Span, fresh: bool = False) -> str:
        key = self.fresh(name + "_") if fresh else name
        self.scopes[-1][name] = key
        return key

    def lookup_local(self, name: str) -> str | None:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def resolve(self, name: str) -> tuple:
        key = self.lookup_local(name)
        if key is not None:
            return ("local", key, key in self.boxed)
        if name in self.capture_index:
            i = self.capture_index[name]
            return ("capture", i, self.captures[i][1][-1])
        if name in self.sparams:
            return ("sparam", name)
        if self.parent is not None:
            outer = self.parent.resolve(name)
            if outer[0] != "global":
                boxed = outer[-1] if outer[0] in ("local", "capture") else False
                i = len(self.captures)
                self.captures.append((name, outer + ((boxed,) if outer[0] == "sparam" else ())))
                self.capture_index[name] = i
                return ("capture", i, boxed)
        return ("global", name)

    def read_raw(self, res: tuple, span: Span) -> int:
        """The register holding a resolved variable (the box itself when boxed)."""
        kind = res[0]
        if kind == "local":
            return self.b.read_var(res[1])
        if kind == "capture":
            return self.emit("capture", (), res[1], span)
        if kind == "sparam":
            return self.emit("sparam", (), res[1], span)
        raise AssertionError(res)

    def read_name(self, name: str, span: Span) -> int:
        if name == "new" and self.struct is not None and self.lookup_local(name) is None:
            return self.emit("prim", (), ("new_marker", self.struct.name), span)
        res = self.resolve(name)
        if res[0] == "global":
            return self.emit("getglobal", (), name, span)
        reg = self.read_raw(res, span)
        if res[0] in ("local", "capture") and res[2]:
            return self.emit("box_get", (reg,), name, span)
        if res[0] == "local":
            return self.emit("checkdef", (reg,), name, span)
        return reg

    def write_name(self, name: str, value: int, span: Span) -> None:
        res = self.resolve(name)
        if res[0] == "global":
            self.emit("setglobal", (value,), name, span)
        elif res[0] == "local":
            if res[2]:
                self.b.emit("box_set", (self.b.read_var(res[1]), value), name, span, result=False)
            else:
                self.b.write_var(res[1], value)
        elif res[0] == "capture":
            if not res[2]:
                raise ParseError(f"cannot assign captured variable {name}", span)
            box = self.emit("capture", (), res[1], span)
            self.b.emit("box_set", (box, value), name, span, result=False)
        else:
            raise ParseError(f"cannot assign to type parameter {name}", span)

    def enter_function_scope(self, body: S.Node, params: list[str], span: Span) -> None:
        info = analyze(body, set(params))
        scope: dict[str, str] = {}
        self.scopes.append(scope)
        for n in info.locals:
            # in a closure, assigning a local of an enclosing function updates that one
            if n not in params and n not in info.declared_local and self.parent is not None \
                    and self.parent.resolve(n)[0] in ("local", "capture"):
                continue
            scope[n] = n
        for n in info.boxed:
            self.boxed.add(n)

    # ------------------------------------------------------------ entry points
    def lower_body(self, params: list[S.Param], kwparams: list[S.Param], body: S.Node,
                   self_param: S.Param | None, span: Span, is_closure: bool) -> IRFunction:
        names: list[str] = []
        if self_param is not None:
            names.append(self_param.name or self.fresh("self"))
        for p in params:
            names.append(p.name or self.fresh("arg"))
        self.enter_function_scope(body, names + [p.name for p in kwparams if p.name], span)
        for i, n in enumerate(names):
            reg = self.emit("arg", (), i, span)
            self._init_local(n, reg, span)
        if kwparams:
            kwreg = self.emit("arg", (), len(names), span)
            self.lower_kwparams(kwparams, kwreg)
        nargs = len(names) + (1 if kwparams else 0)
        # boxes for boxed locals that are not parameters
        for n in sorted(self.boxed):
            if n not in names and n not in {p.name for p in kwparams}:
                self.b.write_var(n, self.emit("box_new", (), n, span))
        value = self.expr(body)
        if self.b.cur is not None:
            self.emit_return(value, span)
        return self.b.finish(nargs, is_closure=is_closure)

    def _init_local(self, name: str, reg: int, span: Span) -> None:
        if name in self.boxed:
            box = self.emit("box_new", (), name, span)
            self.b.emit("box_set", (box, reg), name, span, result=False)
            self.b.write_var(name, box)
        else:
            self.b.write_var(name, reg)

    def lower_kwparams(self, kwparams: list[S.Param], kwreg: int) -> None:
        known = tuple(p.name for p in kwparams if not p.vararg)
        for p in kwparams:
            if p.vararg:
                self._init_local(p.name, self.emit("prim", (kwreg,), ("kwrest", known), p.span),
                                 p.span)
                continue
            got = self.emit("prim", (kwreg,), ("kwget", p.name), p.span)
            missing = self.emit("prim", (got,), ("isundef",), p.span)
            then, else_, join = self.b.new_block(), self.b.new_block(), self.b.new_block()
            var = self.fresh("kwv")
            self.b.condbr(missing, then, else_, p.span)
            for blk in (then, else_):
                self.b.seal(blk)
            self.b.cur = then
            if p.default is None:
                msg = self.const(f"keyword argument `{p.name}` not assigned", p.span)
                self.call("throw", [self.call("UndefKeywordError", [msg], p.span)], p.span)
                self.b.unreachable(p.span)
            else:
                v = self.expr(p.default)
                self.b.write_var(var, v)
                self.b.br(join)
            self.b.cur = else_
            self.b.write_var(var, got)
            self.b.br(join)
            self.b.seal(join)
            self.b.cur = join
            v = self.b.read_var(var)
            if p.type is not None:
                v = self.emit("typeassert", (v, self.expr(p.type)), None, p.span)
            self._init_local(p.name, v, p.span)

    def emit_return(self, value: int, span: Span) -> None:
        if self.rettype is not None:
            t = self.expr(self.rettype)
            value = self.call("convert", [t, value], span)
            value = self.emit("typeassert", (value, t), None, span)
        self.b.ret(value, span)

    # ------------------------------------------------------------ expressions
    def expr(self, node: S.Node) -> int:
        method = getattr(self, "x_" + type(node).__name__, None)
        if method is None:
            raise ParseError(f"unsupported syntax ({type(node).__name__})", node.span)
        return method(node)

    def x_IntLit(self, n: S.IntLit) -> int:
        if not (-(1 << 63) <= n.value < (1 << 63)):
            raise ParseError(f"integer literal {n.value} does not fit in Int64", n.span)
        return self.const(n.value, n.span)

    def x_FloatLit(self, n: S.FloatLit) -> int:
        return self.const(np.float32(n.value) if n.bits == 32 else float(n.value), n.span)

    def x_BoolLit(self, n: S.BoolLit) -> int:
        return self.const(bool(n.value), n.span)

    def x_StringLit(self, n: S.StringLit) -> int:
        if all(isinstance(p, str) for p in n.parts):
            return self.const("".join(n.parts), n.span)
        args = [self.const(p, n.span) if isinstance(p, str) else self.expr(p) for p in n.parts]
        return self.call("string", args, n.span)

    def x_SymbolLit(self, n: S.SymbolLit) -> int:
        return self.const(Symbol(n.name), n.span)

    def x_Name(self, n: S.Name) -> int:
        return self.read_name(n.id, n.span)

    def x_Colon(self, n: S.Colon) -> int:
        return self.call("Colon", [], n.span)

    def x_End(self, n: S.End) -> int:
        return self._end_or_begin(n, "lastindex")

    def x_Begin(self, n: S.Begin) -> int:
        return self._end_or_begin(n, "firstindex")

    def _end_or_begin(self, n: S.Node, fname: str) -> int:
        if not self.index_stack:
            raise ParseError(f"`{'end' if fname == 'lastindex' else 'begin'}` outside indexing",
                             n.span)
        obj, pos, count = self.index_stack[-1]
        if count == 1:
            return self.call(fname, [obj], n.span)
        return self.call(fname, [obj, self.const(pos + 1)], n.span)

    def x_Block(self, n: S.Block) -> int:
        value = None
        for st in n.stmts:
            value = self.expr(st)
        return self.nothing() if value is None else value

    def x_Program(self, n: S.Program) -> int:
        return self.x_Block(S.Block(n.span, n.stmts))

    # calls ------------------------------------------------------
    def lower_args(self, args: tuple[S.Node, ...]) -> tuple[list[int], tuple[bool, ...] | None]:
        regs, flags = [], []
        for a in args:
            if isinstance(a, S.Splat):
                regs.append(self.expr(a.value))
                flags.append(True)
            else:
                regs.append(self.expr(a))
                flags.append(False)
        return regs, (tuple(flags) if any(flags) else None)

    def lower_kwargs(self, kwargs: tuple[S.Kwarg, ...]) -> tuple[list[int], tuple]:
        regs, names = [], []
        for k in kwargs:
            regs.append(self.expr(k.value))
            names.append(k.name if k.name is not None else "...")
        return regs, tuple(names)

    def x_Call(self, n: S.Call) -> int:
        f = n.func
        if isinstance(f, S.Field) and isinstance(f.obj, S.Name) and f.obj.id == INTRINSICS_MODULE \
                and self.resolve(INTRINSICS_MODULE)[0] == "global":
            args, flags = self.lower_args(n.args)
            if flags:
                raise ParseError("splatting into an intrinsic is not supported", n.span)
            return self.emit("prim", args, (f.name,), n.span)
        freg = self.expr(f)
        args, flags = self.lower_args(n.args)
        kregs, knames = self.lower_kwargs(n.kwargs)
        return self.emit("call", [freg, *args, *kregs], (flags, knames), n.span)

    def x_DoBlock(self, n: S.DoBlock) -> int:
        call = n.call
        return self.x_Call(S.Call(n.span, call.func, (n.lam,) + call.args, call.kwargs))

    def x_Splat(self, n: S.Splat) -> int:
        raise ParseError("`...` is only allowed in a call, tuple or array literal", n.span)

    def x_Kwarg(self, n: S.Kwarg) -> int:
        raise ParseError("keyword argument outside a call", n.span)

    def _short_circuit(self, n: S.Node, is_and: bool) -> int:
        var = self.fresh("sc")
        c = self.emit("boolcheck", (self.expr(n.left),), None, n.left.span)
        rhs, short, join = self.b.new_block(), self.b.new_block(), self.b.new_block()
        if is_and:
            self.b.condbr(c, rhs, short, n.span)
        else:
            self.b.condbr(c, short, rhs, n.span)
        self.b.seal(rhs)
        self.b.seal(short)
        self.b.cur = short
        self.b.write_var(var, self.const(not is_and))
        self.b.br(join)
        self.b.cur = rhs
        v = self.expr(n.right)
        if self.b.cur is not None:
            self.b.write_var(var, v)
            self.b.br(join)
        self.b.seal(join)
        self.b.cur = join
        return self.b.read_var(var)

    def x_And(self, n: S.And) -> int:
        return self._short_circuit(n, True)

    def x_Or(self, n: S.Or) -> int:
        return self._short_circuit(n, False)

    def x_IfExpr(self, n: S.IfExpr) -> int:
        return self.lower_if(n.cond, n.then, n.else_, n.span)

    def x_If(self, n: S.If) -> int:
        return self.lower_if(n.cond, n.then, n.else_, n.span)

    def lower_if(self, cond: S.Node, then: S.Node, else_: S.Node | None, span: Span) -> int:
        var = self.fresh("if")
        c = self.emit("boolcheck", (self.expr(cond),), None, cond.span)
        tb, eb, join = self.b.new_block(), self.b.new_block(), self.b.new_block()
        self.b.condbr(c, tb, eb, span)
        self.b.seal(tb)
        self.b.seal(eb)
        for blk, part in ((tb, then), (eb, else_)):
            self.b.cur = blk
            v = self.expr(part) if part is not None else self.nothing()
            if self.b.cur is not None:
                self.b.write_var(var, v)
                self.b.br(join)
        self.b.seal(join)
        self.b.cur = join
        if not self.b.preds[join]:
            self.b.cur = None
            return self.nothing()
        return self.b.read_var(var)

    # loops ------------------------------------------------------
    def x_While(self, n: S.While) -> int:
        header, body, exit_ = self.b.new_block(), self.b.new_block(), self.b.new_block()
        self.b.br(header)
        self.b.cur = header
        c = self.emit("boolcheck", (self.expr(n.cond),), None, n.cond.span)
        self.b.condbr(c, body, exit_, n.span)
        self.b.seal(body)
        self.b.cur = body
        self.loops.append((header, exit_, len(self.try_stack)))
        self.expr(n.body)
        self.loops.pop()
        self.b.br(header)
        self.b.seal(header)
        self.b.seal(exit_)
        self.b.cur = exit_
        return self.nothing()

    def x_For(self, n: S.For) -> int:
        exit_ = self.b.new_block()
        self._for_specs(list(n.specs), n.body, exit_, exit_)
        self.b.seal(exit_)
        self.b.cur = exit_
        return self.nothing()

    def _for_specs(self, specs: list[S.ForSpec], body: S.Block, done: int, brk: int) -> None:
        """One level of the iterate protocol; inner specs nest inside its body.

        `done` is where this level goes when its iterator is exhausted (the enclosing
        level's latch), `brk` where `break` goes (after the whole loop)."""
        spec = specs[0]
        it = self.expr(spec.iter)
        nextvar, statevar = self.fresh("next"), self.fresh("state")
        self.b.write_var(nextvar, self.call("iterate", [it], spec.span))
        header, bodyb, latch, level_exit = (self.b.new_block(), self.b.new_block(),
                                            self.b.new_block(), self.b.new_block())
        self.b.br(header)
        self.b.cur = header
        nxt = self.b.read_var(nextvar)
        finished = self.emit("prim", (nxt,), ("isnothing",), spec.span)
        self.b.condbr(finished, level_exit, bodyb, spec.span)
        self.b.seal(bodyb)
        self.b.cur = bodyb
        nxt = self.b.read_var(nextvar)
        item = self.emit("prim", (nxt, self.const(1)), ("iter_item",), spec.span)
        self.b.write_var(statevar, self.emit("prim", (nxt, self.const(2)), ("iter_item",),
                                             spec.span))
        # the loop variable is a fresh local of the loop (Julia), unless it names an
        # existing local of the enclosing function, which it then updates
        self.scopes.append({})
        for name in target_names(spec.target):
            self.declare(name, spec.span, fresh=True)
        self.assign_to(spec.target, item, spec.span)
        if len(specs) > 1:
            self._for_specs(specs[1:], body, latch, brk)
        else:
            self.loops.append((latch, brk, len(self.try_stack)))
            self.expr(body)
            self.loops.pop()
            self.b.br(latch)
        self.scopes.pop()
        self.b.seal(latch)
        self.b.cur = latch
        st = self.b.read_var(statevar)
        self.b.write_var(nextvar, self.call("iterate", [it, st], spec.span))
        self.b.br(header)
        self.b.seal(header)
        self.b.seal(level_exit)
        self.b.cur = level_exit
        self.b.br(done)

    def x_Break(self, n: S.Break) -> int:
        if not self.loops:
            raise ParseError("break outside a loop", n.span)
        _, exit_, depth = self.loops[-1]
        self._leave_tries(depth, n.span)
        self.b.br(exit_, n.span)
        return self.nothing()

    def x_Continue(self, n: S.Continue) -> int:
        if not self.loops:
            raise ParseError("continue outside a loop", n.span)
        cont, _, depth = self.loops[-1]
        self._leave_tries(depth, n.span)
        self.b.br(cont, n.span)
        return self.nothing()

    def _leave_tries(self, depth: int, span: Span) -> None:
        """Leave the `try` blocks opened since `depth`, running their `finally` bodies."""
        saved = self.try_stack
        while len(self.try_stack) > depth:
            fin = self.try_stack[-1]
            self.try_stack = self.try_stack[:-1]
            self.b.emit("try_leave", (), None, span, result=False)
            if fin is not None:
                self.expr(fin)
        self.try_stack = saved

    def x_Return(self, n: S.Return) -> int:
        if self.toplevel and self.parent is None:
            raise ParseError("return outside a function", n.span)
        v = self.expr(n.value) if n.value is not None else self.nothing()
        if self.b.cur is not None:
            self._leave_tries(0, n.span)
            self.emit_return(v, n.span)
        return self.nothing()

    # assignment -------------------------------------------------
    def x_Lambda(self, n: S.Lambda, name: str = "anonymous") -> int:
        info = lower_lambda(n, self, name)
        caps = []
        for cname, res in info[1]:
            caps.append(self.read_raw(res if res[0] != "sparam" else res[:2], n.span))
        return self.emit("closure", caps, info[0], n.span)

    def x_FunctionDef(self, n: S.FunctionDef) -> int:
        if self.toplevel and self.parent is None and not self.scopes_have_local(n.name):
            defs = lower_method_defs(n, self.is_global)
            reg = -1
            for d in defs:
                reg = self.emit("defmethod", (), d, n.span)
            return reg
        # a named function inside a function body: a local closure
        if n.name is None:
            raise ParseError("callable-struct methods must be defined at top level", n.span)
        lam = S.Lambda(n.span, n.params, n.body, n.kwparams)
        if n.where:
            raise ParseError("`where` on a local function is not supported", n.span)
        clo = self.x_Lambda(lam, name=n.name)
        self.write_name(n.name, clo, n.span)
        return clo

    def scopes_have_local(self, name: str | None) -> bool:
        return name is not None and self.lookup_local(name) is not None

    def x_StructDef(self, n: S.StructDef) -> int:
        if not (self.toplevel and self.parent is None):
            raise ParseError("struct definitions are only allowed at top level", n.span)
        if n.mutable:
            raise ParseError("Arr has no `mutable struct`: structs are values "
                             "(build a new one instead)", n.span)
        info = StructDefInfo(n, [])
        for c in n.constructors:
            info.constructors.extend(lower_method_defs(c, self.is_global, struct=n))
        return self.emit("defstruct", (), info, n.span)

    def x_AbstractDef(self, n: S.AbstractDef) -> int:
        if not (self.toplevel and self.parent is None):
            raise ParseError("type definitions are only allowed at top level", n.span)
        return self.emit("defabstract", (), n, n.span)

    # scoping statements -----------------------------------------
    def x_Try(self, n: S.Try) -> int:
        var = self.fresh("try")
        handler, after = self.b.new_block(), self.b.new_block()
        err = self.b.new_reg()
        self.b.blocks[handler].params.append(err)
        self.b.try_enter(handler, n.span)
        self.b.seal(handler)
        self.try_stack.append(n.finally_body)
        v = self.expr(n.body)
        self.try_stack.pop()
        if self.b.cur is not None:
            self.b.emit("try_leave", (), None, n.span, result=False)
            if n.finally_body is not None:
                self.expr(n.finally_body)
            self.b.write_var(var, v)
            self.b.br(after)
        self.b.cur = handler
        if n.catch_body is not None:
            if n.catch_var:
                self.write_name(n.catch_var, err, n.span)
            if n.finally_body is not None:
                # an error inside the catch body still runs the finally body
                cv = self.x_Try(S.Try(n.span, n.catch_body, None, None, n.finally_body))
            else:
                cv = self.expr(n.catch_body)
        else:
            if n.finally_body is not None:
                self.expr(n.finally_body)
            self.call("rethrow", [err], n.span)
            self.b.unreachable(n.span)
            cv = None
        if self.b.cur is not None and cv is not None:
            self.b.write_var(var, cv)
            self.b.br(after)
        self.b.seal(after)
        self.b.cur = after
        if not self.b.preds[after]:
            self.b.cur = None
            return self.nothing()
        return self.b.read_var(var)

    # macros ------------------------------------------------------
def lower_lambda(n: S.Lambda, parent: FunctionLowering, name: str) -> tuple[LambdaInfo, list]:
    fl = FunctionLowering(name, n.span, parent=parent)
    params = list(n.params)
    vararg = bool(params) and params[-1].vararg
    ir = fl.lower_body(params, list(n.kwparams), n.body, None, n.span, is_closure=True)
    kwnames = tuple(p.name for p in n.kwparams if not p.vararg)
    kwv = any(p.vararg for p in n.kwparams)
    info = LambdaInfo(name, ir, len(params), vararg, kwnames, kwv, n.span)
    return info, fl.captures


def _source_text(node: S.Node) -> str:
    return node.span.source.text[node.span.start:node.span.end]


def lower_method_defs(fdef: S.FunctionDef, is_global: Callable[[str], bool],
                      struct: S.StructDef | None = None) -> list[MethodDef]:
    """One MethodDef per arity: `f(x, y=2)` gives `f(x)` (calling `f(x, 2)`) and `f(x, y)`."""
    defs = []
    params = list(fdef.params)
    nopt = sum(1 for p in params if p.default is not None)
    first_opt = len(params) - nopt
    for p in params[first_opt:]:
        if p.default is None:
            raise ParseError("optional arguments must come last", p.span)
    sparams = tuple(w.name for w in fdef.where)
    if struct is not None:
        sparams += tuple(p.name for p in struct.params)
    kwnames = tuple(p.name for p in fdef.kwparams if not p.vararg)
    kwv = any(p.vararg for p in fdef.kwparams)
    callee: S.Node
    if fdef.name is not None:
        callee = S.Name(fdef.span, fdef.name)
    else:
        callee = S.Name(fdef.span, fdef.self_param.name or "#self")
    for k in range(first_opt, len(params)):
        # the short form forwards to the next longer one, keywords included
        shown = params[:k]
        args = tuple(S.Name(p.span, p.name) for p in shown) + (params[k].default,)
        kw = S.Param(fdef.span, "#kw", vararg=True)
        body = S.Block(fdef.span, (S.Call(fdef.span, callee, args,
                                          (S.Kwarg(fdef.span, None, S.Name(fdef.span, "#kw")),)),))
        short = S.FunctionDef(fdef.span, fdef.name, tuple(shown), (kw,), fdef.where, None,
                              body, None, fdef.self_param)
        defs.append(_lower_one(short, sparams, is_global, (), True, struct))
    full = S.FunctionDef(fdef.span, fdef.name, tuple(
        S.Param(p.span, p.name, p.type, None, p.vararg) for p in params), fdef.kwparams,
        fdef.where, fdef.rettype, fdef.body, fdef.doc, fdef.self_param)
    defs.append(_lower_one(full, sparams, is_global, kwnames, kwv, struct))
    return defs


def _lower_one(fdef: S.FunctionDef, sparams: tuple[str, ...], is_global, kwnames, kwv,
               struct) -> MethodDef:
    fl = FunctionLowering(_name_of_function(fdef), fdef.span, sparams=sparams,
                          rettype=fdef.rettype, is_global=is_global)
    fl.struct = struct
    ir = fl.lower_body(list(fdef.params), list(fdef.kwparams), fdef.body, fdef.self_param,
                       fdef.span, is_closure=False)
    # the body is no longer needed once lowered: keep the signature only (smaller caches)
    header = S.FunctionDef(fdef.span, fdef.name, fdef.params, fdef.kwparams, fdef.where,
                           fdef.rettype, S.Block(fdef.span, ()), fdef.doc, fdef.self_param)
    return MethodDef(fdef.name, header, ir, kwnames, kwv, fdef.doc, _source_text(fdef))


def lower_toplevel(stmt: S.Node, is_global: Callable[[str], bool]) -> IRFunction:
    """Lower one top-level statement into a thunk.

    Names assigned at the top level are globals.  A name first assigned inside a loop
    (or let) is local to it unless a global of that name already exists (the REPL's
    soft scope, which Julia also uses for files run interactively)."""
    fl = FunctionLowering("top-level scope", stmt.span, toplevel=True, is_global=is_global)
    direct, in_loop = _toplevel_assignments(stmt)
    local_names = {n for n in in_loop - direct if not is_global(n)}
    fl.scopes.append({n: n for n in local_names})
    info = analyze(stmt, set())
    fl.boxed = info.boxed & local_names
    for n in sorted(fl.boxed):
        fl.b.write_var(n, fl.emit("box_new", (), n, stmt.span))
    v = fl.expr(stmt)
    if fl.b.cur is not None:
        fl.b.ret(v, stmt.span)
    return fl.b.finish(0)


def _toplevel_assignments(stmt: S.Node) -> tuple[set[str], set[str]]:
    from .scopes import children
    direct: set[str] = set()
    in_loop: set[str] = set()

    def walk(n: S.Node, loop: bool) -> None:
        if isinstance(n, (S.Lambda, S.Comprehension, S.Generator, S.FunctionDef, S.StructDef,
                          S.AbstractDef)):
            return
        if isinstance(n, (S.Assign, S.OpAssign)):
            # `x[i] = v` updates whatever x already is; only `x = v` introduces a name
            (in_loop if loop else direct).update(target_names(n.target))
        if isinstance(n, S.Global):
            direct.update(n.names)
        if isinstance(n, S.Local):
            in_loop.update(n.names)
        if isinstance(n, S.Let):
            for b in n.bindings:
                if isinstance(b, S.Assign):
                    walk(b.value, loop)
            walk(n.body, True)
            return
        inner = loop or isinstance(n, (S.For, S.While))
        for ch in children(n):
            walk(ch, inner)

    walk(stmt, False)
    return direct, in_loop
