"""Subtyping: Julia's `a <: b` on Arr types, and the signature matching dispatch is built on.

The engine follows Julia's algorithm in outline.  `_sub(a, b, env, inv)` answers `a <: b`, where
`env` maps the existential (right-hand) variables in scope to what is known of them (`_VarState`)
and `inv` says we are inside an invariant parameter:

1. `a is b` and `b is Any` hold at once.  `issubtype` answers a closed DataType against a closed
   DataType or a UnionAll from a cache, since types are immutable.
2. A variable on either side that is in `env` narrows its bounds: `a <: X` raises X's lower bound
   (`_lower_bound`), `X <: b` lowers its upper bound (`_upper_bound`).  A variable that is not in
   `env` is replaced by its bound.
3. A Union on the left needs every member below `b`.  A UnionAll on the left is opened with a
   fresh rigid variable ("for all"), which must not escape into an outer variable's binding.
4. A UnionAll on the right adds its variable to `env` ("there exists") for the comparison with its
   body.  A Union on the right tries each member on a copy of `env` and keeps the first that works.
5. DataTypes: walk `a`'s supertype chain up to `b`'s type name, then compare the parameters, which
   are invariant: equal types, equal values, or a variable bound to exactly that (`_bind_equal`).
   Tuple is covariant.  Its trailing `Vararg{T, N}` matches the remaining elements one by one and
   binds `N` to their count when `N` is a variable.
6. When a variable's scope closes, the "diagonal" rule applies (`_var_ok`): a variable met twice,
   in covariant position only, must end up concrete, so `f(x::T, y::T) where T` rejects
   `(Int64, Float64)`.

`type_equal` is mutual subtyping.  `match_signature` runs the same engine with the signature's
where-variables in `env` and returns what they were bound to.

`lang.types` defines the type objects used here, imports this module at its end, and re-exports
`issubtype`, `type_equal` and `match_signature`.  Import it first (`from lang import types`).
"""
from __future__ import annotations

from .types import (
    ANY, BOTTOM, TUPLE_TN, TYPE_TN, _METATYPES, _UNSET, DataType, TypeVar, UnionAll, UnionType,
    VarargType, _free_vars, is_concrete, is_type, make_union, subst, supertype,
)


class _VarState:
    """What is known of an existential (right-hand) variable during one subtype query."""

    __slots__ = ("var", "lb", "ub", "value", "bound", "occ_cov", "occ_inv")

    def __init__(self, var: TypeVar) -> None:
        self.var = var
        self.lb: object = var.lb
        self.ub: object = var.ub
        self.value: object = _UNSET        # set when bound to a non-type value (N = 2)
        self.bound = False
        self.occ_cov = 0
        self.occ_inv = 0

    def assign_from(self, other: "_VarState") -> None:
        for s in _VarState.__slots__:
            setattr(self, s, getattr(other, s))

    def copy(self) -> "_VarState":
        c = _VarState.__new__(_VarState)
        for s in _VarState.__slots__:
            setattr(c, s, getattr(self, s))
        return c


_Env = dict  # TypeVar -> _VarState


_SUBTYPE_CACHE: dict[tuple[DataType, DataType], bool] = {}


def issubtype(a: object, b: object) -> bool:
    """Julia's `a <: b`."""
    if a is b or b is ANY:
        return True
    if type(a) is DataType and not a._free:
        # Types are immutable, so answers never go stale.  A UnionAll keeps its own cache (it
        # dies with it: the interpreter may build a fresh `Vector{<:Real}` at every evaluation).
        tb = type(b)
        if tb is UnionAll:
            cache: dict = b._subtypes
            key: object = a
        elif tb is DataType and not b._free:
            cache, key = _SUBTYPE_CACHE, (a, b)
        else:
            return _sub(a, b, {}, False)
        got = cache.get(key)
        if got is None:
            got = cache[key] = _sub(a, b, {}, False)
        return got
    return _sub(a, b, {}, False)


def type_equal(a: object, b: object) -> bool:
    """Julia's `==` on types: mutual subtyping."""
    return a is b or (issubtype(a, b) and issubtype(b, a))


def match_signature(argtuple: object, sig: object) -> dict[TypeVar, object] | None:
    """If `argtuple <: sig`, the values bound to `sig`'s where-variables (unbound ones omitted)."""
    env: _Env = {}
    body = sig
    vars_: list[TypeVar] = []
    while type(body) is UnionAll:
        env[body.var] = _VarState(body.var)
        vars_.append(body.var)
        body = body.body
    if not _sub(argtuple, body, env, False):
        return None
    out: dict[TypeVar, object] = {}
    for v in vars_:
        st = env[v]
        if not _var_ok(st):
            return None
        if st.value is not _UNSET:
            out[v] = st.value
        elif st.bound:
            out[v] = st.lb
    return out


def _var_ok(st: _VarState) -> bool:
    # The diagonal rule: T in `f(x::T, y::T)` must be concrete, so (Int64, Float64) fails.
    if st.occ_cov >= 2 and st.occ_inv == 0 and st.value is _UNSET:
        lb = st.lb
        return lb is BOTTOM or type(lb) is TypeVar or is_concrete(lb)
    return True


def _join(x: object, y: object) -> object:
    if x is BOTTOM or x is y:
        return y
    if issubtype(y, x):
        return x
    if issubtype(x, y):
        return y
    return make_union(x, y)


def _lower_bound(st: _VarState, a: object, env: _Env, inv: bool) -> bool:
    """`a <: X` for existential X: X's lower bound grows to include `a`."""
    if inv:
        st.occ_inv += 1
    else:
        st.occ_cov += 1
    if st.value is not _UNSET or not _sub(a, st.ub, env, inv):
        return False
    st.lb = _join(st.lb, a)
    st.bound = True
    return True


