"""Intrinsics on types, tuples, named tuples, structs and exceptions.

None of these is differentiable (derivative "none") except the structural ones that move
values around (`getfield`, `tuple_getindex`, `struct_new`, ...), whose derivative rules
route the cotangent back to the right slot.

Shape rules.  Type queries fold to constants whenever the argument *types* decide them:
a type argument is known from its abstract type alone (`Float64` abstracts to
`Type{Float64}` even without its constant), and `typeof`/`isa` on a value of concrete
type are decided by that type.  Tuples, named tuples and structs keep what is known of each
element in `AbstractValue.parts`; without it the element types come from the tuple or
struct type.  `known`, `fold` and `abstract_of_type` below are shared with the sibling
families split out of this module: `strings.py` (strings, symbols, I/O, time),
`ranges.py` and `random_numbers.py`.
"""
from __future__ import annotations

from functools import reduce
from typing import Any

import numpy as np

from . import primitive, shape_rule
from .. import lattice as L
from .. import source
from .. import types
from ..lattice import NO_CONST, AbstractValue
from ..values import NamedTupleValue, StepRange, StructValue, Symbol, UnitRange
from .scalar import arr_repr, exception_value, type_name


# ---------------------------------------------------------------- abstract values
# Types whose values are themselves types: `typeof` of such a value is not this type
# (typeof(Float64) is Type{Float64}, not DataType), so they are kept out of the shortcuts
# that rely on "a value of concrete type T has typeof T".
KINDS = (types.DataTypeType, types.UnionAllType, types.UnionMeta, types.TypeVarType,
         types.TypeofVararg)


def known(a: AbstractValue) -> Any:
    """The value `a` stands for when it is decided: its constant, the type P of `Type{P}`,
    `nothing` for Nothing; `NO_CONST` otherwise."""
    if a.is_const:
        return a.const
    t = a.type
    if type(t) is types.DataType:
        if t.typename is types.TYPE_TN and not t._free:
            return t.params[0]
        if t is types.Nothing:
            return None
    return NO_CONST


def type_value(a: AbstractValue) -> Any | None:
    """The type an argument is known to be (None when unknown or not a type)."""
    v = known(a)
    return v if v is not NO_CONST and types.is_type(v) else None


def fold(impl: Any, *args: AbstractValue) -> AbstractValue | None:
    """The abstraction of the reference evaluation on the arguments' known values, or None
    when one is unknown.  An Arr error it raises is the call's error.  Only for pure, cheap
    intrinsics; an AbstractValue is always truthy, so `fold(...) or fallback` reads well."""
    vals = [known(a) for a in args]
    if any(v is NO_CONST for v in vals):
        return None
    result = impl(*vals)
    # NaN is not == itself, so the lattice cannot match a NaN constant with the value
    return L.of_value(result, keep_const=not _has_nan(result))


def _has_nan(v: Any) -> bool:
    if isinstance(v, (float, np.floating)):
        return bool(np.isnan(v))
    if isinstance(v, (tuple, NamedTupleValue)):
        return any(_has_nan(x) for x in (v.values if isinstance(v, NamedTupleValue) else v))
    return False


def may_hold_array(t: Any) -> bool:
    """Whether a value of type t may be an array (whose abstraction then needs a shape)."""
    if type(t) is types.UnionType:
        return any(may_hold_array(m) for m in t.types)
    if type(t) is types.TypeVar:
        return may_hold_array(t.ub)
    return t is types.ANY or types.issubtype(t, types.AbstractArray)


def may_hold_type(t: Any) -> bool:
    """Whether a value of type t may itself be a type."""
    t, _ = types.unwrap(t)
    if type(t) is types.UnionType:
        return any(may_hold_type(m) for m in t.types)
    if type(t) is not types.DataType:
        return True
    return t is types.ANY or t.typename is types.TYPE_TN or t in KINDS


def abstract_of_type(t: Any) -> AbstractValue:
    """What a value is known to be from its type alone (a field or tuple element type)."""
    v = known(AbstractValue(t))
    if v is not NO_CONST:
        return L.of_value(v)
    return AbstractValue(t, None if may_hold_array(t) else ())


