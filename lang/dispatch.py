"""Generic functions, their method tables, and multiple dispatch.

A `GenericFunction` owns a list of `Method`s.  Each method's signature `sig` is a Tuple type over
the positional arguments only (the function itself is not part of it), possibly wrapped in
UnionAlls for its `where` variables:

    f(x::Int64, y)                      -> Tuple{Int64, Any}
    f(::Type{T}, x::T) where T          -> Tuple{Type{T}, T} where T
    f(x, ys::Float64...)                -> Tuple{Any, Vararg{Float64}}      (vararg=True)

Optional positional arguments are kept on one Method (`nrequired` < number of fixed
arguments).  Internally the method contributes one *entry* per accepted arity, exactly the
methods Julia's lowering would create: `f(x, y=2)` gives entries `Tuple{Any}` and `Tuple{Any, Any}`.

`lookup(gf, argtypes)` does, on a cache miss:
  1. keep the entries whose arity fits and whose signature matches `Tuple{argtypes...}`
     (`types.match_signature`, which also binds the where-variables);
  2. keep those no other applicable entry is strictly more specific than (A is more specific than
     B when A's signature is a subtype of B's and not the reverse; on a tie a non-vararg entry
     beats a vararg one);
  3. one left: cache and return it with its bindings; none: MethodError listing the closest
     candidates; several: MethodError saying the call is ambiguous and naming them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import source, types
from .source import Span
from .types import ANY, DataType, TypeVar, VarargType

MAX_CANDIDATES = 3


@dataclass(eq=False, slots=True)
class Method:
    """One method definition.  `impl` is opaque here: the interpreter keeps the lowered body there.

    `sig` may also be given as a Python tuple of types; with `vararg=True` the last element may be
    given bare (`Float64`) or as `Vararg{Float64}`.  `argnames` ("" for `::T` arguments) are only
    used for printing.  `nrequired` defaults to all fixed positional arguments.  `params_text`,
    how the method prints (`f(x::Int64, y)`), is computed from the signature unless given.
    """

    name: str
    sig: object
    nrequired: int = -1
    vararg: bool = False
    kwnames: tuple[str, ...] = ()
    has_kw_varargs: bool = False
    span: Span | None = None
    impl: object = None
    argnames: tuple[str, ...] = ()
    params_text: str = ""
    wherevars: tuple[TypeVar, ...] = field(default=(), init=False)
    params: tuple[object, ...] = field(default=(), init=False)   # unwrapped Tuple parameters
    nfixed: int = field(default=0, init=False)
    text_given: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        sig = self.sig
        if isinstance(sig, (tuple, list)):
            ps = tuple(sig)
            if self.vararg and ps and type(ps[-1]) is not VarargType:
                ps = ps[:-1] + (VarargType(ps[-1]),)
            sig = types.make_tuple_type(ps)
        body, wherevars = types.unwrap(sig)
        if type(body) is not DataType or body.typename is not types.TUPLE_TN:
            raise TypeError(f"method signature must be a Tuple type, got {types.show_type(sig)}")
        params = body.params
        if self.vararg and (not params or type(params[-1]) is not VarargType):
            if not params:
                raise TypeError("vararg method without parameters")
            params = params[:-1] + (VarargType(params[-1]),)
            body = types.make_tuple_type(params)
            sig = types.rewrap(body, wherevars)
        self.vararg = bool(params) and type(params[-1]) is VarargType
        self.sig = sig
        self.wherevars = wherevars
        self.params = params
        self.nfixed = len(params) - self.vararg
        if self.nrequired < 0:
            self.nrequired = self.nfixed
        if self.nrequired > self.nfixed:
            raise TypeError("nrequired exceeds the number of fixed arguments")
        self.text_given = bool(self.params_text)
        if not self.params_text:
            self.params_text = self.signature_text(with_names=True)

    # ------------------------------------------------------------------ printing
    @property
    def location(self) -> str:
        """`file:line` of the definition, or "" when unknown."""
        if self.span is None:
            return ""
        return f"{self.span.source.name}:{self.span.line}"

    @property
    def candidate_text(self) -> str:
        """The signature as Julia lists a candidate: `f(::Int64, ::Any)`."""
        return self.signature_text(with_names=False)

    def signature_text(self, with_names: bool, self_arg: bool = False) -> str:
        """`f(x::Int64, y; dims) where T`, or `f(::Int64, ::Any)` without names.  With
        `self_arg` the first parameter is the callee: `Point(::Float64)`, `(::Affine)(::Any)`."""
        anon = [v for v in self.wherevars if v.name.startswith("#")]
        inline = {v for v in anon if sum(types._count_occurrences(p, v) for p in self.params) == 1}

        def shown(t: object) -> str:
            mine = [v for v in self.wherevars if v in inline and types._count_occurrences(t, v)]
            return types.show_type(types.rewrap(t, mine))

        params, names, head = self.params, self.argnames, self.name
        if self_arg and params:
            callee = params[0]
            if type(callee) is DataType and callee.typename is types.TYPE_TN:
                head = shown(callee.params[0])
            else:
                head = f"({names[0] if with_names and names else ''}::{shown(callee)})"
            params, names = params[1:], names[1:]
        args = []
        for i, p in enumerate(params):
            is_va = type(p) is VarargType
            t = p.T if is_va else p
            name = names[i] if with_names and i < len(names) else ""
            text = name if name and t is ANY else f"{name}::{shown(t)}"
            args.append(text + ("..." if is_va else ""))
        out = f"{head}({', '.join(args)}"
        kws = list(self.kwnames) + (["kwargs..."] if self.has_kw_varargs else [])
        if kws:
            out += "; " + ", ".join(kws)
        out += ")"
        wheres = [v for v in self.wherevars if v not in inline]
        if len(wheres) == 1:
            out += f" where {types._show_var(wheres[0])}"
        elif wheres:
            out += " where {" + ", ".join(types._show_var(v) for v in wheres) + "}"
        return out

    def __repr__(self) -> str:
        loc = self.location
        return self.params_text + (f" at {loc}" if loc else "")


@dataclass(eq=False, slots=True)
class _Entry:
    """One arity of a method: what Julia would have as a separate method."""

    method: Method
    sig: object
    nfixed: int
    vararg: bool


def _entries_of(m: Method) -> list[_Entry]:
    out = []
    for k in range(m.nrequired, m.nfixed):
        body = types.make_tuple_type(m.params[:k])
        free = types._free_vars(body)
        for v in m.wherevars:                 # keep vars that kept vars' bounds mention
            if v in free:
                free |= types._free_vars(v.lb) | types._free_vars(v.ub)
        out.append(_Entry(m, types.rewrap(body, [v for v in m.wherevars if v in free]), k, False))
    out.append(_Entry(m, m.sig, m.nfixed, m.vararg))
    return out


class GenericFunction:
    """A function name and its methods; calls dispatch on all positional argument types.

    With `self_arg=True` (constructor tables, callable structs) the first argument type is the
    callee itself (`Type{Point}`, `Affine`) and messages print it in Julia's way:
    `no method matching Point(::Int64)`, `no method matching (::Affine)(::String)`.
    """

    __slots__ = ("name", "self_arg", "methods", "arr_type", "doc", "_entries", "_cache",
                 "_errors", "_specific", "__weakref__")

    def __init__(self, name: str, self_arg: bool = False) -> None:
        self.name = name
        self.self_arg = self_arg
        self.methods: list[Method] = []
        self.arr_type: DataType = types.function_type(name)
        self.doc: list[str] = []
        self._entries: list[_Entry] = []
        self._cache: dict[tuple, tuple[Method, dict[str, object]]] = {}
        self._errors: dict[tuple, str] = {}
        self._specific: dict[tuple[int, int], bool] = {}

    def __repr__(self) -> str:
        n = len(self.methods)
        return f"{self.name} (generic function with {n} method{'s' if n != 1 else ''})"

    def add_method(self, method: Method) -> list[Method]:
        """Add `method`, replacing entries with type-equal signatures; returns the methods that
        were replaced entirely.  Clears the lookup cache."""
        new = _entries_of(method)
        kept = []
        for e in self._entries:
            if any(n.nfixed == e.nfixed and n.vararg == e.vararg and types.type_equal(n.sig, e.sig)
                   for n in new):
                continue
            kept.append(e)
        self._entries = kept + new
        alive = {id(e.method) for e in kept}
        replaced = [m for m in self.methods if id(m) not in alive]
        self.methods = [m for m in self.methods if id(m) in alive] + [method]
        self._cache.clear()
        self._errors.clear()
        self._specific.clear()
        return replaced

    # ------------------------------------------------------------------ lookup
    def lookup(self, argtypes: tuple[DataType, ...],
               span: Span | None = None) -> tuple[Method, dict[str, object]]:
        """The most specific method for these argument types, and its where-bindings by name.

        The returned dict is shared by later calls with the same types: do not mutate it.
        """
        hit = self._cache.get(argtypes)
        if hit is not None:
            return hit
        return self._lookup_slow(tuple(argtypes), span)

    def applicable(self, argtypes: tuple[DataType, ...]) -> bool:
        """Whether a call with these argument types would find a unique method."""
        try:
            self.lookup(tuple(argtypes))
        except source.MethodError:
            return False
        return True

    def _lookup_slow(self, argtypes: tuple, span: Span | None) -> tuple[Method, dict[str, object]]:
        msg = self._errors.get(argtypes)
        if msg is not None:
            raise source.MethodError(msg, span)
        n = len(argtypes)
        argtuple = DataType(types.TUPLE_TN, argtypes)
        found: list[tuple[_Entry, dict[TypeVar, object]]] = []
        for e in self._entries:
            if n < e.nfixed or (n > e.nfixed and not e.vararg):
                continue
            bindings = types.match_signature(argtuple, e.sig)
            if bindings is not None:
                found.append((e, bindings))
        best = [x for x in found
                if not any(y is not x and self._more_specific(y[0], x[0]) for y in found)]
        if len(best) == 1:
            e, bindings = best[0]
            result = (e.method, {v.name: val for v, val in bindings.items()})
            self._cache[argtypes] = result
            return result
        msg = self._ambiguity_message(argtypes, [e for e, _ in best]) if best else \
            self._no_method_message(argtypes)
        self._errors[argtypes] = msg
        raise source.MethodError(msg, span)

    def _more_specific(self, a: _Entry, b: _Entry) -> bool:
        key = (id(a), id(b))
        got = self._specific.get(key)
        if got is None:
            got = more_specific(a.sig, a.vararg, b.sig, b.vararg)
            self._specific[key] = got
        return got

    # ------------------------------------------------------------------ messages
    def _call_text(self, argtypes: tuple) -> str:
        head = self.name
        if self.self_arg and argtypes:
            callee, argtypes = argtypes[0], argtypes[1:]
            head = types.show_type(callee.params[0]) if type(callee) is DataType and \
                callee.typename is types.TYPE_TN else f"(::{types.show_type(callee)})"
        return f"{head}({', '.join('::' + types.show_type(t) for t in argtypes)})"

    def _method_text(self, m: Method, with_names: bool) -> str:
        if with_names and (m.text_given or not self.self_arg):
            return m.params_text
        return m.signature_text(with_names, self.self_arg)

    def _no_method_message(self, argtypes: tuple) -> str:
        lines = [f"no method matching {self._call_text(argtypes)}"]
        ranked = []
        for order, m in enumerate(self.methods):
            arity_ok = m.nrequired <= len(argtypes) and (len(argtypes) <= m.nfixed or m.vararg)
            matches = _count_matching_args(m, argtypes)
            # a function with few methods lists them all, as Julia does
            if arity_ok or matches > 0 or len(self.methods) <= MAX_CANDIDATES:
                ranked.append((not arity_ok, -matches, order, m))
        ranked.sort(key=lambda r: r[:3])
        if ranked:
            lines += ["", "Closest candidates are:"]
            lines += [_candidate_line(r[3], self._method_text(r[3], False))
                      for r in ranked[:MAX_CANDIDATES]]
        return "\n".join(lines)

    def _ambiguity_message(self, argtypes: tuple, best: list[_Entry]) -> str:
        methods: list[Method] = []
        for e in best:
            if e.method not in methods:
                methods.append(e.method)
        methods.sort(key=self.methods.index)
        lines = [f"{self._call_text(argtypes)} is ambiguous.", "", "Candidates:"]
        lines += [_candidate_line(m, self._method_text(m, True)) for m in methods]
        fix = _intersect_signatures([e.sig for e in best])
        if fix is not None:
            lines += ["", "Possible fix, define", f"  {self._call_text(fix)}"]
        return "\n".join(lines)

    def methods_text(self) -> str:
        """The listing `methods(f)` shows, one method per entry with its location."""
        n = len(self.methods)
        out = [f"# {n} method{'s' if n != 1 else ''} for generic function \"{self.name}\":"]
        for i, m in enumerate(self.methods, 1):
            out.append(f" [{i}] {self._method_text(m, True)}")
            if m.location:
                out.append(f"     @ {m.location}")
        return "\n".join(out)


def _candidate_line(m: Method, text: str) -> str:
    loc = m.location
    return f"  {text}" + (f" at {loc}" if loc else "")


def _count_matching_args(m: Method, argtypes: tuple) -> int:
    """How many arguments fit the method's parameter in their position (for ranking candidates)."""
    count = 0
    for i, a in enumerate(argtypes):
        if i < m.nfixed:
            p = m.params[i]
        elif m.vararg:
            p = m.params[-1].T
        else:
            break
        alone = types.rewrap(types.make_tuple_type((p,)), m.wherevars)
        if types.match_signature(types.make_tuple_type((a,)), alone) is not None:
            count += 1
    return count


