"""Arr's type system: type objects, the hierarchy, type application, user types.

Type objects (all immutable):

| object                 | Julia                       | equality                                  |
|------------------------|-----------------------------|-------------------------------------------|
| `TypeName`             | `Array.body.name`           | identity (a REPL redefinition is new)     |
| `DataType(tn, params)` | `Array{Float32, 2}`         | interned: structural equality is identity |
| `TypeVar(name, lb, ub)`| `T<:Real`                   | identity                                  |
| `UnionAll(var, body)`  | `Vector{T} where T`         | type equality (mutual subtyping)          |
| `UnionType(types)`     | `Union{Nothing, Int64}`     | structural (members are normalised)       |
| `BOTTOM`               | `Union{}`                   |                                           |
| `VarargType(T, N)`     | `Vararg{T, N}` in a Tuple   | structural                                |

Parameters of a DataType are types, TypeVars or plain values (`N = 2`, the NamedTuple names
`(:a, :b)` as a tuple of `values.Symbol`).  `Type{T}` is `DataType(TYPE_TN, (T,))`:
`typeof(Float32)` returns `Type{Float32}` so that dispatch on `::Type{T}` can see the value;
`user_typeof` gives what Arr's `typeof` shows (`DataType`).  Function types print as
`typeof(sin)`, closures (whose names start with `#`) as `var"#3"`.

Subtyping (`issubtype`, `type_equal`, `match_signature`) lives in `subtype.py`, promotion
(`promote_type`, `typejoin`) in `promotion.py`, printing (`show_type`) in `typeshow.py` and
`typeof` (with `user_typeof`, `isa`, `numpy_dtype`, `eltype_from_dtype`) in `typeof.py`.  All work
on the objects defined here; this module imports them at its end and re-exports those names, so
`types.issubtype`, `types.show_type`, `types.typeof` etc. work everywhere.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any as _PyAny, Iterable

from . import source
from . import values as V

_UNSET = object()


# ----------------------------------------------------------------------------- type objects
@dataclass(frozen=True, slots=True, eq=False, repr=False)
class TypeName:
    """The name and definition of a (possibly parametric) type; shared by all its instances."""

    name: str
    params: tuple["TypeVar", ...]
    supertype: "DataType | None"          # may mention `params`; None only for Any
    abstract: bool = False
    fieldnames: tuple[str, ...] | None = None
    fieldtypes: tuple[object, ...] | None = None   # in terms of `params`; ANY when untyped
    span: source.Span | None = None
    mutable: bool = False
    builtin: bool = False
    wrapper: object = field(default=None, init=False)   # `Array{T,N} where {T,N}` or the DataType

    def __post_init__(self) -> None:
        w: object = DataType(self, self.params)
        for v in reversed(self.params):
            w = UnionAll(v, w)
        object.__setattr__(self, "wrapper", w)

    def __repr__(self) -> str:
        return self.name

    def __reduce__(self) -> tuple:
        # Builtin names must stay unique across pickling (disk caches key on them).
        if self.builtin:
            return (_builtin_typename, (self.name,))
        return (_rebuild_typename, (self.name, self.params, self.supertype, self.abstract,
                                    self.fieldnames, self.fieldtypes, None, self.mutable))


def _rebuild_typename(*args: _PyAny) -> TypeName:
    return TypeName(*args)


def _builtin_typename(name: str) -> TypeName:
    return _BUILTIN_TYPENAMES[name]


# Closed types are interned for good; types mentioning free TypeVars (`Array{T, 1}` inside a
# UnionAll) only while in use, since `Vector{<:Real}` makes a fresh variable at each evaluation.
_DATATYPES: dict[tuple, "DataType"] = {}
_DATATYPES_FREE: "weakref.WeakValueDictionary[tuple, DataType]" = weakref.WeakValueDictionary()


@dataclass(frozen=True, slots=True, eq=False, init=False, repr=False, weakref_slot=True)
class DataType:
    """`Name{params...}`; interned, so `==` and `hash` are identity-fast and still structural."""

    typename: TypeName
    params: tuple
    _super: object          # cached supertype
    _free: bool             # mentions a free TypeVar

    def __new__(cls, typename: TypeName, params: tuple = ()) -> "DataType":
        # `1 == True` and `2 == 2.0` in Python: value parameters also key on their class
        # (Tuple parameters are always types, so the cheap key is enough there).
        key = (typename, params) if typename is _TUPLE_TN_HOLDER[0] else \
            (typename, params, tuple(map(type, params)))
        free = any(p._free if type(p) is DataType else
                   type(p) is TypeVar or (type(p) in _COMPOUND and bool(_free_vars(p)))
                   for p in params) if params else False
        table = _DATATYPES_FREE if free else _DATATYPES
        dt = table.get(key)
        if dt is None:
            dt = object.__new__(cls)
            object.__setattr__(dt, "typename", typename)
            object.__setattr__(dt, "params", params)
            object.__setattr__(dt, "_super", _UNSET)
            object.__setattr__(dt, "_free", free)
            table[key] = dt
        return dt

    def __reduce__(self) -> tuple:
        return (DataType, (self.typename, self.params))

    def __copy__(self) -> "DataType":
        return self

    def __deepcopy__(self, memo: dict) -> "DataType":
        return self

    def __repr__(self) -> str:
        return show_type(self)

    __str__ = __repr__


_TUPLE_TN_HOLDER: list[TypeName | None] = [None]


@dataclass(frozen=True, slots=True, repr=False)
class UnionType:
    """`Union{A, B, ...}`; build with `make_union`, which flattens, simplifies and sorts."""

    types: tuple

    def __repr__(self) -> str:
        return show_type(self)

    __str__ = __repr__


@dataclass(frozen=True, slots=True, repr=False)
class VarargType:
    """`Vararg{T}` (N None) or `Vararg{T, N}`; only meaningful as the last Tuple parameter."""

    T: object
    N: object = None

    def __repr__(self) -> str:
        return show_type(self)

    __str__ = __repr__


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class UnionAll:
    """`body where var`."""

    var: "TypeVar"
    body: object
    _subtypes: dict = field(default_factory=dict, init=False, repr=False)  # issubtype(a, self)

    def __eq__(self, other: object) -> bool:
        return self is other or (type(other) is UnionAll and type_equal(self, other))

    def __hash__(self) -> int:
        # Alpha-equivalent UnionAlls must hash alike, so hash only the head name.
        body = self.body
        while type(body) is UnionAll:
            body = body.body
        return hash(("UnionAll", body.typename if type(body) is DataType else None))

    def __repr__(self) -> str:
        return show_type(self)

    __str__ = __repr__


_ANY_TN = TypeName("Any", (), None, abstract=True, builtin=True)
ANY: DataType = _ANY_TN.wrapper                # type: ignore[assignment]
BOTTOM = UnionType(())


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class TypeVar:
    """A type parameter `lb <: name <: ub`; names starting with `#` are anonymous (`<:Real`)."""

    name: str
    lb: object = BOTTOM
    ub: object = ANY

    def __repr__(self) -> str:
        return self.name

    def __copy__(self) -> "TypeVar":
        return self

    def __deepcopy__(self, memo: dict) -> "TypeVar":
        return self


def _free_vars(t: object, bound: frozenset = frozenset()) -> set[TypeVar]:
    tt = type(t)
    if tt is TypeVar:
        return set() if t in bound else {t}
    if tt is DataType:
        if not t._free:
            return set()
        out: set[TypeVar] = set()
        for p in t.params:
            out |= _free_vars(p, bound)
        return out
    if tt is UnionAll:
        return _free_vars(t.var.lb, bound) | _free_vars(t.var.ub, bound) | \
            _free_vars(t.body, bound | {t.var})
    if tt is UnionType or tt is tuple:
        out = set()
        for m in (t.types if tt is UnionType else t):
            out |= _free_vars(m, bound)
        return out
    if tt is VarargType:
        return _free_vars(t.T, bound) | _free_vars(t.N, bound)
    return set()


def _has_free_vars(t: object) -> bool:
    return t._free if type(t) is DataType else bool(_free_vars(t))


_anon_counter = [0]


def anonymous_typevar(ub: object = ANY, lb: object = BOTTOM) -> TypeVar:
    """The variable behind `Vector{<:Real}`; prints inline as `<:Real`."""
    _anon_counter[0] += 1
    return TypeVar(f"#s{_anon_counter[0]}", lb, ub)


def is_type(x: object) -> bool:
    """Whether `x` is a type object (as opposed to a value used as a type parameter)."""
    return type(x) in _TYPE_CLASSES


_TYPE_CLASSES = (DataType, UnionAll, UnionType, TypeVar)
_COMPOUND = (UnionAll, UnionType, VarargType, tuple)


# ----------------------------------------------------------------------------- builtin hierarchy
BUILTIN_TYPES: dict[str, object] = {"Any": ANY}
_BUILTIN_TYPENAMES: dict[str, TypeName] = {"Any": _ANY_TN}


def _define(name: str, supertype: object, params: tuple[TypeVar, ...] = (), *,
            abstract: bool = False, fields: tuple[str, ...] | None = (),
            fieldtypes: tuple | None = None) -> _PyAny:
    if fieldtypes is None and fields is not None:
        fieldtypes = (ANY,) * len(fields)
    tn = TypeName(name, params, supertype, abstract, None if abstract else fields,
                  None if abstract else fieldtypes, builtin=True)  # type: ignore[arg-type]
    _BUILTIN_TYPENAMES[name] = tn
    BUILTIN_TYPES[name] = tn.wrapper
    return tn.wrapper


def _tv(name: str, ub: object = ANY) -> TypeVar:
    return TypeVar(name, BOTTOM, ub)


Number = _define("Number", ANY, abstract=True)
Real = _define("Real", Number, abstract=True)
AbstractFloat = _define("AbstractFloat", Real, abstract=True)
Integer = _define("Integer", Real, abstract=True)
Signed = _define("Signed", Integer, abstract=True)
Unsigned = _define("Unsigned", Integer, abstract=True)
Float16 = _define("Float16", AbstractFloat)
BFloat16 = _define("BFloat16", AbstractFloat)
Float32 = _define("Float32", AbstractFloat)
Float64 = _define("Float64", AbstractFloat)
Int8 = _define("Int8", Signed)
Int16 = _define("Int16", Signed)
Int32 = _define("Int32", Signed)
Int64 = _define("Int64", Signed)
UInt8 = _define("UInt8", Unsigned)
UInt16 = _define("UInt16", Unsigned)
UInt32 = _define("UInt32", Unsigned)
UInt64 = _define("UInt64", Unsigned)
Bool = _define("Bool", Integer)
BUILTIN_TYPES["Int"] = Int64
BUILTIN_TYPES["UInt"] = UInt64

# Julia's isbits numbers; `kind` drives promotion, `bits` the size rules.
NUMERIC_INFO: dict[DataType, tuple[str, int]] = {
    Bool: ("b", 1), Int8: ("i", 8), Int16: ("i", 16), Int32: ("i", 32), Int64: ("i", 64),
    UInt8: ("u", 8), UInt16: ("u", 16), UInt32: ("u", 32), UInt64: ("u", 64),
    Float16: ("f", 16), BFloat16: ("f", 16), Float32: ("f", 32), Float64: ("f", 64),
}

_T, _N = _tv("T"), _tv("N")
AbstractArray = _define("AbstractArray", ANY, (_T, _N), abstract=True)
_ABSTRACT_ARRAY_TN = _BUILTIN_TYPENAMES["AbstractArray"]
_T, _N = _tv("T"), _tv("N")
Array = _define("Array", DataType(_ABSTRACT_ARRAY_TN, (_T, _N)), (_T, _N), fields=None)
ARRAY_TN = _BUILTIN_TYPENAMES["Array"]
_T = _tv("T")
AbstractRange = _define("AbstractRange", DataType(_ABSTRACT_ARRAY_TN, (_T, 1)), (_T,),
                        abstract=True)
_T = _tv("T", Real)
UnitRangeType = _define("UnitRange", DataType(_BUILTIN_TYPENAMES["AbstractRange"], (_T,)), (_T,),
                        fields=("start", "stop"), fieldtypes=(_T, _T))
_T, _S = _tv("T"), _tv("S")
StepRangeType = _define("StepRange", DataType(_BUILTIN_TYPENAMES["AbstractRange"], (_T,)), (_T, _S),
                        fields=("start", "step", "stop"), fieldtypes=(_T, _S, _T))


def _alias(name: str, tn: TypeName, n: int) -> UnionAll:
    t = _tv("T")
    BUILTIN_TYPES[name] = UnionAll(t, DataType(tn, (t, n)))
    return BUILTIN_TYPES[name]  # type: ignore[return-value]


Vector = _alias("Vector", ARRAY_TN, 1)
Matrix = _alias("Matrix", ARRAY_TN, 2)
AbstractVector = _alias("AbstractVector", _ABSTRACT_ARRAY_TN, 1)
AbstractMatrix = _alias("AbstractMatrix", _ABSTRACT_ARRAY_TN, 2)

TUPLE_TN = TypeName("Tuple", (), ANY, builtin=True)
_TUPLE_TN_HOLDER[0] = TUPLE_TN
_BUILTIN_TYPENAMES["Tuple"] = TUPLE_TN
TupleType = DataType(TUPLE_TN, (VarargType(ANY),))      # `Tuple` == `Tuple{Vararg{Any}}`
object.__setattr__(TUPLE_TN, "wrapper", TupleType)
BUILTIN_TYPES["Tuple"] = TupleType
BUILTIN_TYPES["Vararg"] = VarargType(ANY)
_N, _T = _tv("N"), _tv("T")
_NTUPLE_VARS = (_N, _T)
BUILTIN_TYPES["NTuple"] = UnionAll(_N, UnionAll(_T, DataType(TUPLE_TN, (VarargType(_T, _N),))))
_T = _tv("T", TupleType)
NamedTupleType = _define("NamedTuple", ANY, (_tv("names"), _T), fields=None)
NAMEDTUPLE_TN = _BUILTIN_TYPENAMES["NamedTuple"]

Function = _define("Function", ANY, abstract=True)
AbstractString = _define("AbstractString", ANY, abstract=True)
String = _define("String", AbstractString, fields=None)   # opaque, not a singleton
SymbolType = _define("Symbol", ANY, fields=None)
Nothing = _define("Nothing", ANY)
Colon = _define("Colon", ANY)
_A, _B = _tv("A"), _tv("B")
PairType = _define("Pair", ANY, (_A, _B), fields=("first", "second"), fieldtypes=(_A, _B))

TYPE_TN = TypeName("Type", (_tv("T"),), ANY, abstract=True, builtin=True)
_BUILTIN_TYPENAMES["Type"] = TYPE_TN
TypeType: UnionAll = TYPE_TN.wrapper            # type: ignore[assignment]
BUILTIN_TYPES["Type"] = TypeType
DataTypeType = _define("DataType", ANY, fields=("name", "parameters"))
UnionAllType = _define("UnionAll", ANY, fields=("var", "body"))
UnionMeta = _define("Union", ANY, fields=("a", "b"))   # `Union{A,B}` is built by apply_type
TypeVarType = _define("TypeVar", ANY, fields=("name", "lb", "ub"))
TypeofVararg = _define("TypeofVararg", ANY)
_METATYPES = (DataTypeType.typename, UnionAllType.typename, UnionMeta.typename)

ExceptionType = _define("Exception", ANY, abstract=True)
_MSG_FIELD = {"msg": AbstractString, "var": SymbolType}
for _name, _fields in {
    "ErrorException": ("msg",), "BoundsError": ("a", "i"), "MethodError": ("f", "args"),
    "DimensionMismatch": ("msg",), "ArgumentError": ("msg",), "DomainError": ("val", "msg"),
    "InexactError": ("func", "T", "val"), "DivideError": (), "OverflowError": ("msg",),
    "TypeError": ("func", "context", "expected", "got"), "UndefVarError": ("var",),
    "StackOverflowError": (), "KeyError": ("key",), "AssertionError": ("msg",),
    "InterruptException": (), "ParseError": ("msg",), "CompileError": ("msg",),
}.items():
    _define(_name, ExceptionType, fields=_fields,
            fieldtypes=tuple(_MSG_FIELD.get(f, ANY) for f in _fields))


def function_type(name: str) -> DataType:
    """A fresh singleton type for a generic function (`typeof(sin)`) or closure (`var"#3"`)."""
    shown = f'var"{name}"' if name.startswith("#") else f"typeof({name})"
    return TypeName(shown, (), Function, fieldnames=(), fieldtypes=()).wrapper  # type: ignore


# ----------------------------------------------------------------------------- type constructors
def make_union(*types: object) -> object:
    """`Union{types...}`: flattened, with members that are subtypes of others dropped, sorted."""
    flat: list[object] = []
    for t in types:
        if not is_type(t):
            raise source.TypeError_("in Union, expected Type, got a value of type "
                                    f"{show_type(typeof(t))}")
        for m in (t.types if type(t) is UnionType else (t,)):
            if not any(m is x or m == x for x in flat):
                flat.append(m)
    if len(flat) > 1:
        # Union{Int64, Integer} is Integer (only for members without free variables).
        closed = [not _has_free_vars(m) for m in flat]
        flat = [m for i, m in enumerate(flat) if not (closed[i] and any(
            j != i and closed[j] and issubtype(m, x) for j, x in enumerate(flat)))]
    if not flat:
        return BOTTOM
    if len(flat) == 1:
        return flat[0]
    return UnionType(tuple(sorted(flat, key=_union_order)))


def _union_order(t: object) -> tuple[int, str]:
    # Julia sorts union members: singletons, then isbits types, then other types, by name.
    if type(t) is DataType:
        if t in NUMERIC_INFO:
            return (1, show_type(t))
        if is_concrete(t) and t.typename.fieldnames == () and t.typename is not TUPLE_TN:
            return (0, show_type(t))
        return (2, show_type(t))
    return (3, show_type(t))


def make_tuple_type(params: Iterable[object]) -> DataType:
    """`Tuple{params...}`, expanding a trailing `Vararg{T, n}` with a known length."""
    ps = tuple(params)
    for i, p in enumerate(ps):
        if type(p) is VarargType:
            if i != len(ps) - 1:
                raise source.TypeError_("Vararg on non-final parameter")
            if type(p.N) is int:
                ps = ps[:-1] + (p.T,) * p.N
        elif not is_type(p):
            raise source.TypeError_(f"in Tuple, in parameter, expected Type, got a value of type "
                                    f"{show_type(typeof(p))}")
    return DataType(TUPLE_TN, ps)


def namedtuple_type(names: Iterable[str], types: Iterable[object]) -> DataType:
    """`NamedTuple{(:a, :b), Tuple{A, B}}` from field-name strings."""
    return DataType(NAMEDTUPLE_TN, (tuple(V.Symbol(n) for n in names), make_tuple_type(types)))


def apply_type(base: object, params: Iterable[object]) -> object:
    """`base{params...}`; missing trailing parameters leave a UnionAll, as in Julia."""
    ps = tuple(params)
    if base is UnionMeta:
        return make_union(*ps)
    if type(base) is VarargType:
        if not 1 <= len(ps) <= 2:
            raise source.TypeError_("Vararg takes one or two parameters")
        return VarargType(ps[0], ps[1] if len(ps) == 2 else None)
    if base is TupleType:
        return make_tuple_type(ps)
    t = base
    for p in ps:
        if type(t) is not UnionAll:
            if t is base:
                raise source.TypeError_(f"in Type{{...}} expression, expected UnionAll, got "
                                        f"Type{{{show_type(base)}}}")
            raise source.TypeError_(f"too many parameters for type {_head_name(base)}")
        v = t.var
        if is_type(p) and type(p) is not TypeVar and not _has_free_vars(v.ub) and \
                not (issubtype(p, v.ub) and issubtype(v.lb, p)):
            raise source.TypeError_(f"in {_head_name(base)}, in {v.name}, expected "
                                    f"{_show_var(v)}, got Type{{{show_type(p)}}}")
        if not is_type(p) and not _is_param_value(p):
            raise source.TypeError_(f"in {_head_name(base)}, invalid type parameter of class "
                                    f"{type(p).__name__}")
        if not is_type(p) and v.ub is not ANY and type(v.ub) is not TypeVar:
            raise source.TypeError_(f"in {_head_name(base)}, in {v.name}, expected "
                                    f"{_show_var(v)}, got a value of type {show_type(typeof(p))}")
        t = subst(t.body, {v: p})
    return t


def _is_param_value(p: object) -> bool:
    if isinstance(p, tuple):
        return all(_is_param_value(x) or is_type(x) for x in p)
    return isinstance(p, (int, float, V.Symbol, str))


def _head_name(t: object) -> str:
    while type(t) is UnionAll:
        t = t.body
    return t.typename.name if type(t) is DataType else show_type(t)


def subst(t: object, mapping: dict[TypeVar, object]) -> object:
    """Replace the free TypeVars of `t` per `mapping` (renaming inner vars whose bounds change)."""
    tt = type(t)
    if tt is TypeVar:
        return mapping.get(t, t)
    if tt is DataType:
        if not t.params:
            return t
        ps = tuple([subst(p, mapping) for p in t.params])
        if all(a is b for a, b in zip(ps, t.params)):
            return t
        return make_tuple_type(ps) if t.typename is TUPLE_TN else DataType(t.typename, ps)
    if tt is UnionAll:
        v = t.var
        if v in mapping:        # `where v` binds v again inside: that v is not free here
            mapping = {k: x for k, x in mapping.items() if k is not v}
            if not mapping:
                return t
        lb, ub = subst(v.lb, mapping), subst(v.ub, mapping)
        if lb is not v.lb or ub is not v.ub:
            nv = TypeVar(v.name, lb, ub)
            return UnionAll(nv, subst(t.body, {**mapping, v: nv}))
        body = subst(t.body, mapping)
        return t if body is t.body else UnionAll(v, body)
    if tt is UnionType:
        return make_union(*[subst(m, mapping) for m in t.types]) if t.types else t
    if tt is VarargType:
        return VarargType(subst(t.T, mapping), subst(t.N, mapping))
    if tt is tuple:
        return tuple(subst(x, mapping) for x in t)
    return t


def rewrap(body: object, vars: Iterable[TypeVar]) -> object:
    """`body where {vars...}` (outermost first)."""
    for v in reversed(tuple(vars)):
        body = UnionAll(v, body)
    return body


def unwrap(t: object) -> tuple[object, tuple[TypeVar, ...]]:
    """Split `body where {vars...}` into the body and the vars, outermost first."""
    vs: list[TypeVar] = []
    while type(t) is UnionAll:
        vs.append(t.var)
        t = t.body
    return t, tuple(vs)


# ----------------------------------------------------------------------------- user types
def _check_supertype(name: str, supertype: object | None) -> DataType:
    if supertype is None:
        return ANY
    if type(supertype) is not DataType:
        raise source.ErrorException(f"invalid subtyping in definition of {name}: "
                                    "can only subtype data types.")
    if not supertype.typename.abstract or supertype.typename in (TYPE_TN,):
        raise source.ErrorException(f"invalid subtyping in definition of {name}: "
                                    "can only subtype abstract types.")
    return supertype


def _as_typevars(params: Iterable[TypeVar | str]) -> tuple[TypeVar, ...]:
    return tuple(p if type(p) is TypeVar else TypeVar(str(p)) for p in params)


def new_abstract_type(name: str, params: Iterable[TypeVar | str], supertype: object | None,
                      span: source.Span | None = None) -> object:
    """`abstract type Name{params} <: supertype end`; returns the DataType or its UnionAll."""
    tn = TypeName(name, _as_typevars(params), _check_supertype(name, supertype), abstract=True,
                  span=span)
    return tn.wrapper


def new_struct_type(name: str, params: Iterable[TypeVar | str], supertype: object | None,
                    fieldnames: Iterable[str], fieldtypes: Iterable[object | None],
                    span: source.Span | None = None, mutable: bool = False) -> object:
    """`struct Name{params} <: supertype; fields... end`; untyped fields (None) become Any."""
    fns = tuple(fieldnames)
    fts = tuple(ANY if t is None else t for t in fieldtypes)
    if len(fts) != len(fns):
        raise ValueError("fieldnames and fieldtypes differ in length")
    tn = TypeName(name, _as_typevars(params), _check_supertype(name, supertype), False, fns, fts,
                  span, mutable)
    return tn.wrapper


_FIELDTYPES: dict[DataType, tuple[object, ...]] = {}


def struct_fieldtypes(dt: DataType) -> tuple[object, ...]:
    """The field types of a struct (or NamedTuple) instance type, parameters substituted."""
    got = _FIELDTYPES.get(dt)
    if got is None:
        tn = dt.typename
        if tn is NAMEDTUPLE_TN:
            got = dt.params[1].params if type(dt.params[1]) is DataType else ()
        elif tn is TUPLE_TN:
            got = dt.params
        else:
            mapping = dict(zip(tn.params, dt.params))
            got = tuple(subst(t, mapping) for t in (tn.fieldtypes or ()))
        if not dt._free:
            _FIELDTYPES[dt] = got
    return got


def struct_fieldnames(dt: DataType) -> tuple[str, ...]:
    """Field names of a struct or NamedTuple type (empty for types without fields)."""
    if dt.typename is NAMEDTUPLE_TN:
        return tuple(s.name for s in dt.params[0])
    return dt.typename.fieldnames or ()


# ----------------------------------------------------------------------------- concreteness, supertypes
_CONCRETE: dict[DataType, bool] = {}


def is_concrete(t: object) -> bool:
    """Julia's `isconcretetype`: a non-abstract DataType without free variables."""
    if type(t) is not DataType or t._free:
        return False
    got = _CONCRETE.get(t)
    if got is None:
        tn = t.typename
        if tn.abstract:
            got = False
        elif tn is TUPLE_TN:
            got = all(is_concrete(p) for p in t.params)
        elif tn is NAMEDTUPLE_TN:
            got = is_concrete(t.params[1])
        else:
            got = not _free_vars(t)
        _CONCRETE[t] = got
    return got