def is_int_type(t: Any) -> bool:
    """Integer types other than Bool: what `as_int` accepts."""
    return t is not types.Bool and types.issubtype(t, types.Integer)


def never_int(t: Any) -> bool:
    """A value of type t is certainly not an integer `as_int` accepts."""
    return types.is_concrete(t) and not is_int_type(t)


def bool_value(answer: bool | None) -> AbstractValue:
    """A Bool result: the constant when decided."""
    return L.scalar(types.Bool) if answer is None else L.of_value(answer)


BOTTOM = AbstractValue(types.Bottom)        # a call that never returns
TYPE = AbstractValue(types.TypeType, ())    # some type


# ---------------------------------------------------------------- types
@primitive("typeof", 1, derivative="none")
def typeof(x: Any) -> Any:
    """`typeof(x)`: the concrete type of a value (`DataType` for a type)."""
    return types.user_typeof(x)


@shape_rule("typeof")
def typeof_shape(x: AbstractValue) -> AbstractValue:
    v = known(x)
    if v is not NO_CONST:
        return L.of_value(typeof(v))
    if types.is_concrete(x.type):       # the kinds included: a DataType's typeof is DataType
        return L.of_value(x.type)
    if may_hold_type(x.type):
        return TYPE
    s = types.TypeVar("S", types.Bottom, x.type)
    return AbstractValue(types.UnionAll(s, types.DataType(types.TYPE_TN, (s,))), ())


@primitive("isa", 2, derivative="none")
def isa(x: Any, T: Any) -> bool:
    """`x isa T`."""
    return bool(types.isa(x, T))


def decide_isa(xt: Any, tv: Any) -> bool | None:
    """Whether every value of type xt is a `tv` (True), none is (False), or it depends."""
    if types.issubtype(xt, tv):
        return True
    v = known(AbstractValue(xt))
    if v is not NO_CONST:               # Type{P} and Nothing have one value
        return bool(types.isa(v, tv))
    if type(tv) is types.UnionType:
        answers = [decide_isa(xt, m) for m in tv.types]
        return False if all(a is False for a in answers) else None
    if types.is_concrete(xt) and xt not in KINDS:
        return False                    # every value's typeof is xt itself
    if types.is_concrete(tv) and tv not in KINDS and not types.issubtype(tv, xt):
        return False                    # a value of type tv would need tv <: xt
    if type(xt) is types.DataType and type(tv) is types.DataType and \
            not xt.params and not tv.params and xt is not types.ANY and not types.issubtype(tv, xt):
        return False                    # unrelated branches of the nominal hierarchy
    return None


@shape_rule("isa")
def isa_shape(x: AbstractValue, t: AbstractValue) -> AbstractValue:
    tv = type_value(t)
    if tv is None:
        return L.scalar(types.Bool)
    v = known(x)
    if v is not NO_CONST:
        return L.of_value(isa(v, tv))
    return bool_value(decide_isa(x.type, tv))


@primitive("issubtype", 2, derivative="none")
def issubtype(A: Any, B: Any) -> bool:
    """`A <: B`."""
    return bool(types.issubtype(A, B))


@shape_rule("issubtype")
def issubtype_shape(a: AbstractValue, b: AbstractValue) -> AbstractValue:
    return fold(issubtype, a, b) or L.scalar(types.Bool)


@primitive("promote_type", 2, derivative="none")
def promote_type(A: Any, B: Any) -> Any:
    """`promote_type(A, B)`: Julia's promotion of two types."""
    return types.promote_type(A, B)


@shape_rule("promote_type")
def promote_type_shape(a: AbstractValue, b: AbstractValue) -> AbstractValue:
    return fold(promote_type, a, b) or TYPE


@primitive("typejoin", 2, derivative="none")
def typejoin(A: Any, B: Any) -> Any:
    """`typejoin(A, B)`: the nearest common supertype."""
    return types.typejoin(A, B)


@shape_rule("typejoin")
def typejoin_shape(a: AbstractValue, b: AbstractValue) -> AbstractValue:
    return fold(typejoin, a, b) or TYPE