def _intersect_signatures(sigs: list[object]) -> tuple | None:
    """The argument types of a method that would resolve an ambiguity, when easy to compute."""
    if any(type(s) is not DataType for s in sigs):
        return None
    params = [s.params for s in sigs]
    if len({len(p) for p in params}) != 1 or any(type(x) is VarargType for p in params for x in p):
        return None
    out = []
    for column in zip(*params):
        narrow = column[0]
        for t in column[1:]:
            if types.issubtype(t, narrow):
                narrow = t
            elif not types.issubtype(narrow, t):
                return None
        out.append(narrow)
    return tuple(out)


def more_specific(a_sig: object, a_vararg: bool, b_sig: object, b_vararg: bool) -> bool:
    """Whether signature A is strictly more specific than B (Julia's `morespecific`, simplified:
    subtyping, with a non-vararg signature winning a tie against a vararg one)."""
    ab = types.issubtype(a_sig, b_sig)
    if not ab:
        return False
    if not types.issubtype(b_sig, a_sig):
        return True
    return b_vararg and not a_vararg


# ----------------------------------------------------------------------------- signature notation
# `parse_type("AbstractArray{T, N} where {T<:Real, N}")` and
# `parse_method("f(x::Vector{T}, ys::Int64...; dims) where T")` let Python code (builtin
# registrations, tests) write types in Arr's own notation.
_TOKEN = re.compile(r"\s*(<:|>:|\.\.\.|::|[{}(),;]|:[A-Za-z_]\w*|-?\d+|[A-Za-z_#][\w#!]*)")