def supertype(t: DataType) -> DataType | None:
    """The declared supertype of a DataType with its parameters substituted (None for Any)."""
    s = t._super
    if s is _UNSET:
        tn = t.typename
        if tn is TYPE_TN:
            p = t.params[0]
            s = DataTypeType if type(p) is DataType else UnionAllType if type(p) is UnionAll else \
                UnionMeta if type(p) is UnionType else ANY
        elif tn.supertype is None or not tn.params:
            s = tn.supertype
        else:
            s = subst(tn.supertype, dict(zip(tn.params, t.params)))
        object.__setattr__(t, "_super", s)
    return s  # type: ignore[return-value]


# ----------------------------------------------------------------------------- interpreter helpers
Any = ANY
Bottom = BOTTOM
TYPE_VALUE_CLASSES = (DataType, UnionAll, UnionType)   # Python classes of Arr type values
tuple_type = make_tuple_type


def vararg(t: object, n: object = None) -> VarargType:
    """`Vararg{t}` / `Vararg{t, n}`, the last parameter of a vararg signature."""
    return VarargType(t, n)


def type_of_type(t: object) -> DataType:
    """`Type{t}`: the argument type a type value `t` dispatches as (same as `typeof(t)`)."""
    return _typeof_type(t)


def fieldnames(t: object) -> tuple[str, ...]:
    """Field names of a struct or NamedTuple type (its UnionAll too); () for other types."""
    t, _ = unwrap(t)
    return struct_fieldnames(t) if type(t) is DataType else ()