@primitive("apply_type", None, derivative="none")
def apply_type(T: Any, *params: Any) -> Any:
    """`T{P1, P2, ...}`."""
    return types.apply_type(T, params)


@shape_rule("apply_type")
def apply_type_shape(base: AbstractValue, *params: AbstractValue) -> AbstractValue:
    return fold(apply_type, base, *params) or TYPE


@primitive("type_parameter", 2, derivative="none")
def type_parameter(T: Any, i: int) -> Any:
    """The i-th parameter of a parametric type (`Array{Float32,2}` -> 1: Float32, 2: 2)."""
    params = tuple(getattr(T, "params", ()) or ())
    if not 1 <= i <= len(params):
        raise source.BoundsError(f"attempt to access the parameters of {type_name(T)} at index [{i}]")
    return params[i - 1]


@shape_rule("type_parameter")
def type_parameter_shape(t: AbstractValue, i: AbstractValue) -> AbstractValue:
    # a parameter is a type, an integer, a tuple of Symbols ...: never an array
    return fold(type_parameter, t, i) or AbstractValue(types.ANY, ())


def struct_field_names(T: Any) -> tuple[str, ...]:
    """The field names of a struct or NamedTuple type (as strings)."""
    if type(T) is not types.DataType:
        T = types.unwrap(T)[0]
    return tuple(types.struct_fieldnames(T)) if type(T) is types.DataType else ()


def _value_field_names(x: Any) -> tuple[str, ...]:
    if isinstance(x, StructValue):
        return struct_field_names(x.type)
    if isinstance(x, NamedTupleValue):
        return x.names
    if isinstance(x, UnitRange):
        return ("start", "stop")
    if isinstance(x, StepRange):
        return ("start", "step", "stop")
    if isinstance(x, tuple):
        return tuple(str(i + 1) for i in range(len(x)))
    return ()


def _value_fields(x: Any) -> tuple[Any, ...]:
    if isinstance(x, StructValue):
        return x.fields
    if isinstance(x, NamedTupleValue):
        return x.values
    if isinstance(x, UnitRange):
        return (x.start, x.stop)
    if isinstance(x, StepRange):
        return (x.start, x.step, x.stop)
    if isinstance(x, tuple):
        return x
    return ()


def _holds_types_only(t: Any) -> bool:
    """A value of type t is a type (and so has no fields)."""
    return t in KINDS or (type(t) is types.DataType and t.typename is types.TYPE_TN)


def _field_names_of_type(t: Any) -> tuple[str, ...] | None:
    """The field names (`_value_field_names`) of every value of type t; None if they vary."""
    if _holds_types_only(t):
        return ()
    if not types.is_concrete(t) or t in KINDS:
        return None
    if t.typename is types.TUPLE_TN:
        return tuple(str(i + 1) for i in range(len(t.params)))
    return tuple(types.struct_fieldnames(t))


def _fields_of(x: AbstractValue) -> tuple[AbstractValue, ...] | None:
    """What is known of each field of x (`_value_fields`), or None if the fields vary."""
    if x.parts is not None:
        return x.parts
    v = known(x)
    if v is not NO_CONST:
        return tuple(L.of_value(f) for f in _value_fields(v))
    if _holds_types_only(x.type):
        return ()
    if not types.is_concrete(x.type) or x.type in KINDS:
        return None
    return tuple(abstract_of_type(t) for t in types.struct_fieldtypes(x.type))


@primitive("fieldnames", 1, derivative="none")
def fieldnames(T: Any) -> tuple:
    """`fieldnames(T)`: a tuple of Symbols (T a struct or NamedTuple type, or a value)."""
    if not types.is_type(T):
        return tuple(Symbol(n) for n in _value_field_names(T))
    return tuple(Symbol(n) for n in struct_field_names(T))


SYMBOLS = types.make_tuple_type((types.VarargType(types.SymbolType),))   # Tuple{Vararg{Symbol}}