def _tokenize(text: str) -> list[str]:
    toks, pos, text = [], 0, text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ValueError(f"bad type syntax at {text[pos:]!r}")
        toks.append(m.group(1))
        pos = m.end()
    return toks


class _TypeParser:
    """Recursive descent to a small AST, evaluated once the `where` variables are known."""

    def __init__(self, text: str, names: dict[str, object] | None) -> None:
        self.toks = _tokenize(text)
        self.i = 0
        self.names = names or {}

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, expect: str | None = None) -> str:
        tok = self.peek()
        if tok is None or (expect is not None and tok != expect):
            raise ValueError(f"expected {expect or 'a token'}, got {tok!r}")
        self.i += 1
        return tok

    def type_expr(self) -> tuple:
        node = self.primary()
        while self.peek() == "where":
            self.take()
            if self.peek() == "{":
                self.take()
                vs = [self.where_var()]
                while self.peek() == ",":
                    self.take()
                    vs.append(self.where_var())
                self.take("}")
            else:
                vs = [self.where_var()]
            node = ("where", node, vs)
        return node

    def where_var(self) -> tuple:
        name, lb, ub = self.take(), None, None
        if self.peek() == "<:":
            self.take()
            ub = self.primary()
        elif self.peek() == ">:":
            self.take()
            lb = self.primary()
        return (name, lb, ub)

    def primary(self) -> tuple:
        tok = self.take()
        if tok == "(":
            items = []
            while self.peek() != ")":
                items.append(self.take()[1:])
                if self.peek() == ",":
                    self.take()
            self.take(")")
            return ("syms", tuple(items))
        if tok.lstrip("-").isdigit():
            return ("int", int(tok))
        node: tuple = ("name", tok)
        while self.peek() == "{":
            self.take()
            params = []
            while self.peek() != "}":
                if self.peek() == "<:":
                    self.take()
                    params.append(("anon", self.type_expr()))
                else:
                    params.append(self.type_expr())
                if self.peek() == ",":
                    self.take()
            self.take("}")
            node = ("apply", node, params)
        return node

    def eval(self, node: tuple, scope: dict[str, object]) -> object:
        kind = node[0]
        if kind == "name":
            name = node[1]
            for table in (scope, self.names, types.BUILTIN_TYPES):
                if name in table:
                    return table[name]
            raise ValueError(f"unknown type name {name}")
        if kind == "int":
            return node[1]
        if kind == "syms":
            from .values import Symbol
            return tuple(Symbol(s) for s in node[1])
        if kind == "apply":
            anon: list[TypeVar] = []
            params = []
            for p in node[2]:
                if p[0] == "anon":
                    anon.append(types.anonymous_typevar(self.eval(p[1], scope)))
                    params.append(anon[-1])
                else:
                    params.append(self.eval(p, scope))
            if node[1] == ("name", "Union") and not params:
                return types.BOTTOM
            return types.rewrap(types.apply_type(self.eval(node[1], scope), params), anon)
        # where
        inner = dict(scope)
        vs = []
        for name, lb, ub in node[2]:
            v = TypeVar(name, types.BOTTOM if lb is None else self.eval(lb, inner),
                        ANY if ub is None else self.eval(ub, inner))
            inner[name] = v
            vs.append(v)
        return types.rewrap(self.eval(node[1], inner), vs)


