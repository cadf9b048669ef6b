"""Desugaring of the surface forms that become plain calls: the second half of `lower.py`.

`Desugar` is a mixin of `lower.FunctionLowering`; each `x_<Node>` method lowers one AST node
kind and returns the register holding its value.

* dotted calls: nested `f.(g.(x) .+ 1)` fuse into ONE `broadcast(kernel, leaves...)`, where
  the kernel is a lambda over the non-dotted leaves (literals are inlined into it);
* comparison chains `a < b <= c` evaluate `b` once and short-circuit;
* assignment: `x[i] = v` rebinds `x` to `setindex(x, v, i)` (arrays are values), `x .= v`
  to `broadcast_assign(x, v)`, `x[i] .= v` to `broadcast_setindex(x, v, i)`,
  destructuring `a, b = t` to `getindex(t, 1)`, `getindex(t, 2)`;
* `end`/`begin` inside an index become `lastindex(x, d)` / `firstindex(x, d)`;
* literals: `[a, b]` is `vect(a, b)`, `[a b; c d]` is `hvcat((2, 2), a, b, c, d)`,
  comprehensions are `comprehension(lambda, iters...)`, generators `Generator(lambda, it)`;
* `let` blocks, `global`/`local`/`const` declarations, and the built-in macros.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from . import syntax as S
from .scopes import analyze, target_names
from .source import ParseError, Span

if TYPE_CHECKING:
    from .builder import Builder


class Desugar:
    """Lowering rules for the forms listed in the module docstring."""

    b: "Builder"

    def x_DotCall(self, n: S.DotCall) -> int:
        """Fuse nested dotted calls into one `broadcast(lambda, leaves...)`."""
        leaves: list[S.Node] = []
        prologue: list[tuple[str, int]] = []

        def fuse(e: S.Node) -> S.Node:
            if isinstance(e, S.DotCall):
                func = e.func
                if not isinstance(func, S.Name):
                    tmp = self.fresh("f")
                    prologue.append((tmp, self.expr(func)))
                    func = S.Name(func.span, tmp)
                return S.Call(e.span, func, tuple(fuse(a) for a in e.args), e.kwargs)
            if isinstance(e, (S.IntLit, S.FloatLit, S.BoolLit)):
                return e
            if isinstance(e, S.Splat):
                raise ParseError("splatting inside a dotted call is not supported", e.span)
            p = S.Name(e.span, self.fresh("b"))
            leaves.append(e)
            return p

        body = fuse(n)
        params = []
        # the fused names of the leaves, in order
        def collect(e: S.Node) -> None:
            if isinstance(e, S.Name) and e.id.startswith("#b"):
                params.append(e.id)
            elif isinstance(e, S.Call):
                for a in e.args:
                    collect(a)
        collect(body)
        leaf_regs = [self.expr(leaf) for leaf in leaves]
        if prologue:
            self.scopes.append({})
            for name, reg in prologue:
                self.declare(name, n.span)
                self.b.write_var(name, reg)
        lam = S.Lambda(n.span, tuple(S.Param(n.span, p) for p in params), body)
        clo = self.x_Lambda(lam, name="broadcast kernel")
        if prologue:
            self.scopes.pop()
        return self.call("broadcast", [clo, *leaf_regs], n.span)

    def x_Compare(self, n: S.Compare) -> int:
        regs = [self.expr(n.operands[0]), self.expr(n.operands[1])]
        if len(n.ops) == 1:
            return self.compare_op(n.ops[0], regs[0], regs[1], n.span)
        var = self.fresh("cmp")
        exit_ = self.b.new_block()
        left = regs[0]
        right = regs[1]
        for i, op in enumerate(n.ops):
            r = self.compare_op(op, left, right, n.span)
            self.b.write_var(var, r)
            if i == len(n.ops) - 1:
                self.b.br(exit_)
                break
            r = self.emit("boolcheck", (r,), None, n.span)
            nxt = self.b.new_block()
            self.b.condbr(r, nxt, exit_, n.span)
            self.b.seal(nxt)
            self.b.cur = nxt
            left, right = right, self.expr(n.operands[i + 2])
        self.b.seal(exit_)
        self.b.cur = exit_
        return self.b.read_var(var)

    def compare_op(self, op: str, a: int, b: int, span: Span) -> int:
        if op == "isa":
            return self.call("isa", [a, b], span)
        if op == "<:":
            return self.call("issubtype", [a, b], span)
        if op == ">:":
            return self.call("issubtype", [b, a], span)
        if op == "∈":
            return self.call("in", [a, b], span)
        if op == "∉":
            return self.call("!", [self.call("in", [a, b], span)], span)
        return self.call(op, [a, b], span)

    def x_Assign(self, n: S.Assign) -> int:
        if isinstance(n.target, S.Call):
            raise ParseError("invalid assignment target", n.target.span)
        v = self.expr(n.value)
        self.assign_to(n.target, v, n.span)
        return v

    def assign_to(self, target: S.Node, value: int, span: Span) -> None:
        if isinstance(target, S.Name):
            self.write_name(target.id, value, target.span)
        elif isinstance(target, S.TypeAssert):
            t = self.expr(target.type)
            v = self.call("convert", [t, value], target.span)
            v = self.emit("typeassert", (v, t), None, target.span)
            self.assign_to(target.value, v, span)
        elif isinstance(target, S.TupleLit):
            for i, e in enumerate(target.elems):
                if isinstance(e, S.Splat):
                    rest = self.call("rest_from", [value, self.const(i + 1)], e.span)
                    self.assign_to(e.value, rest, span)
                    break
                item = self.call("getindex", [value, self.const(i + 1)], e.span)
                self.assign_to(e, item, span)
        elif isinstance(target, S.NamedTupleLit):
            # `(; a, b) = x` takes the fields a and b of x
            for name, v in zip(target.names, target.values):
                if not (isinstance(v, S.Name) and v.id == name):
                    raise ParseError("invalid assignment target", v.span)
                field = self.emit("getfield", (value,), name, v.span)
                self.assign_to(v, field, span)
        elif isinstance(target, S.Index):
            obj = self.expr(target.obj)
            idx = self.lower_indices(obj, target.indices)
            new = self.call("setindex", [obj, value, *idx], target.span)
            self.assign_to(target.obj, new, span)
        elif isinstance(target, S.Field):
            self.emit("prim", (self.expr(target.obj),), ("setfield_error", target.name),
                      target.span)
        else:
            raise ParseError("invalid assignment target", target.span)

    def lower_indices(self, obj: int, indices: tuple[S.Node, ...]) -> list[int]:
        out = []
        for pos, ix in enumerate(indices):
            self.index_stack.append((obj, pos, len(indices)))
            out.append(self.expr(ix))
            self.index_stack.pop()
        return out

    def x_OpAssign(self, n: S.OpAssign) -> int:
        t = n.target
        if isinstance(t, S.Index):
            obj = self.expr(t.obj)
            idx = self.lower_indices(obj, t.indices)
            old = self.call("getindex", [obj, *idx], t.span)
            new = self.call(n.op, [old, self.expr(n.value)], n.span)
            upd = self.call("setindex", [obj, new, *idx], t.span)
            self.assign_to(t.obj, upd, n.span)
            return new
        old = self.expr(t)
        new = self.call(n.op, [old, self.expr(n.value)], n.span)
        self.assign_to(t, new, n.span)
        return new

    def x_DotAssign(self, n: S.DotAssign) -> int:
        value: S.Node = n.value
        if n.op is not None:
            value = S.DotCall(n.span, S.Name(n.span, n.op), (n.target, n.value))
        if isinstance(n.target, S.Index):
            t = n.target
            obj = self.expr(t.obj)
            idx = self.lower_indices(obj, t.indices)
            v = self.expr(value)
            new = self.call("broadcast_setindex", [obj, v, *idx], n.span)
            self.assign_to(t.obj, new, n.span)
            return v
        dest = self.expr(n.target)
        v = self.expr(value)
        new = self.call("broadcast_assign", [dest, v], n.span)
        self.assign_to(n.target, new, n.span)
        return new

    def x_TypeAssert(self, n: S.TypeAssert) -> int:
        v = self.expr(n.value)
        return self.emit("typeassert", (v, self.expr(n.type)), None, n.span)

    # indexing and fields ----------------------------------------
    def x_Index(self, n: S.Index) -> int:
        obj = self.expr(n.obj)
        idx = self.lower_indices(obj, n.indices)
        return self.call("getindex", [obj, *idx], n.span)

    def x_Field(self, n: S.Field) -> int:
        return self.emit("getfield", (self.expr(n.obj),), n.name, n.span)

    def x_Curly(self, n: S.Curly) -> int:
        base = self.expr(n.base)
        params = [self.expr(p) for p in n.params]
        return self.emit("prim", [base, *params], ("apply_type",), n.span)

    def x_WhereType(self, n: S.WhereType) -> int:
        return self.emit("macro", (), ("typeexpr", n), n.span)

    # collections ------------------------------------------------
    def x_TupleLit(self, n: S.TupleLit) -> int:
        regs, flags = self.lower_args(n.elems)
        if flags:
            return self.emit("call", [self.emit("getglobal", (), "tuple", n.span), *regs],
                             (flags, ()), n.span)
        return self.emit("tuple", regs, None, n.span)

    def x_NamedTupleLit(self, n: S.NamedTupleLit) -> int:
        regs = [self.expr(v) for v in n.values]
        return self.emit("namedtuple", regs, tuple(n.names), n.span)

    def x_VectLit(self, n: S.VectLit) -> int:
        regs, flags = self.lower_args(n.elems)
        if n.eltype is not None:
            t = self.expr(n.eltype)
            f = self.emit("getglobal", (), "typed_vect", n.span)
            return self.emit("call", [f, t, *regs], ((False,) + flags if flags else None, ()),
                             n.span)
        f = self.emit("getglobal", (), "vect", n.span)
        return self.emit("call", [f, *regs], (flags, ()), n.span)

    def x_MatrixLit(self, n: S.MatrixLit) -> int:
        typed = n.eltype is not None
        pre = [self.expr(n.eltype)] if typed else []
        prefix = "typed_" if typed else ""
        if len(n.rows) == 1:
            regs, flags = self.lower_args(n.rows[0])
            fname, lead = prefix + "hcat", pre
        elif all(len(r) == 1 for r in n.rows):
            regs, flags = self.lower_args(tuple(r[0] for r in n.rows))
            fname, lead = prefix + "vcat", pre
        else:
            elems = tuple(e for r in n.rows for e in r)
            regs, flags = self.lower_args(elems)
            shape = self.const(tuple(len(r) for r in n.rows), n.span)
            fname, lead = prefix + "hvcat", pre + [shape]
        if flags:
            flags = (False,) * len(lead) + flags
        f = self.emit("getglobal", (), fname, n.span)
        return self.emit("call", [f, *lead, *regs], (flags, ()), n.span)

    def _spec_lambda(self, body: S.Node, specs: tuple[S.ForSpec, ...], span: Span) -> S.Lambda:
        params, stmts = [], []
        for spec in specs:
            if isinstance(spec.target, S.Name):
                params.append(S.Param(spec.span, spec.target.id))
            else:
                tmp = self.fresh("t")
                params.append(S.Param(spec.span, tmp))
                stmts.append(S.Assign(spec.span, spec.target, S.Name(spec.span, tmp)))
        return S.Lambda(span, tuple(params), S.Block(span, tuple(stmts) + (body,)))

    def x_Comprehension(self, n: S.Comprehension) -> int:
        f = self.x_Lambda(self._spec_lambda(n.expr, n.specs, n.span), name="comprehension")
        iters = [self.expr(s.iter) for s in n.specs]
        if n.cond is not None:
            c = self.x_Lambda(self._spec_lambda(n.cond, n.specs, n.span), name="comprehension")
            if n.eltype is not None:
                return self.call("typed_comprehension_filter",
                                 [self.expr(n.eltype), f, c, *iters], n.span)
            return self.call("comprehension_filter", [f, c, *iters], n.span)
        if n.eltype is not None:
            return self.call("typed_comprehension", [self.expr(n.eltype), f, *iters], n.span)
        return self.call("comprehension", [f, *iters], n.span)

    def x_Generator(self, n: S.Generator) -> int:
        if len(n.specs) != 1:
            # `(f(i, j) for i in I, j in J)`: the values in the comprehension's order (a
            # matrix, or a vector when filtered), which reductions consume alike
            return self.x_Comprehension(S.Comprehension(n.span, n.expr, n.specs, n.cond))
        f = self.x_Lambda(self._spec_lambda(n.expr, n.specs, n.span), name="generator")
        it = self.expr(n.specs[0].iter)
        if n.cond is not None:
            c = self.x_Lambda(self._spec_lambda(n.cond, n.specs, n.span), name="generator")
            it = self.call("Filter", [c, it], n.span)
        return self.call("Generator", [f, it], n.span)

    # functions --------------------------------------------------

    def x_Let(self, n: S.Let) -> int:
        values = []
        for bnd in n.bindings:
            if isinstance(bnd, S.Assign):
                values.append((bnd.target, self.expr(bnd.value)))
            elif isinstance(bnd, S.Name):
                values.append((bnd, None))
            else:
                raise ParseError("invalid let binding", bnd.span)
        self.scopes.append({})
        for target, reg in values:
            for name in target_names(target):
                key = self.declare(name, n.span, fresh=True)
                if reg is None:
                    self.b.write_var(key, self.b.undef())
            if reg is not None:
                self.assign_to(target, reg, n.span)
        # variables first assigned inside the let body are local to it
        inner = analyze(n.body, set())
        for name in inner.locals:
            if self.lookup_local(name) is None and not (
                    self.toplevel and self.is_global(name)) and name not in self.capture_index \
                    and (self.parent is None or self.parent.resolve(name)[0] == "global"):
                self.declare(name, n.span, fresh=True)
        v = self.expr(n.body)
        self.scopes.pop()
        return v

    def x_Global(self, n: S.Global) -> int:
        if n.value is not None:
            return self.expr(n.value)
        return self.nothing()

    def x_Local(self, n: S.Local) -> int:
        if n.value is not None:
            return self.expr(n.value)
        return self.nothing()

    def x_Const(self, n: S.Const) -> int:
        return self.expr(n.assign)

    def x_MacroCall(self, n: S.MacroCall) -> int:
        name = n.name
        if name == "assert":
            cond = n.args[0]
            msg_node = n.args[1] if len(n.args) > 1 else None
            tb, eb, join = self.b.new_block(), self.b.new_block(), self.b.new_block()
            c = self.emit("boolcheck", (self.expr(cond),), None, cond.span)
            self.b.condbr(c, tb, eb, n.span)
            self.b.seal(tb)
            self.b.seal(eb)
            self.b.cur = eb
            if msg_node is not None:
                msg = self.expr(msg_node)
            else:
                text = cond.span.source.text[cond.span.start:cond.span.end]
                msg = self.const(text, n.span)
            self.call("throw", [self.call("AssertionError", [msg], n.span)], n.span)
            self.b.unreachable(n.span)
            self.b.cur = tb
            self.b.br(join)
            self.b.seal(join)
            self.b.cur = join
            return self.nothing()
        if name == "interpret" and len(n.args) == 1 and isinstance(n.args[0], S.Call) and \
                not any(isinstance(a, (S.Kwarg, S.Splat)) for a in n.args[0].args):
            call = n.args[0]
            f = self.expr(call.func)
            args, flags = self.lower_args(call.args)
            if flags is None:
                return self.emit("macro", [f, *args], ("interpret",), n.span)
        if name in ("interpret", "ignore_derivatives", "inbounds", "views", "fastmath"):
            if len(n.args) != 1:
                raise ParseError(f"@{name} takes one expression", n.span)
            v = self.expr(n.args[0])
            if name == "ignore_derivatives":       # the value, cut from differentiation
                f = self.emit("getglobal", (), "ignore_derivatives", n.span)
                return self.emit("call", [f, v], (None, ()), n.span)
            return v
        if name == "time":
            t0 = self.emit("prim", (), ("time_start",), n.span)
            v = self.expr(n.args[0])
            self.emit("prim", (t0,), ("time_report",), n.span)
            return v
        if name == "show":
            last = self.nothing()
            for a in n.args:
                text = a.span.source.text[a.span.start:a.span.end]
                last = self.expr(a)
                self.call("println", [self.const(text + " = "), self.call("repr", [last], a.span)],
                          a.span)
            return last
        if name in ("code_ir", "code_typed", "code_hlo", "code_lowered"):
            if len(n.args) != 1 or not isinstance(n.args[0], S.Call):
                raise ParseError(f"@{name} expects a call, as in @{name} f(x)", n.span)
            call = n.args[0]
            f = self.expr(call.func)
            args, flags = self.lower_args(call.args)
            return self.emit("macro", [f, *args], (name,), n.span)
        raise ParseError(f"unknown macro @{name} (Arr has only the built-in macros)", n.span)


# ---------------------------------------------------------------- entry points