@shape_rule("fieldnames")
def fieldnames_shape(x: AbstractValue) -> AbstractValue:
    folded = fold(fieldnames, x)
    if folded is not None:
        return folded
    names = None if may_hold_type(x.type) else _field_names_of_type(x.type)
    if names is None:
        return AbstractValue(SYMBOLS, ())
    return L.of_value(tuple(Symbol(n) for n in names))


@primitive("nfields", 1, derivative="none")
def nfields(x: Any) -> int:
    """`nfields(x)`: the number of fields of a struct, NamedTuple or tuple value."""
    return len(_value_fields(x))


@shape_rule("nfields")
def nfields_shape(x: AbstractValue) -> AbstractValue:
    fields = _fields_of(x)
    return L.scalar(types.Int64) if fields is None else L.of_value(len(fields))


def _summary_of_type(t: Any) -> str | None:
    """`summary(x)` for every x of type t, when the type decides it (not for arrays,
    ranges and strings, whose summaries give their length)."""
    if not types.is_concrete(t) or may_hold_array(t) or t is types.String or t in KINDS:
        return None
    return _type_str(t)


def _index_error(x: AbstractValue, idx: tuple) -> source.ArrError | None:
    """The BoundsError of indexing x with the constant indices idx, when its message is
    decided: always for a constant x, else when x's type decides its summary."""
    v = known(x)
    if v is not NO_CONST:
        return bounds_error(v, idx)
    what = _summary_of_type(x.type)
    if what is None:
        return None
    return source.BoundsError(f"attempt to access {what} at index "
                              f"[{', '.join(index_repr(i) for i in idx)}]")


@primitive("getfield", 2, derivative="getfield")
def getfield(x: Any, f: Any) -> Any:
    """`getfield(x, i)` by 1-based index or `getfield(x, :name)` by name."""
    fields = _value_fields(x)
    if isinstance(f, bool) or not isinstance(f, (int, np.integer, Symbol, str)):
        raise source.TypeError_(f"in getfield, expected Union{{Int64, Symbol}}, got a value of "
                                f"type {types.typeof(f)}")
    if isinstance(f, (int, np.integer)):
        i = int(f)
        if not 1 <= i <= len(fields):
            raise bounds_error(x, (i,))
        return fields[i - 1]
    name = f.name if isinstance(f, Symbol) else f
    names = _value_field_names(x)
    if name not in names:
        if isinstance(x, NamedTupleValue):
            raise source.ErrorException(f"type NamedTuple has no field {name}")
        raise source.ErrorException(f"type {type_name(types.typeof(x))} has no field {name}")
    return fields[names.index(name)]


@shape_rule("getfield")
def getfield_shape(x: AbstractValue, f: AbstractValue) -> AbstractValue:
    key = known(f)
    ft = f.type if key is NO_CONST else types.typeof(key)
    if types.is_concrete(ft) and not (is_int_type(ft) or ft in (types.SymbolType, types.String)) \
            or key is not NO_CONST and not isinstance(key, (int, np.integer, Symbol, str)):
        raise source.TypeError_(f"in getfield, expected Union{{Int64, Symbol}}, got a value of "
                                f"type {ft}")
    fields = _fields_of(x)
    if fields is None:
        return AbstractValue(types.ANY)
    if key is NO_CONST:
        return reduce(L.join, fields) if fields else BOTTOM
    if isinstance(key, (int, np.integer)):
        i = int(key)
        if 1 <= i <= len(fields):
            return fields[i - 1]
        error = _index_error(x, (i,))
        if error is None:
            return BOTTOM
        raise error
    name = key.name if isinstance(key, Symbol) else key
    v = known(x)
    names = _value_field_names(v) if v is not NO_CONST else _field_names_of_type(x.type)
    if names is None:
        return reduce(L.join, fields) if fields else BOTTOM
    if name in names:
        return fields[names.index(name)]
    if x.type is not types.ANY and types.issubtype(x.type, types.NamedTupleType):
        raise source.ErrorException(f"type NamedTuple has no field {name}")
    raise source.ErrorException(f"type {type_name(x.type)} has no field {name}")


