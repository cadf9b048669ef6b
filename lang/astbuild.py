"""AST construction for the Arr parser: the Lark rule callbacks.

`grammar.lark` names each alternative (`-> call`, `-> binop`, ...); Lark's LALR parser calls
the `Builder` method of that name with the alternative's children (tokens and already
built nodes) at each reduction, so the AST is built directly, without a parse tree.  A
node's span runs from the start of its first token to the end of its last.

Some forms mean different things depending on where they end up: `f(x, y=2)` is a call
with a keyword argument, but as the left side of `=` it is a method signature with an
optional argument; `(x, y; k=1)` is only valid as lambda parameters; `::T` only inside a
signature.  The builder therefore keeps, keyed by node identity, the raw contents of calls
and parentheses (`call_raw`, `paren_raw`), and errors that are raised only if the node is
not later consumed by a definition (`pending`).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional, Union

from lark import Token

from . import syntax as S
from .source import ParseError, SourceFile, Span


# ---------------------------------------------------------------- internal nodes
@dataclass(frozen=True, slots=True)
class _AnonDecl(S.Node):
    """`::T` without a name: only valid as a parameter (`f(::Type{T}) = ...`)."""
    type: S.Node


class _Args:
    """The raw contents of `( ... )`: items before `;`, items after, and punctuation."""
    __slots__ = ("pos", "kws", "semi", "trailing")

    def __init__(self, pos: list, kws: list, semi: bool, trailing: bool) -> None:
        self.pos, self.kws, self.semi, self.trailing = pos, kws, semi, trailing


class _Bracket:
    """The contents of `[ ... ]`: kind is vect, rows or comp."""
    __slots__ = ("kind", "items", "comp")

    def __init__(self, kind: str, items: list, comp: Optional[tuple] = None) -> None:
        self.kind, self.items, self.comp = kind, items, comp


class _LetBindings(list):
    """Marks the bindings list of `let` apart from a statement list."""


Child = Union[Token, S.Node]

# names that make `T[...]` a typed array literal rather than indexing
_TYPE_NAMES = {"Float16", "BFloat16", "Float32", "Float64", "Int", "Int8", "Int16", "Int32",
               "Int64", "UInt8", "UInt16", "UInt32", "UInt64", "Bool", "Any", "String", "Symbol",
               "Number", "Real", "Integer", "AbstractFloat", "Signed", "Unsigned", "Function",
               "Tuple", "NamedTuple", "Nothing"}
_UNARY_CALLS = {"-", "+", "!", "√", "¬"}


def _start(x: Child) -> int:
    return x.start_pos if isinstance(x, Token) else x.span.start


def _end(x: Child) -> int:
    return x.end_pos if isinstance(x, Token) else x.span.end


def _nodes(ch: list) -> list:
    return [c for c in ch if not isinstance(c, Token)]


def _tok(ch: list, typ: str) -> Optional[Token]:
    for c in ch:
        if isinstance(c, Token) and c.type == typ:
            return c
    return None


class Builder:
    """Lark rule callbacks that build the AST.  One instance serves every parse (under
    the parser's lock); `reset` installs the per-parse state."""

    def reset(self, src: SourceFile, strings: dict[int, tuple]) -> None:
        self.src = src
        self.strings = strings
        # side tables keyed by id(node); the node is stored too so the id stays unique
        self.call_raw: dict[int, tuple] = {}       # Call -> (call, positional items, kw items)
        self.paren_raw: dict[int, tuple] = {}      # paren result -> (node, pos, kws)
        self.pending: dict[int, tuple] = {}        # node -> (node, error if it survives)
        self.opcalls: dict[int, S.Node] = {}       # `-(x)`: an operator called with parens
        self.gensym = 0

    # ------------------------------------------------------------ helpers
    def sp(self, a: Child, b: Child) -> Span:
        return Span(self.src, _start(a), _end(b))

    def err(self, msg: str, node: Child) -> ParseError:
        return ParseError(msg, self.sp(node, node))

    def block(self, ch: list) -> list:
        return ch[0] if ch else []

    def mkblock(self, stmts: list, anchor: int) -> S.Block:
        if stmts:
            return S.Block(self.sp(stmts[0], stmts[-1]), tuple(stmts))
        return S.Block(Span(self.src, anchor, anchor), ())

    def consume(self, node: S.Node) -> None:
        self.pending.pop(id(node), None)

    # ------------------------------------------------------------ programs
    def program(self, ch: list) -> S.Program:
        stmts = ch[0] if ch else []
        out: list = []
        i = 0
        while i < len(stmts):
            st = stmts[i]
            nxt = stmts[i + 1] if i + 1 < len(stmts) else None
            if (isinstance(st, S.StringLit) and all(isinstance(p, str) for p in st.parts)
                    and isinstance(nxt, (S.FunctionDef, S.StructDef, S.AbstractDef))
                    and self._adjacent(st, nxt)):
                out.append(replace(nxt, doc="".join(st.parts)))      # a docstring
                i += 2
                continue
            out.append(st)
            i += 1
        return S.Program(Span(self.src, 0, len(self.src.text)), tuple(out))

    def _adjacent(self, doc: S.Node, node: S.Node) -> bool:
        """No blank line between a docstring and its definition (as Julia requires)."""
        gap = self.src.text[doc.span.end:node.span.start]
        return "\n\n" not in "".join(gap.split(" ")).replace("\t", "").replace("\r", "")

    def interp(self, ch: list) -> S.Node:
        return ch[0]

    def stmts(self, ch: list) -> list:
        return ch

    def _scope(self, cls: type, ch: list) -> S.Node:
        kw, e = ch
        span = self.sp(kw, e)
        if isinstance(e, (S.Assign, S.OpAssign)):
            return cls(span, self._names(e.target), e)
        return cls(span, self._names(e), None)

    def _names(self, t: S.Node) -> tuple[str, ...]:
        if isinstance(t, S.Name):
            return (t.id,)
        if isinstance(t, S.TypeAssert):
            return self._names(t.value)
        if isinstance(t, S.TupleLit):
            return tuple(n for e in t.elems for n in self._names(e))
        raise self.err("expected a variable name", t)

    def global_(self, ch: list) -> S.Node:
        return self._scope(S.Global, ch)

    def local_(self, ch: list) -> S.Node:
        return self._scope(S.Local, ch)

    def const_(self, ch: list) -> S.Node:
        kw, e = ch
        if not isinstance(e, S.Assign):
            raise self.err("expected an assignment after const", e)
        return S.Const(self.sp(kw, e), e)

    # ------------------------------------------------------------ assignment
    def _check_target(self, t: S.Node) -> None:
        if isinstance(t, (S.Name, S.Index, S.Field)):
            return
        if isinstance(t, S.TypeAssert):
            return self._check_target(t.value)
        if isinstance(t, S.TupleLit):
            for e in t.elems:
                self._check_target(e.value if isinstance(e, S.Splat) else e)
            self.consume(t)
            return
        if isinstance(t, S.NamedTupleLit) and all(
                isinstance(v, S.Name) and v.id == n for n, v in zip(t.names, t.values)):
            return                  # `(; a, b) = x`: destructuring by field name
        raise self.err("invalid assignment target", t)

    def assign(self, ch: list) -> S.Node:
        t, _, v = ch
        span = self.sp(t, v)
        h = t
        while isinstance(h, S.WhereType):
            h = h.body
        if isinstance(h, S.TypeAssert) and isinstance(h.value, S.Call):
            h = h.value
        if isinstance(h, S.Call) and id(h) not in self.paren_raw:
            return self._function(t, [v], span, short=True)
        self._check_target(t)
        return S.Assign(span, t, v)

    def opassign(self, ch: list) -> S.Node:
        t, op, v = ch
        if not isinstance(t, (S.Name, S.Index, S.Field)):
            raise self.err(f'invalid target for "{op.value}"', t)
        return S.OpAssign(self.sp(t, v), op.value[:-1], t, v)

    def dotassign(self, ch: list) -> S.Node:
        t, op, v = ch
        self._check_target(t)
        o = op.value[1:-1] or None
        return S.DotAssign(self.sp(t, v), o, t, v)

    def bare_tuple(self, ch: list) -> S.Node:
        items = _nodes(ch)
        return S.TupleLit(self.sp(items[0], items[-1]), tuple(items))

    # ------------------------------------------------------------ operators
    def binop(self, ch: list) -> S.Node:
        a, op, b = ch
        o = op.value
        span = self.sp(a, b)
        if (o == "^" and isinstance(a, S.Call) and id(a) in self.opcalls
                and id(a) not in self.paren_raw and len(a.args) == 1 and not a.kwargs):
            # Julia: `-(x)^2` is `-(x^2)`, like `-x^2`
            inner = S.Call(self.sp(a.args[0], b), S.Name(self.sp(op, op), "^"), (a.args[0], b))
            return S.Call(span, a.func, (inner,))
        if len(o) > 1 and o[0] == ".":
            return S.DotCall(span, S.Name(self.sp(op, op), o[1:]), (a, b))
        return S.Call(span, S.Name(self.sp(op, op), o), (a, b))

    def unary(self, ch: list) -> S.Node:
        op, x = ch
        o = op.value
        span = self.sp(op, x)
        if o in ("-", "+") and isinstance(x, (S.IntLit, S.FloatLit)) and op.end_pos == x.span.start:
            return replace(x, span=span, value=-x.value if o == "-" else x.value)
        if len(o) > 1 and o[0] == ".":
            return S.DotCall(span, S.Name(self.sp(op, op), o[1:]), (x,))
        return S.Call(span, S.Name(self.sp(op, op), o), (x,))

    def juxt(self, ch: list) -> S.Node:
        num, j, x = ch
        return S.Call(self.sp(num, x), S.Name(self.sp(num, x), "*"), (num, x))

    def range_(self, ch: list) -> S.Node:
        items = _nodes(ch)
        colon = ch[1]
        return S.Call(self.sp(items[0], items[-1]), S.Name(self.sp(colon, colon), ":"), tuple(items))

    def compare(self, ch: list) -> S.Node:
        operands = ch[0::2]
        ops = ch[1::2]
        span = self.sp(operands[0], operands[-1])
        if not any(len(o.value) > 1 and o.value[0] == "." for o in ops):
            return S.Compare(span, tuple(o.value for o in ops), tuple(operands))
        # a dotted comparison broadcasts; a chain of them is combined with `.&`
        result: Optional[S.Node] = None
        for i, o in enumerate(ops):
            a, b = operands[i], operands[i + 1]
            if o.value[0] == "." and len(o.value) > 1:
                part: S.Node = S.DotCall(self.sp(a, b), S.Name(self.sp(o, o), o.value[1:]), (a, b))
            else:
                part = S.Compare(self.sp(a, b), (o.value,), (a, b))
            result = part if result is None else S.DotCall(
                self.sp(result, part), S.Name(self.sp(o, o), "&"), (result, part))
        return result

    def and_(self, ch: list) -> S.Node:
        return S.And(self.sp(ch[0], ch[2]), ch[0], ch[2])

    def or_(self, ch: list) -> S.Node:
        return S.Or(self.sp(ch[0], ch[2]), ch[0], ch[2])

    def ternary(self, ch: list) -> S.Node:
        c, _, a, _, b = ch
        return S.IfExpr(self.sp(c, b), c, a, b)

    def typeassert(self, ch: list) -> S.Node:
        v, _, t = ch
        return S.TypeAssert(self.sp(v, t), v, t)

    def anon_decl(self, ch: list) -> S.Node:
        dc, t = ch
        node = _AnonDecl(self.sp(dc, t), t)
        self.pending[id(node)] = (node, ParseError(
            '"::T" without a name is only allowed in a method signature', node.span))
        return node

    def where_(self, ch: list) -> S.Node:
        body, _, (params, end) = ch
        return S.WhereType(Span(self.src, body.span.start, end), body, tuple(params))

    def where_rhs(self, ch: list) -> tuple:
        return [self._type_param(e) for e in _nodes(ch)], _end(ch[-1])

    def _type_param(self, e: S.Node) -> S.TypeParam:
        if isinstance(e, S.Name):
            return S.TypeParam(e.span, e.id)
        if isinstance(e, S.Compare) and len(e.ops) == 1 and isinstance(e.operands[0], S.Name):
            name, bound = e.operands[0].id, e.operands[1]
            if e.ops[0] == "<:":
                return S.TypeParam(e.span, name, upper=bound)
            if e.ops[0] == ">:":
                return S.TypeParam(e.span, name, lower=bound)
        raise self.err("invalid type parameter (expected T, T <: Bound or T >: Bound)", e)

    # ------------------------------------------------------------ postfix forms
    def call_args(self, ch: list) -> _Args:
        if len(ch) == 1 and isinstance(ch[0], S.Node):     # a (possibly nested) generator
            return _Args([ch[0]], [], False, False)
        pos: list = []
        kws: list = []
        semi = False
        trailing = False
        for c in ch:
            if isinstance(c, Token):
                semi = True
            elif semi:
                kws = kws + c[0]        # `(a; b; c)`: a block of several statements
            else:
                pos, trailing = c
        return _Args(pos, kws, semi, trailing)

    def arg_list(self, ch: list) -> tuple:
        items = _nodes(ch)
        return items, len(ch) == 2 * len(items)

    def splat(self, ch: list) -> S.Node:
        return S.Splat(self.sp(ch[0], ch[1]), ch[0])

    def _make_call(self, cls: type, f: S.Node, args: Optional[_Args], span: Span) -> S.Node:
        pos = args.pos if args else []
        kws = args.kws if args else []
        out: list = []
        kwargs: list = []
        bad: Optional[S.Node] = None
        for it in pos:
            if isinstance(it, S.Assign) and isinstance(it.target, S.Name):
                kwargs.append(S.Kwarg(it.span, it.target.id, it.value))
            else:
                if isinstance(it, S.Assign) and bad is None:
                    bad = it
                out.append(it)
        for it in kws:
            if isinstance(it, S.Assign) and isinstance(it.target, S.Name):
                kwargs.append(S.Kwarg(it.span, it.target.id, it.value))
            elif isinstance(it, S.Name):
                kwargs.append(S.Kwarg(it.span, it.id, it))
            elif isinstance(it, S.Splat):
                kwargs.append(S.Kwarg(it.span, None, it.value))
            else:
                bad = bad or it
        node = cls(span, f, tuple(out), tuple(kwargs))
        self.call_raw[id(node)] = (node, pos, kws)
        if bad is not None:
            self.pending[id(node)] = (node, ParseError("invalid keyword argument", bad.span))
        if isinstance(f, S.Name) and f.id in _UNARY_CALLS and f.span.end - f.span.start == len(f.id):
            self.opcalls[id(node)] = node
        return node

    def call(self, ch: list) -> S.Node:
        f = ch[0]
        args = ch[2] if len(ch) == 4 else None
        return self._make_call(S.Call, f, args, self.sp(f, ch[-1]))

    def dotcall(self, ch: list) -> S.Node:
        f = ch[0]
        args = ch[2] if len(ch) == 4 else None
        return self._make_call(S.DotCall, f, args, self.sp(f, ch[-1]))

    def do_call(self, ch: list) -> S.Node:
        f = ch[0]
        args = ch[2] if isinstance(ch[2], _Args) else None
        rpar = _tok(ch, "RPAR")
        do = _tok(ch, "DO")
        end = ch[-1]
        call = self._make_call(S.Call, f, args, self.sp(f, rpar))
        i = next(k for k, c in enumerate(ch) if c is do)
        params_src = ch[i + 1]
        body = ch[i + 2] if len(ch) > i + 3 else []
        params, _, prelude = self._params(params_src)
        block = self.mkblock(prelude + body, end.start_pos)
        lam = S.Lambda(self.sp(do, end), tuple(params), block)
        return S.DoBlock(self.sp(f, end), call, lam)

    def do_params(self, ch: list) -> list:
        return _nodes(ch)

    def index(self, ch: list) -> S.Node:
        obj = ch[0]
        body = ch[2] if len(ch) == 4 else None
        span = self.sp(obj, ch[-1])
        typed = isinstance(obj, S.Curly) or (isinstance(obj, S.Name) and obj.id in _TYPE_NAMES)
        if body is None:
            if typed:
                return S.VectLit(span, (), obj)
            return S.Index(span, obj, ())
        if body.kind == "vect":
            if typed:
                return S.VectLit(span, tuple(body.items), obj)
            return S.Index(span, obj, tuple(body.items))
        return self._bracket(body, span, obj)

    def _bracket(self, body: Optional[_Bracket], span: Span, eltype: Optional[S.Node]) -> S.Node:
        if body is None:
            return S.VectLit(span, (), eltype)
        if body.kind == "vect":
            return S.VectLit(span, tuple(body.items), eltype)
        if body.kind == "rows":
            return S.MatrixLit(span, tuple(tuple(r) for r in body.items), eltype)
        expr, (clauses, cond, end) = body.comp
        if len(clauses) == 1:
            return S.Comprehension(span, expr, tuple(clauses[0]), cond, eltype)
        return self._nested_comp(S.Comprehension, span, expr, clauses, cond, eltype, end)

    def _nested_comp(self, cls: type, span: Span, expr: S.Node, clauses: list,
                     cond: Optional[S.Node], eltype: Optional[S.Node], end: int) -> S.Node:
        """`[e for i in I for j in J if c]` (several `for` clauses, Julia's flattened
        iteration): desugared to `_flatten([[e for j in J if c] for i in I])`, one
        `_flatten` per extra clause, the inner comprehensions capturing the outer
        variables.  `eltype` (for `T[...]`) and the condition go on the innermost one;
        `cls` is Comprehension for `[...]` and Generator for `(...)` / a bare argument."""
        inner_span = Span(self.src, expr.span.start, end)     # `e for ... for ...`
        if cls is S.Comprehension:
            node = S.Comprehension(inner_span, expr, tuple(clauses[-1]), cond, eltype)
        else:
            node = S.Generator(inner_span, expr, tuple(clauses[-1]), cond)
        flatten = S.Name(inner_span, "_flatten")
        for k in range(len(clauses) - 2, -1, -1):
            sp = span if k == 0 else inner_span
            node = S.Call(sp, flatten, (cls(sp, node, tuple(clauses[k])),))
        return node

    def field(self, ch: list) -> S.Node:
        obj, _, name = ch
        return S.Field(self.sp(obj, name), obj, name.value)

    def adjoint(self, ch: list) -> S.Node:
        x, q = ch
        return S.Call(self.sp(x, q), S.Name(self.sp(q, q), "adjoint"), (x,))

    def curly(self, ch: list) -> S.Node:
        base = ch[0]
        params = ch[2] if len(ch) == 4 else []
        return S.Curly(self.sp(base, ch[-1]), base, tuple(params))

    def curly_args(self, ch: list) -> list:
        return _nodes(ch)

    def curly_bound(self, ch: list) -> S.Node:
        """`Vector{<:Real}`: a parameter known only by its bound, `Call(<:, (Real,))`."""
        op, bound = ch
        if str(op) != "<:":
            raise self.err(f"unexpected \"{op}\" in type parameters", op)
        return S.Call(self.sp(op, bound), S.Name(self.sp(op, op), "<:"), (bound,))

    # ------------------------------------------------------------ comprehensions
    def generator(self, ch: list) -> S.Node:
        expr, (clauses, cond, end) = ch
        span = Span(self.src, expr.span.start, end)
        if len(clauses) == 1:
            return S.Generator(span, expr, tuple(clauses[0]), cond)
        return self._nested_comp(S.Generator, span, expr, clauses, cond, None, end)

    def comp_tail(self, ch: list) -> tuple:
        """`for specs [for specs ...] [if cond]`: (list of spec lists, cond, end offset)."""
        clauses = [c for c in ch if isinstance(c, list)]
        cond = ch[-1] if len(ch) >= 2 and isinstance(ch[-1], S.Node) else None
        return clauses, cond, (clauses[-1][-1] if cond is None else cond).span.end

    def comp_for(self, ch: list) -> list:
        return ch[1]

    def forspecs(self, ch: list) -> list:
        return _nodes(ch)

    def forspec(self, ch: list) -> S.Node:
        t, _, it = ch
        return S.ForSpec(self.sp(t, it), t, it)

    def target_tuple(self, ch: list) -> S.Node:
        return S.TupleLit(self.sp(ch[0], ch[-1]), tuple(_nodes(ch)))

    # ------------------------------------------------------------ brackets
    def row(self, ch: list) -> list:
        return _nodes(ch)

    def row_single(self, ch: list) -> _Bracket:
        items = ch[0]
        if len(items) == 1:
            return _Bracket("vect", items)
        return _Bracket("rows", [items])

    def rows(self, ch: list) -> _Bracket:
        return _Bracket("rows", _nodes(ch))

    def vect(self, ch: list) -> _Bracket:
        return _Bracket("vect", _nodes(ch))

    def comprehension(self, ch: list) -> _Bracket:
        return _Bracket("comp", [], (ch[0], ch[1]))

    def array(self, ch: list) -> S.Node:
        body = ch[1] if len(ch) == 3 else None
        return self._bracket(body, self.sp(ch[0], ch[-1]), None)

    # ------------------------------------------------------------ atoms
    def name(self, ch: list) -> S.Node:
        t = ch[0]
        return S.Name(self.sp(t, t), t.value)

    def int_(self, ch: list) -> S.Node:
        t = ch[0]
        s = t.value.replace("_", "")
        base = {"0x": 16, "0b": 2, "0o": 8}.get(s[:2], 10)
        return S.IntLit(self.sp(t, t), int(s[2:] if base != 10 else s, base))

    def float_(self, ch: list) -> S.Node:
        t = ch[0]
        s = t.value.replace("_", "")
        if t.type == "FLOAT32":
            return S.FloatLit(self.sp(t, t), float(s.replace("f", "e")), 32)
        return S.FloatLit(self.sp(t, t), float(s))

    def string(self, ch: list) -> S.Node:
        t = ch[0]
        return S.StringLit(self.sp(t, t), self.strings[t.start_pos])

    def symbol(self, ch: list) -> S.Node:
        t = ch[0]
        return S.SymbolLit(self.sp(t, t), t.value)

    def bool_(self, ch: list) -> S.Node:
        t = ch[0]
        return S.BoolLit(self.sp(t, t), t.value == "true")

    def colon(self, ch: list) -> S.Node:
        return S.Colon(self.sp(ch[0], ch[0]))

    def end_index(self, ch: list) -> S.Node:
        return S.End(self.sp(ch[0], ch[0]))

    def begin_index(self, ch: list) -> S.Node:
        return S.Begin(self.sp(ch[0], ch[0]))

    def unit(self, ch: list) -> S.Node:
        node = S.TupleLit(self.sp(ch[0], ch[1]), ())
        self.paren_raw[id(node)] = (node, [], [])
        return node

    def paren(self, ch: list) -> S.Node:
        lp, args, rp = ch
        span = self.sp(lp, rp)
        pos, kws = args.pos, args.kws
        node: S.Node
        if not args.semi:
            if len(pos) == 1 and not args.trailing and not isinstance(pos[0], S.Splat):
                node = pos[0]
                if isinstance(node, S.Colon):
                    node = S.Name(node.span, ":")           # `(:)(a, b) = ...`
            elif pos and all(isinstance(e, S.Assign) and isinstance(e.target, S.Name) for e in pos):
                node = S.NamedTupleLit(span, tuple(e.target.id for e in pos),
                                       tuple(e.value for e in pos))
            else:
                node = S.TupleLit(span, tuple(pos))
                bad = next((e for e in pos if isinstance(e, S.Assign)), None)
                if bad is not None:
                    self.pending[id(node)] = (node, ParseError(
                        "cannot mix positional and named elements in a tuple", bad.span))
        elif not pos:
            names, values = [], []
            for e in kws:
                if isinstance(e, S.Assign) and isinstance(e.target, S.Name):
                    names.append(e.target.id)
                    values.append(e.value)
                elif isinstance(e, S.Name):
                    names.append(e.id)
                    values.append(e)
                else:
                    raise self.err("invalid NamedTuple element", e)
            node = S.NamedTupleLit(span, tuple(names), tuple(values))
        elif len(pos) == 1:
            node = S.Block(span, tuple(pos) + tuple(kws))       # `(a; b)`
        else:
            node = S.TupleLit(span, tuple(pos))
            self.pending[id(node)] = (node, ParseError('unexpected ";" in a tuple', span))
        self.paren_raw[id(node)] = (node, pos, kws)
        return node

    # ------------------------------------------------------------ control flow
    def if_(self, ch: list) -> S.Node:
        kw, cond, then, (else_, end) = ch
        return S.If(self.sp(kw, end), cond, self.mkblock(then, cond.span.end), else_)

    def tail_end(self, ch: list) -> tuple:
        return None, ch[0]

    def tail_else(self, ch: list) -> tuple:
        kw, body, end = ch
        return self.mkblock(body, kw.end_pos), end

    def tail_elseif(self, ch: list) -> tuple:
        kw, cond, then, (else_, end) = ch
        return S.If(self.sp(kw, end), cond, self.mkblock(then, cond.span.end), else_), end

    def while_(self, ch: list) -> S.Node:
        kw, cond, body, end = ch
        return S.While(self.sp(kw, end), cond, self.mkblock(body, cond.span.end))

    def for_(self, ch: list) -> S.Node:
        kw, specs, body, end = ch
        return S.For(self.sp(kw, end), tuple(specs), self.mkblock(body, specs[-1].span.end))

    def begin_(self, ch: list) -> S.Node:
        kw, body, end = ch
        return S.Block(self.sp(kw, end), tuple(body))

    def let_bindings(self, ch: list) -> list:
        return _LetBindings(_nodes(ch))

    def let_(self, ch: list) -> S.Node:
        kw, end = ch[0], ch[-1]
        bindings: list = []
        body: list = []
        for c in ch[1:-1]:
            if isinstance(c, _LetBindings):
                bindings = c
            else:
                body = c
        for b in bindings:
            if not isinstance(b, (S.Assign, S.Name)):
                raise self.err("invalid let binding", b)
        return S.Let(self.sp(kw, end), tuple(bindings), self.mkblock(body, kw.end_pos))

    def catch_clause(self, ch: list) -> tuple:
        var = ch[1].value if len(ch) == 3 else None
        return "catch", var, ch[-1], _end(ch[-2])

    def finally_clause(self, ch: list) -> tuple:
        return "finally", None, ch[1], ch[0].end_pos

    def try_(self, ch: list) -> S.Node:
        kw, body, end = ch[0], ch[1], ch[-1]
        catch_var = None
        catch_body = finally_body = None
        for part in ch[2:-1]:
            what, var, stmts, anchor = part
            if what == "catch":
                catch_var, catch_body = var, self.mkblock(stmts, anchor)
            else:
                finally_body = self.mkblock(stmts, anchor)
        return S.Try(self.sp(kw, end), self.mkblock(body, kw.end_pos), catch_var, catch_body,
                     finally_body)

    def return_(self, ch: list) -> S.Node:
        return S.Return(self.sp(ch[0], ch[-1]), ch[1] if len(ch) == 2 else None)

    def break_(self, ch: list) -> S.Node:
        return S.Break(self.sp(ch[0], ch[0]))

    def continue_(self, ch: list) -> S.Node:
        return S.Continue(self.sp(ch[0], ch[0]))

    def macro(self, ch: list) -> S.Node:
        tok = ch[0]
        args = ch[1] if len(ch) == 2 else []
        return S.MacroCall(self.sp(tok, args[-1] if args else tok), tok.value[1:], tuple(args))

    def macro_args(self, ch: list) -> list:
        return _nodes(ch)

    def macro_paren(self, ch: list) -> S.Node:
        tok = ch[0]
        args = ch[2] if len(ch) == 4 else None
        items = tuple(args.pos + args.kws) if args else ()
        return S.MacroCall(self.sp(tok, ch[-1]), tok.value[1:], items)

    # ------------------------------------------------------------ definitions
    def _param(self, e: S.Node, prelude: list, kw: bool = False) -> S.Param:
        if isinstance(e, S.Name):
            return S.Param(e.span, e.id)
        if isinstance(e, S.TypeAssert) and isinstance(e.value, S.Name):
            return S.Param(e.span, e.value.id, e.type)
        if isinstance(e, _AnonDecl):
            self.consume(e)
            return S.Param(e.span, None, e.type)
        if isinstance(e, S.Assign):
            p = self._param(e.target, prelude, kw)
            return replace(p, span=e.span, default=e.value)
        if isinstance(e, S.Kwarg) and e.name is not None:
            return S.Param(e.span, e.name, default=e.value)
        if isinstance(e, S.Splat):
            return replace(self._param(e.value, prelude, kw), span=e.span, vararg=True)
        if isinstance(e, S.TupleLit) and not kw:
            # `f((a, b))` / `do (a, b)`: one argument, destructured on entry (as Julia does)
            self._check_target(e)
            self.gensym += 1
            name = f"#tuplearg{self.gensym}"
            prelude.append(S.Assign(e.span, e, S.Name(e.span, name)))
            return S.Param(e.span, name)
        raise self.err("invalid function parameter", e)

    def _params(self, pos: list, kws: list = ()) -> tuple[list, list, list]:
        """Parameters, keyword parameters, and the destructuring statements to prepend."""
        prelude: list = []
        params = [self._param(e, prelude) for e in pos]
        kwparams = [self._param(e, prelude, kw=True) for e in kws]
        return params, kwparams, prelude

    def _lambda_params(self, lhs: S.Node) -> tuple[list, list, list]:
        raw = self.paren_raw.get(id(lhs))
        if raw is not None:
            self.consume(lhs)
            return self._params(raw[1], raw[2])
        return self._params([lhs])

    def arrow(self, ch: list) -> S.Node:
        lhs, _, body = ch
        params, kwparams, prelude = self._lambda_params(lhs)
        block = self.mkblock(prelude + [body], body.span.start)
        return S.Lambda(self.sp(lhs, body), tuple(params), block, tuple(kwparams))

    def function_(self, ch: list) -> S.Node:
        kw, header, body, end = ch
        return self._function(header, body, self.sp(kw, end), short=False, anchor=header.span.end)

    def _function(self, header: S.Node, body: list, span: Span, short: bool,
                  anchor: int = 0) -> S.Node:
        where: list = []
        h = header
        while isinstance(h, S.WhereType):
            where = list(h.params) + where
            h = h.body
        rettype = None
        if isinstance(h, S.TypeAssert) and isinstance(h.value, S.Call):
            rettype, h = h.type, h.value
        if not isinstance(h, S.Call) or id(h) in self.paren_raw:
            if short or where or rettype is not None or id(h) not in self.paren_raw:
                raise self.err("expected a function signature such as f(x)", h)
            params, kwparams, prelude = self._lambda_params(h)      # `function (x) ... end`
            return S.Lambda(span, tuple(params), self.mkblock(prelude + body, anchor),
                            tuple(kwparams))
        func = h.func
        name: Optional[str] = None
        self_param: Optional[S.Param] = None
        if isinstance(func, S.Name):
            name = func.id
        elif isinstance(func, (S.TypeAssert, _AnonDecl)):
            self_param = self._param(func, [])                  # `(a::Affine)(x) = ...`
        elif isinstance(func, S.Curly):
            raise self.err("parametric constructor definitions `Name{T}(...)` are not "
                           "supported; define `Name(...)` instead", func)
        elif isinstance(func, S.Field):
            raise self.err("qualified function names (`Module.f`) cannot be defined in Arr", func)
        else:
            raise self.err("invalid function name", func)
        # operator calls (`a + b = c`, `-x = ...`) have no raw entry: their args are positional
        _, pos, kws = self.call_raw.get(id(h), (h, list(h.args), []))
        self.consume(h)
        params, kwparams, prelude = self._params(pos, kws)
        block = self.mkblock(prelude + body, anchor if not short else body[0].span.start)
        return S.FunctionDef(span, name, tuple(params), tuple(kwparams), tuple(where),
                             rettype, block, None, self_param)

    def _type_head(self, head: S.Node) -> tuple[str, tuple, Optional[S.Node]]:
        sup = None
        if isinstance(head, S.Compare) and head.ops == ("<:",):
            head, sup = head.operands
        params: tuple = ()
        if isinstance(head, S.Curly):
            params = tuple(self._type_param(p) for p in head.params)
            head = head.base
        if not isinstance(head, S.Name):
            raise self.err("expected a type name", head)
        return head.id, params, sup

    def struct_(self, ch: list) -> S.Node:
        kw, head, body, end = ch
        name, params, sup = self._type_head(head)
        fields: list = []
        ctors: list = []
        for st in body:
            if isinstance(st, S.Name):
                fields.append(S.StructField(st.span, st.id, None))
            elif isinstance(st, S.TypeAssert) and isinstance(st.value, S.Name):
                fields.append(S.StructField(st.span, st.value.id, st.type))
            elif isinstance(st, S.FunctionDef):
                ctors.append(st)
            elif not isinstance(st, S.StringLit):                # field docs are ignored
                raise self.err("expected a field (name or name::Type) or a constructor", st)
        return S.StructDef(self.sp(kw, end), name, params, sup, tuple(fields), tuple(ctors),
                           kw.type == "MUTABLE_STRUCT")

    def abstract_(self, ch: list) -> S.Node:
        kw, head, end = ch
        name, params, sup = self._type_head(head)
        return S.AbstractDef(self.sp(kw, end), name, params, sup)
