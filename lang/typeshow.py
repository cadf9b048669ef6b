"""Type printing: `show_type`, which shows a type (or type parameter value) as Julia 1.10 does.

Handles the `Vector`/`Matrix`/`NTuple` aliases, `where` clauses and inline bounds such as
`Vector{<:Real}`.  `lang.types` imports this module at its end and re-exports `show_type` (and the
helpers `_show_var` and `_count_occurrences` that dispatch uses).  Import it first
(`from lang import types`).
"""
from __future__ import annotations

from . import values as V
from .types import (
    _ABSTRACT_ARRAY_TN, _NTUPLE_VARS, ANY, ARRAY_TN, BOTTOM, TUPLE_TN, DataType, TypeVar, UnionAll,
    UnionType, VarargType, unwrap,
)


def show_type(t: object) -> str:
    """A type (or type parameter value) exactly as Julia 1.10 prints it."""
    tt = type(t)
    if tt is DataType:
        return _show_datatype(t, ())[0]
    if tt is UnionAll:
        return _show_unionall(t)
    if tt is UnionType:
        return "Union{" + ", ".join(show_type(m) for m in t.types) + "}"
    if tt is TypeVar:
        return t.name
    if tt is VarargType:
        if t.N is None:
            return "Vararg" if t.T is ANY else f"Vararg{{{show_type(t.T)}}}"
        return f"Vararg{{{show_type(t.T)}, {show_type(t.N)}}}"
    if tt is V.Symbol:
        return f":{t.name}"
    if tt is tuple:
        inner = ", ".join(show_type(x) for x in t)
        return f"({inner},)" if len(t) == 1 else f"({inner})"
    if tt is bool:
        return "true" if t else "false"
    if tt is str:
        return '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(t)


def _show_var(v: TypeVar) -> str:
    lb, ub = v.lb is not BOTTOM, v.ub is not ANY
    if lb and ub:
        return f"{show_type(v.lb)}<:{v.name}<:{show_type(v.ub)}"
    if ub:
        return f"{v.name}<:{show_type(v.ub)}"
    if lb:
        return f"{v.name}>:{show_type(v.lb)}"
    return v.name


def _count_occurrences(t: object, v: TypeVar) -> int:
    tt = type(t)
    if tt is TypeVar:
        return int(t is v) + _count_occurrences(t.lb, v) + _count_occurrences(t.ub, v)
    if tt is DataType:
        return sum(_count_occurrences(p, v) for p in t.params)
    if tt is UnionAll:
        return _count_occurrences(t.var, v) + _count_occurrences(t.body, v)
    if tt is UnionType or tt is tuple:
        return sum(_count_occurrences(m, v) for m in (t.types if tt is UnionType else t))
    if tt is VarargType:
        return _count_occurrences(t.T, v) + _count_occurrences(t.N, v)
    return 0


def _display_head(t: DataType) -> tuple[str, tuple, tuple]:
    """Name, shown parameters and the typename's own variables, applying Vector/Matrix aliases."""
    tn = t.typename
    if tn is ARRAY_TN or tn is _ABSTRACT_ARRAY_TN:
        n = t.params[1]
        if type(n) is int and n in (1, 2):
            prefix = "" if tn is ARRAY_TN else "Abstract"
            return prefix + ("Vector" if n == 1 else "Matrix"), t.params[:1], tn.params[:1]
    return tn.name, t.params, tn.params


def _show_datatype(t: DataType, wheres: tuple[TypeVar, ...]) -> tuple[str, set[TypeVar]]:
    """Show `t` inside `... where {wheres}`; returns the text and the vars already accounted for."""
    tn = t.typename
    if tn is TUPLE_TN:
        if t.params == (VarargType(ANY),):
            return "Tuple", set()
        if len(t.params) == 1 and type(t.params[0]) is VarargType and t.params[0].N is not None:
            name, ps, orig = "NTuple", (t.params[0].N, t.params[0].T), _NTUPLE_VARS
        else:
            return "Tuple{" + ", ".join(show_type(p) for p in t.params) + "}", set()
    else:
        name, ps, orig = _display_head(t)
    done: set[TypeVar] = set()
    inline: set[TypeVar] = set()
    n = len(ps)
    for i in range(len(ps) - 1, -1, -1):
        p = ps[i]
        if type(p) is not TypeVar or p not in wheres or _count_occurrences(t, p) != 1 or \
                any(_count_occurrences(w, p) for w in wheres if w is not p):
            continue
        if i == n - 1 and i < len(orig) and _bounds_egal(p, orig[i]):
            n -= 1                      # `Array{Float32, N} where N` shows as `Array{Float32}`
            done.add(p)
        elif p.name.startswith("#"):
            inline.add(p)               # `Vector{<:Real}`
            done.add(p)
    if n == 0:
        return name, done
    shown = []
    for p in ps[:n]:
        if p in inline:
            shown.append(f">:{show_type(p.lb)}" if p.lb is not BOTTOM else f"<:{show_type(p.ub)}")
        else:
            shown.append(show_type(p))
    return f"{name}{{{', '.join(shown)}}}", done


def _bounds_egal(p: TypeVar, o: TypeVar) -> bool:
    return (p.ub is o.ub or p.ub == o.ub) and (p.lb is o.lb or p.lb == o.lb)


def _show_unionall(t: UnionAll) -> str:
    body, vars_ = unwrap(t)
    if type(body) is DataType:
        text, done = _show_datatype(body, vars_)
    else:
        text, done = show_type(body), set()
    rest = [v for v in vars_ if v not in done]
    if not rest:
        return text
    if len(rest) == 1:
        return f"{text} where {_show_var(rest[0])}"
    return f"{text} where {{{', '.join(_show_var(v) for v in rest)}}}"
