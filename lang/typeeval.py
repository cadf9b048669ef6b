"""Definitions: evaluating type expressions in signatures, and defining structs.

Type expressions (`x::Vector{T}`, `where {T<:Real}`, `::typeof(sin)`) are evaluated when
a definition runs, against the globals of that moment, so they stay AST-level here rather
than being lowered to IR.
"""
from __future__ import annotations

from typing import Any

from . import dispatch, syntax as S, types as T
from .source import ArrError, Span, TypeError_, UndefVarError, error_class
from .values import StructValue, Symbol


class NewMarker:
    """The value of `new` inside an inner constructor: builds the struct directly."""
    __slots__ = ("type",)

    def __init__(self, t: Any) -> None:
        self.type = t


def eval_type_expr(interp: Any, node: S.Node, tvars: dict[str, Any]) -> Any:
    if isinstance(node, S.Name):
        if node.id in tvars:
            return tvars[node.id]
        if node.id in interp.globals:
            return interp.globals[node.id]
        raise UndefVarError(f"`{node.id}` not defined", node.span)
    if isinstance(node, S.Curly):
        base = eval_type_expr(interp, node.base, tvars)
        params = []
        wrap = []
        for p in node.params:
            bound = _unary_subtype(p)
            if bound is not None:
                tv = T.TypeVar(f"#s{len(wrap)}", T.Bottom, eval_type_expr(interp, bound, tvars))
                wrap.append(tv)
                params.append(tv)
            else:
                params.append(eval_type_expr(interp, p, tvars))
        t = _apply(base, params, node.span)
        for tv in reversed(wrap):
            t = T.UnionAll(tv, t)
        return t
    if isinstance(node, S.IntLit):
        return node.value
    if isinstance(node, S.BoolLit):
        return node.value
    if isinstance(node, S.SymbolLit):
        return Symbol(node.name)
    if isinstance(node, S.TupleLit):
        return tuple(eval_type_expr(interp, e, tvars) for e in node.elems)
    if isinstance(node, S.Call) and isinstance(node.func, S.Name) and node.func.id == "typeof" \
            and len(node.args) == 1:
        return T.typeof(eval_value(interp, node.args[0]))
    if isinstance(node, S.WhereType):
        inner = dict(tvars)
        vs = []
        for w in node.params:
            tv = make_typevar(interp, w, inner)
            inner[w.name] = tv
            vs.append(tv)
        t = eval_type_expr(interp, node.body, inner)
        for tv in reversed(vs):
            t = T.UnionAll(tv, t)
        return t
    if isinstance(node, S.Field):
        return eval_value(interp, node)
    raise TypeError_("invalid type expression", node.span)


def _apply(base: Any, params: list, span: Span) -> Any:
    try:
        return T.apply_type(base, tuple(params))
    except ArrError as e:
        if e.span is None:
            e.span = span
        raise


def _unary_subtype(p: S.Node) -> S.Node | None:
    if isinstance(p, S.Call) and isinstance(p.func, S.Name) and p.func.id == "<:" \
            and len(p.args) == 1:
        return p.args[0]
    return None


def eval_value(interp: Any, node: S.Node) -> Any:
    if isinstance(node, S.Name):
        if node.id in interp.globals:
            return interp.globals[node.id]
        raise UndefVarError(f"`{node.id}` not defined", node.span)
    if isinstance(node, S.Field):
        obj = eval_value(interp, node.obj)
        from .frames import get_field
        return get_field(obj, node.name, node.span)
    raise TypeError_("expected a name here", node.span)


def make_typevar(interp: Any, w: S.TypeParam, tvars: dict[str, Any]) -> Any:
    ub = eval_type_expr(interp, w.upper, tvars) if w.upper is not None else T.Any
    lb = eval_type_expr(interp, w.lower, tvars) if w.lower is not None else T.Bottom
    return T.TypeVar(w.name, lb, ub)


def param_type(interp: Any, p: S.Param, tvars: dict[str, Any]) -> Any:
    t = eval_type_expr(interp, p.type, tvars) if p.type is not None else T.Any
    if p.vararg:
        t = T.vararg(t)
    return t