def _upper_bound(st: _VarState, b: object, env: _Env, inv: bool) -> bool:
    """`X <: b` for existential X: X's upper bound shrinks to `b`."""
    if inv:
        st.occ_inv += 1
    else:
        st.occ_cov += 1
    if st.value is not _UNSET or not _sub(st.lb, b, env, inv):
        return False
    if not issubtype(st.ub, b):
        st.ub = b
    st.bound = st.bound or st.lb is not BOTTOM
    return True


def _bind_equal(st: _VarState, x: object, env: _Env) -> bool:
    """X == x in an invariant position."""
    st.occ_inv += 1
    if not is_type(x):
        if st.value is not _UNSET:
            return type(st.value) is type(x) and st.value == x
        if st.bound or st.lb is not BOTTOM:
            return False
        st.value = x
        return True
    if st.value is not _UNSET or not (_sub(st.lb, x, env, True) and _sub(x, st.ub, env, True)):
        return False
    st.lb = st.ub = x
    st.bound = True
    return True


def _param_equal(p: object, q: object, env: _Env) -> bool:
    if p is q:
        return True
    if type(q) is TypeVar and q in env:
        return _bind_equal(env[q], p, env)
    if type(p) is TypeVar and p in env:
        return _bind_equal(env[p], q, env)
    pt, qt = is_type(p), is_type(q)
    if pt and qt:
        return _sub(p, q, env, True) and _sub(q, p, env, True)
    if pt or qt:
        return False
    if type(p) is tuple and type(q) is tuple:
        return len(p) == len(q) and all(_param_equal(x, y, env) for x, y in zip(p, q))
    return type(p) is type(q) and p == q


def _sub(a: object, b: object, env: _Env, inv: bool) -> bool:
    """The subtype engine; `inv` says we are inside an invariant parameter."""
    if a is b or b is ANY:
        return True
    ta, tb = type(a), type(b)
    if tb is TypeVar:
        st = env.get(b)
        if st is not None:
            return _lower_bound(st, a, env, inv)
        if ta is not TypeVar:
            return _sub(a, b.lb, env, inv)
    if ta is TypeVar:
        st = env.get(a)
        if st is not None:
            return _upper_bound(st, b, env, inv)
        return _sub(a.ub, b, env, inv)
    if ta is UnionType:                       # for all members
        return all(_sub(m, b, env, inv) for m in a.types)
    if ta is UnionAll:                        # for all instances: a fresh rigid variable
        fresh = TypeVar(a.var.name, a.var.lb, a.var.ub)
        if not _sub(subst(a.body, {a.var: fresh}), b, env, inv):
            return False
        # The rigid variable must not escape into an outer existential's binding.
        return not any(fresh in _free_vars(s.lb) or fresh in _free_vars(s.ub)
                       for s in env.values() if s.bound)
    if tb is UnionAll:                        # there exists an instance
        saved = env.get(b.var)
        env[b.var] = _VarState(b.var)
        ok = _sub(a, b.body, env, inv)
        ok = ok and _var_ok(env[b.var])
        if saved is None:
            del env[b.var]
        else:
            env[b.var] = saved
        return ok
    if tb is UnionType:                       # some member, trying each on a copy of env
        for m in b.types:
            trial = {k: s.copy() for k, s in env.items()}
            if _sub(a, m, trial, inv):
                # write the trial's findings into the states the callers hold
                for k, s in trial.items():
                    if k in env:
                        env[k].assign_from(s)
                    else:
                        env[k] = s
                return True
        return False
    if ta is DataType and tb is DataType:
        return _sub_datatype(a, b, env, inv)
    return False


def _sub_datatype(a: DataType, b: DataType, env: _Env, inv: bool) -> bool:
    bn = b.typename
    if bn is TUPLE_TN:
        return a.typename is TUPLE_TN and _sub_tuple(a.params, b.params, env, inv)
    if bn is TYPE_TN and a.typename in _METATYPES:
        # `DataType <: Type{T} where T`: only an unconstrained existential T admits it.
        q = b.params[0]
        return type(q) is TypeVar and q in env
    t: DataType | None = a
    while t is not None and t.typename is not bn:
        t = supertype(t)
    if t is None:
        return False
    return all(_param_equal(p, q, env) for p, q in zip(t.params, b.params))


def _sub_tuple(ap: tuple, bp: tuple, env: _Env, inv: bool) -> bool:
    a_va = bool(ap) and type(ap[-1]) is VarargType
    b_va = bool(bp) and type(bp[-1]) is VarargType
    na, nb = len(ap) - a_va, len(bp) - b_va
    if not b_va:
        if a_va or na != nb:
            return False
        return all(_sub(x, y, env, inv) for x, y in zip(ap, bp))
    if na < nb:
        return False
    for i in range(nb):
        if not _sub(ap[i], bp[i], env, inv):
            return False
    bT, bN = bp[-1].T, bp[-1].N
    for i in range(nb, na):
        if not _sub(ap[i], bT, env, inv):
            return False
    if a_va:
        # An unbounded Vararg stands for many elements: compare twice so T counts as diagonal.
        if not (_sub(ap[-1].T, bT, env, inv) and _sub(ap[-1].T, bT, env, inv)):
            return False
        aN = ap[-1].N
        if bN is None or aN is bN:
            return True
        return type(bN) is TypeVar and bN in env and aN is None
    if bN is None:
        return True
    if type(bN) is TypeVar and bN in env:
        return _bind_equal(env[bN], na - nb, env)
    return bN == na - nb