@primitive("struct_new", 2, derivative="struct_new")
def struct_new(T: Any, fields: tuple) -> StructValue:
    """A struct of concrete type T from a tuple of field values, without running
    constructors (used to rebuild a struct with new fields: optimisers, AD)."""
    n = len(struct_field_names(T))
    if len(fields) != n:
        raise source.ArgumentError(f"struct {type_name(T)} has {n} fields, got {len(fields)}")
    return StructValue(T, tuple(fields))


@shape_rule("struct_new")
def struct_new_shape(t: AbstractValue, fields: AbstractValue) -> AbstractValue:
    # never a constant: struct values compare by identity, so a folded one would not be
    # the value the call makes
    tv = type_value(t)
    if tv is None:
        return AbstractValue(types.ANY)
    n = len(struct_field_names(tv))
    elements = tuple_elements(fields)
    parts = None
    if elements is not None and elements[1] is None:
        if len(elements[0]) != n:
            raise source.ArgumentError(f"struct {type_name(tv)} has {n} fields, got "
                                       f"{len(elements[0])}")
        parts = elements[0]
    return AbstractValue(tv, (), NO_CONST, parts)


@primitive("isnothing", 1, derivative="none")
def isnothing(x: Any) -> bool:
    """`x === nothing`."""
    return x is None


@shape_rule("isnothing")
def isnothing_shape(x: AbstractValue) -> AbstractValue:
    v = known(x)
    if v is not NO_CONST:
        return L.of_value(v is None)
    return bool_value(decide_isa(x.type, types.Nothing))


def egal(a: Any, b: Any) -> bool:
    """Julia's `===` on Arr values: same type and same contents (arrays are values)."""
    if a is b:
        return True
    ta, tb = type(a), type(b)
    if ta is not tb:
        return False
    if ta is float:
        return (a == b and np.signbit(a) == np.signbit(b)) or (a != a and b != b)
    if ta in (int, bool, str):
        return a == b
    if isinstance(a, np.generic):
        return a.dtype == b.dtype and a.tobytes() == b.tobytes()
    if isinstance(a, np.ndarray):
        if a.dtype != b.dtype or a.shape != b.shape:
            return False
        if a.dtype == object:
            return all(egal(x, y) for x, y in zip(a.reshape(-1), b.reshape(-1)))
        return a.tobytes() == b.tobytes()
    if ta is tuple:
        return len(a) == len(b) and all(egal(x, y) for x, y in zip(a, b))
    if ta is NamedTupleValue:
        return a.names == b.names and egal(a.values, b.values)
    if ta is StructValue:
        return a.type == b.type and egal(a.fields, b.fields)
    if ta in (UnitRange, StepRange):
        return egal(_value_fields(a), _value_fields(b))
    return a == b


@primitive("egal", 2, derivative="none")
def egal_prim(a: Any, b: Any) -> bool:
    """`a === b`: identical type and contents."""
    return egal(a, b)


@shape_rule("egal")
def egal_shape(a: AbstractValue, b: AbstractValue) -> AbstractValue:
    folded = fold(egal, a, b)
    if folded is not None:
        return folded
    # identical values have the same type: types that share no value decide `false`
    if types.is_concrete(a.type) and decide_isa(b.type, a.type) is False or \
            types.is_concrete(b.type) and decide_isa(a.type, b.type) is False:
        return L.of_value(False)
    return L.scalar(types.Bool)


# ---------------------------------------------------------------- tuples and named tuples
# The elements of an abstract tuple: the leading ones, and a trailing Vararg's (or None).
Elements = tuple[tuple[AbstractValue, ...], AbstractValue | None]


def tuple_elements(t: AbstractValue) -> Elements | None:
    """What is known of the elements of a tuple (or NamedTuple): the leading ones, and the
    element of a trailing `Vararg` (None if the length is fixed).  None: not a known tuple."""
    if t.parts is not None:
        return t.parts, None
    tt = t.type
    if type(tt) is types.DataType and tt.typename is types.NAMEDTUPLE_TN:
        tt = tt.params[1]
    if type(tt) is not types.DataType or tt.typename is not types.TUPLE_TN:
        return None
    params = tt.params
    rest = None
    if params and type(params[-1]) is types.VarargType:
        rest = abstract_of_type(params[-1].T)
        params = params[:-1]
    return tuple(abstract_of_type(p) for p in params), rest