def method_signature(interp: Any, fdef: S.FunctionDef, span: Span,
                     extra_tvars: dict[str, Any] | None = None) -> tuple[Any, bool]:
    """The signature type `Tuple{...}` (wrapped in UnionAlls for `where`) of a definition."""
    tvars: dict[str, Any] = dict(extra_tvars or {})
    order = []
    for w in fdef.where:
        tv = make_typevar(interp, w, tvars)
        tvars[w.name] = tv
        order.append(tv)
    ps = []
    if fdef.self_param is not None:
        ps.append(param_type(interp, fdef.self_param, tvars))
    for p in fdef.params:
        ps.append(param_type(interp, p, tvars))
    sig = T.tuple_type(tuple(ps))
    for tv in reversed(order):
        sig = T.UnionAll(tv, sig)
    return sig, fdef.self_param is not None


def construct(interp: Any, t: Any, args: list, span: Span | None) -> StructValue:
    """Build a struct value of concrete type `t`, converting each field to its type."""
    names = T.fieldnames(t)
    if len(args) != len(names):
        raise error_class("MethodError")(
            f"no method matching {T.show_type(t)}({', '.join('::' + T.show_type(T.typeof(a)) for a in args)})",
            span)
    ftypes = T.struct_fieldtypes(t)
    vals = []
    for v, ft in zip(args, ftypes):
        if ft is not T.Any and not T.isa(v, ft):
            v = interp.call(interp.globals["convert"], ft, v)
            if not T.isa(v, ft):
                raise TypeError_(f"in {T.show_type(t)}, expected {T.show_type(ft)}, got a value "
                                 f"of type {T.show_type(T.typeof(v))}", span)
        vals.append(v)
    return StructValue(t, tuple(vals))


def define_abstract(interp: Any, n: S.AbstractDef, span: Span) -> Any:
    tvars: dict[str, Any] = {}
    vs = []
    for p in n.params:
        tv = make_typevar(interp, p, tvars)
        tvars[p.name] = tv
        vs.append(tv)
    sup = eval_type_expr(interp, n.supertype, tvars) if n.supertype is not None else T.Any
    t = T.new_abstract_type(n.name, tuple(vs), sup, span)
    interp.globals[n.name] = t
    return None


def define_struct(interp: Any, info: Any, span: Span) -> Any:
    from .interp import BuiltinImpl
    n: S.StructDef = info.node
    tvars: dict[str, Any] = {}
    vs = []
    for p in n.params:
        tv = make_typevar(interp, p, tvars)
        tvars[p.name] = tv
        vs.append(tv)
    sup = eval_type_expr(interp, n.supertype, tvars) if n.supertype is not None else T.Any
    fnames = tuple(f.name for f in n.fields)
    ftypes = tuple(eval_type_expr(interp, f.type, tvars) if f.type is not None else T.Any
                   for f in n.fields)
    t = T.new_struct_type(n.name, tuple(vs), sup, fnames, ftypes, span)
    interp.globals[n.name] = t
    table = interp.ctor_table(t)
    if n.doc:
        table.doc.append(n.doc)
    if info.constructors:
        for d in info.constructors:
            interp.define_method(d, span, struct_type=t)
        return None
    text = f"{n.name}({', '.join(fnames)})"
    if not vs:
        sig = T.tuple_type((T.type_of_type(t),) + tuple(T.Any for _ in fnames))
        impl = BuiltinImpl(lambda env, *args: construct(interp, t, list(args), span))
        table.add_method(dispatch.Method(name=n.name, sig=sig, span=span, impl=impl,
                                         params_text=text))
        return None
    # S(a::T, b::T) where T: parameters from the arguments
    sig = T.tuple_type((T.type_of_type(t),) + ftypes)
    for tv in reversed(vs):
        sig = T.UnionAll(tv, sig)

    def construct_with_params(env: dict, *args: Any) -> StructValue:
        """Both parametric constructors: the parameters are bound by dispatch."""
        params = tuple(env[tv.name] for tv in vs)
        return construct(interp, T.apply_type(t, params), list(args), span)

    table.add_method(dispatch.Method(name=n.name, sig=sig, span=span,
                                     impl=BuiltinImpl(construct_with_params), params_text=text))
    # S{T}(a, b) where T: convert to the given parameters
    inst = T.apply_type(t, tuple(vs))
    sig2 = T.tuple_type((T.type_of_type(inst),) + tuple(T.Any for _ in fnames))
    for tv in reversed(vs):
        sig2 = T.UnionAll(tv, sig2)
    table.add_method(dispatch.Method(name=n.name, sig=sig2, span=span,
                                     impl=BuiltinImpl(construct_with_params), params_text=text))
    return None