def ctor_key(t: object) -> object:
    """What a type's constructor table is keyed by: its TypeName, so `Duo`, `Duo{Float64}` and
    `Vector{Int64}` (Array) share one; a Union is its own key."""
    body, _ = unwrap(t)
    return body.typename if type(body) is DataType else body


def prepend_type_arg(sig: object, t: object) -> object:
    """`Tuple{t, params...}` keeping `sig`'s where-variables (for constructor methods)."""
    body, vs = unwrap(sig)
    return rewrap(make_tuple_type((t,) + body.params), vs)  # type: ignore[attr-defined]


def make_exception(kind: str, message: str) -> V.StructValue:
    """The Arr exception value for a runtime error: `msg` fields get the message, other fields
    `nothing` (UndefVarError's `var` is recovered from "`x` not defined")."""
    t = BUILTIN_TYPES.get(kind)
    if type(t) is not DataType or not issubtype(t, ExceptionType):
        t = BUILTIN_TYPES["ErrorException"]
    fields: list[object] = []
    for name in t.typename.fieldnames or ():  # type: ignore[union-attr]
        if name == "msg":
            fields.append(message)
        elif name == "var" and message.startswith("`") and "`" in message[1:]:
            fields.append(V.Symbol(message[1:message.index("`", 1)]))
        else:
            fields.append(None)
    return V.StructValue(t, tuple(fields))


# ----------------------------------------------------------------------------- re-exports
# The engines import the type objects above, so they are imported last.
from .typeshow import _count_occurrences, _show_var, show_type  # noqa: E402
from .subtype import issubtype, match_signature, type_equal  # noqa: E402
from .promotion import promote_type, typejoin  # noqa: E402
from .typeof import (  # noqa: E402
    _typeof_type, eltype_from_dtype, isa, numpy_dtype, register_typeof, typeof, user_typeof,
)