def tuple_value(fixed: tuple[AbstractValue, ...],
                rest: AbstractValue | None = None) -> AbstractValue:
    """The abstract tuple of the given elements (a trailing Vararg of `rest`)."""
    if rest is not None:
        return AbstractValue(types.make_tuple_type(
            [p.type for p in fixed] + [types.VarargType(rest.type)]), ())
    if all(p.is_const for p in fixed):
        return L.of_value(tuple(p.const for p in fixed))
    return AbstractValue(types.make_tuple_type(p.type for p in fixed), (), NO_CONST, fixed)


def _element_join(fixed: tuple[AbstractValue, ...], rest: AbstractValue | None) -> Any:
    """The typejoin of all element types (Bottom for the empty tuple)."""
    return reduce(types.typejoin, [p.type for p in fixed] + ([rest.type] if rest else []),
                  types.Bottom)


@primitive("tuple_getindex", 2, derivative="tuple_getindex")
def tuple_getindex(t: Any, i: Any) -> Any:
    """`t[i]` for a tuple (or NamedTuple), 1-based, with BoundsError."""
    vals = t.values if isinstance(t, NamedTupleValue) else t
    if isinstance(i, bool) or not isinstance(i, (int, np.integer)):
        raise source.ArgumentError(f"invalid tuple index {arr_repr(i)}")
    i = int(i)
    if not 1 <= i <= len(vals):
        raise bounds_error(t, (i,))
    return vals[i - 1]


@shape_rule("tuple_getindex")
def tuple_getindex_shape(t: AbstractValue, i: AbstractValue) -> AbstractValue:
    key = known(i)
    if key is not NO_CONST and (isinstance(key, bool) or not isinstance(key, (int, np.integer))):
        raise source.ArgumentError(f"invalid tuple index {arr_repr(key)}")
    if never_int(i.type):
        return BOTTOM                   # ArgumentError, whose message needs i's value
    elements = tuple_elements(t)
    if elements is None:
        return AbstractValue(types.ANY)
    fixed, rest = elements
    if key is NO_CONST:
        candidates = fixed + ((rest,) if rest is not None else ())
        return reduce(L.join, candidates) if candidates else BOTTOM
    k = int(key)
    if 1 <= k <= len(fixed):
        return fixed[k - 1]
    if k > len(fixed) and rest is not None:
        return rest
    error = _index_error(t, (k,))
    if error is None:
        return BOTTOM
    raise error


@primitive("tuple_length", 1, derivative="none")
def tuple_length(t: Any) -> int:
    """`length(t)` of a tuple or NamedTuple."""
    return len(t.values if isinstance(t, NamedTupleValue) else t)


@shape_rule("tuple_length")
def tuple_length_shape(t: AbstractValue) -> AbstractValue:
    elements = tuple_elements(t)
    if elements is None or elements[1] is not None:
        return L.scalar(types.Int64)
    return L.of_value(len(elements[0]))


@primitive("tuple_concat", 2, derivative="tuple_concat")
def tuple_concat(a: tuple, b: tuple) -> tuple:
    """`(a..., b...)`."""
    return tuple(a) + tuple(b)


@shape_rule("tuple_concat")
def tuple_concat_shape(a: AbstractValue, b: AbstractValue) -> AbstractValue:
    ea, eb = tuple_elements(a), tuple_elements(b)
    if ea is None or eb is None:
        return AbstractValue(types.TupleType, ())
    if ea[1] is not None:               # a's length is unknown: b's elements lose their place
        joined = types.typejoin(_element_join(*ea), _element_join(*eb))
        return tuple_value(ea[0], abstract_of_type(joined))
    return tuple_value(ea[0] + eb[0], eb[1])


@primitive("tuple_slice", 3, derivative="tuple_slice")
def tuple_slice(t: tuple, lo: int, hi: int) -> tuple:
    """`t[lo:hi]` of a tuple (1-based, inclusive; empty when hi < lo)."""
    if hi >= lo and (lo < 1 or hi > len(t)):
        raise bounds_error(t, (UnitRange(lo, hi),))
    return tuple(t[lo - 1:hi]) if hi >= lo else ()