def parse_type(text: str, names: dict[str, object] | None = None) -> object:
    """A type from Arr notation, e.g. `Vector{<:Real}`; `names` adds user types."""
    p = _TypeParser(text, names)
    node = p.type_expr()
    if p.peek() is not None:
        raise ValueError(f"trailing input {p.peek()!r} in {text!r}")
    return p.eval(node, {})


def parse_method(text: str, names: dict[str, object] | None = None, **fields: object) -> Method:
    """A Method from a header like `f(x::Vector{T}, ::Int64, ys...; dims) where T<:Real`;
    other Method fields (span, impl, nrequired, ...) come as keywords."""
    head, _, where = text.partition(" where ")
    name, _, rest = head.partition("(")
    args_text, _, after = rest.rpartition(")")
    positional, _, kws = args_text.partition(";")
    argnames, argtypes, vararg = [], [], False
    for arg in _split_top(positional):
        if arg.endswith("..."):
            vararg, arg = True, arg[:-3]
        n, _, t = arg.partition("::")
        argnames.append(n.strip())
        argtypes.append(t.strip() or "Any")
    sig = "Tuple{" + ", ".join(argtypes[:-1] + [f"Vararg{{{argtypes[-1]}}}"] if vararg
                                 else argtypes) + "}"
    kwnames = tuple(k.strip() for k in _split_top(kws) if not k.strip().endswith("..."))
    has_kw_va = any(k.strip().endswith("...") for k in _split_top(kws))
    sig_type = parse_type(sig + (f" where {where}" if where else ""), names)
    return Method(name.strip(), sig_type, vararg=vararg, argnames=tuple(argnames),
                  kwnames=kwnames, has_kw_varargs=has_kw_va, **fields)  # type: ignore[arg-type]


def _split_top(text: str) -> list[str]:
    """Split at commas outside braces."""
    out, depth, cur = [], 0, ""
    for ch in text:
        depth += ch in "{(" and 1 or (-1 if ch in "})" else 0)
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    return [x.strip() for x in out + [cur] if x.strip()]


def lookup(gf: GenericFunction, argtypes: tuple[DataType, ...],
           span: Span | None = None) -> tuple[Method, dict[str, object]]:
    """`gf.lookup(argtypes, span)`: the most specific method and its where-bindings."""
    return gf.lookup(argtypes, span)


types.register_typeof(GenericFunction, lambda f: f.arr_type)