@shape_rule("tuple_slice")
def tuple_slice_shape(t: AbstractValue, lo: AbstractValue, hi: AbstractValue) -> AbstractValue:
    elements = tuple_elements(t)
    if elements is None:
        return AbstractValue(types.TupleType, ())
    fixed, rest = elements
    a, b = known(lo), known(hi)
    if isinstance(a, (int, np.integer)) and isinstance(b, (int, np.integer)):
        a, b = int(a), int(b)
        if b < a:
            return L.of_value(())
        if a >= 1 and b <= len(fixed):
            return tuple_value(fixed[a - 1:b])
        if a < 1 or rest is None:
            error = _index_error(t, (UnitRange(a, b),))
            if error is None:
                return BOTTOM
            raise error
    if not fixed and rest is None:
        return L.of_value(())
    return AbstractValue(types.make_tuple_type(
        [types.VarargType(_element_join(fixed, rest))]), ())


@primitive("namedtuple_new", 2, derivative="namedtuple_new")
def namedtuple_new(names: tuple, vals: tuple) -> NamedTupleValue:
    """`NamedTuple{names}(vals)`: names a tuple of Symbols."""
    if len(names) != len(vals):
        raise source.ArgumentError("NamedTuple names and values must have matching lengths")
    return NamedTupleValue(tuple(n.name if isinstance(n, Symbol) else str(n) for n in names),
                           tuple(vals))


@shape_rule("namedtuple_new")
def namedtuple_new_shape(names: AbstractValue, vals: AbstractValue) -> AbstractValue:
    folded = fold(namedtuple_new, names, vals)
    if folded is not None:
        return folded
    keys = known(names)
    elements = tuple_elements(vals)
    if not isinstance(keys, tuple) or elements is None:
        return AbstractValue(types.NamedTupleType, ())
    fixed, rest = elements
    if (rest is None and len(fixed) != len(keys)) or len(fixed) > len(keys):
        raise source.ArgumentError("NamedTuple names and values must have matching lengths")
    labels = [n.name if isinstance(n, Symbol) else str(n) for n in keys]
    if rest is not None:
        fixed = fixed + (rest,) * (len(keys) - len(fixed))
    return AbstractValue(types.namedtuple_type(labels, [p.type for p in fixed]), (), NO_CONST,
                         fixed if rest is None else None)


@primitive("namedtuple_names", 1, derivative="none")
def namedtuple_names(nt: NamedTupleValue) -> tuple:
    """`keys(nt)`: the names of a NamedTuple as a tuple of Symbols."""
    return tuple(Symbol(n) for n in nt.names)


@shape_rule("namedtuple_names")
def namedtuple_names_shape(nt: AbstractValue) -> AbstractValue:
    t = nt.type
    if type(t) is types.DataType and t.typename is types.NAMEDTUPLE_TN and \
            isinstance(t.params[0], tuple):
        return L.of_value(tuple(t.params[0]))
    return AbstractValue(SYMBOLS, ())


@primitive("namedtuple_values", 1, derivative="namedtuple_values")
def namedtuple_values(nt: NamedTupleValue) -> tuple:
    """`values(nt)`: the values of a NamedTuple as a tuple."""
    return tuple(nt.values)


@shape_rule("namedtuple_values")
def namedtuple_values_shape(nt: AbstractValue) -> AbstractValue:
    elements = tuple_elements(nt)
    if elements is None:
        return AbstractValue(types.TupleType, ())
    return tuple_value(*elements)


# ---------------------------------------------------------------- exceptions
def summary(x: Any) -> str:
    """Julia's `summary`: `3-element Vector{Float64}`, `2×3 Matrix{Int64}`, ..."""
    if isinstance(x, np.ndarray):
        T = types.typeof(x)
        shape = x.shape
        if len(shape) == 1:
            return f"{shape[0]}-element {_type_str(T)}"
        return f"{'×'.join(str(d) for d in shape)} {_type_str(T)}"
    if isinstance(x, (UnitRange, StepRange)):
        return f"{len(x)}-element {_type_str(types.typeof(x))}"
    if isinstance(x, str):
        return f"{len(x.encode('utf-8'))}-codeunit String"
    return _type_str(types.typeof(x))


def _type_str(T: Any) -> str:
    s = str(T)
    # Julia prints Array{Float64, 3} with a space after the comma
    if s.startswith("Array{") and ", " not in s:
        s = s.replace(",", ", ")
    return s


def index_repr(i: Any) -> str:
    """An index as Julia prints it in a BoundsError (`3`, `1:5`, `[1, 2]`, `:`)."""
    if type(i) is slice or (isinstance(i, StructValue) and type_name(i.type) == "Colon"):
        return ":"
    if isinstance(i, tuple):
        return ", ".join(index_repr(j) for j in i)
    try:
        return arr_repr(i)
    except Exception:
        return str(i)


def bounds_error(x: Any, idx: tuple) -> source.ArrError:
    """Julia's BoundsError for indexing x with the indices idx."""
    return source.BoundsError(f"attempt to access {summary(x)} at index "
                              f"[{', '.join(index_repr(i) for i in idx)}]",
                              value=exception_value("BoundsError", x, idx))


def exception_message(e: Any) -> str:
    """The text Julia's `showerror` prints after `TypeName: ` for an exception value."""
    if not isinstance(e, StructValue):
        return arr_repr(e)
    tname = type_name(e.type)
    names = struct_field_names(e.type)
    fields = dict(zip(names, e.fields))
    if tname == "BoundsError":
        if "a" in fields and fields["a"] is not None:
            idx = fields.get("i")
            if idx is None:
                return f"attempt to access {summary(fields['a'])}"
            inner = index_repr(idx) if isinstance(idx, tuple) else index_repr(idx)
            return f"attempt to access {summary(fields['a'])} at index [{inner}]"
        return ""
    if tname == "DomainError":
        val = arr_repr(fields.get("val")) if "val" in fields else ""
        msg = fields.get("msg")
        return f"with {val}:\n{msg}" if msg else f"with {val}"
    if tname == "InexactError":
        func = fields.get("func")
        fname = func.name if isinstance(func, Symbol) else str(func)
        T = fields.get("T")
        val = arr_repr(fields.get("val"))
        if T is None or fname == type_name(T):
            return f"{fname}({val})"
        return f"{fname}({type_name(T)}, {val})"
    if tname == "DivideError":
        return "integer division error"
    if tname == "KeyError":
        return f"key {arr_repr(fields.get('key'))} not found"
    if tname == "UndefVarError":
        v = fields.get("var")
        return f"`{v.name if isinstance(v, Symbol) else v}` not defined"
    if tname == "StackOverflowError":
        return ""
    if tname == "MethodError":
        f, args = fields.get("f"), fields.get("args")
        args = args if isinstance(args, tuple) else (args,)
        fname = getattr(f, "name", None) or arr_repr(f)
        if fname == "convert" and len(args) == 2:
            return (f"Cannot `convert` an object of type {types.show_type(types.typeof(args[1]))} "
                    f"to an object of type {type_name(args[0])}")
        shown = ", ".join("::" + types.show_type(types.typeof(a)) for a in args)
        return f"no method matching {fname}({shown})"
    if "msg" in fields:
        msg = fields["msg"]
        if isinstance(msg, str):
            return msg
        from .. import display
        return display.print_string(msg)
    return arr_repr(e)


@primitive("throw", 1, derivative="none")
def throw(e: Any) -> None:
    """`throw(e)`: raise any Arr value as an exception."""
    if isinstance(e, source.ArrError):
        raise e
    if isinstance(e, StructValue):
        kind = type_name(e.type)
        # a parametric exception type prints without its parameters in the header
        kind = kind.split("{", 1)[0]
    else:
        kind = "ErrorException"
    raise source.error_class(kind)(exception_message(e), value=e)


@shape_rule("throw")
def throw_shape(e: AbstractValue) -> AbstractValue:
    return BOTTOM
