"""Intrinsics on types, tuples, structs, strings, I/O, exceptions, ranges and random numbers.

None of these is differentiable (derivative "none") except the structural ones that move
values around (`getfield`, `tuple_getindex`, `struct_new`, ...), whose derivative rules
route the cotangent back to the right slot.

Ranges are `values.UnitRange` / `values.StepRange`.  Float ranges compute their length and
elements exactly on the rational numbers their endpoints stand for (`0:0.1:1` has 11
elements and its 4th is 0.3, as in Julia).  Random numbers come from one numpy Generator,
reseeded by `seed!` (the Threefry keys of compiled code are separate).
"""
from __future__ import annotations

import math
import sys
import time
from fractions import Fraction
from typing import Any

import numpy as np

from . import primitive
from .. import source
from ..values import NamedTupleValue, StepRange, StructValue, Symbol, UnitRange, obj_array
from .scalar import (arr_repr, as_int, dtype_of, exception_value, make_scalar, promote_dtype,
                     scalar_dtype, shape_tuple, type_name, wrap64)


def _types():
    from .. import types
    return types


# ---------------------------------------------------------------- types
@primitive("typeof", 1, derivative="none")
def typeof(x: Any) -> Any:
    """`typeof(x)`: the concrete type of a value (`DataType` for a type)."""
    return _types().user_typeof(x)


@primitive("isa", 2, derivative="none")
def isa(x: Any, T: Any) -> bool:
    """`x isa T`."""
    t = _types()
    fn = getattr(t, "isa", None)
    if fn is not None:
        return bool(fn(x, T))
    return bool(t.issubtype(t.typeof(x), T))


@primitive("issubtype", 2, derivative="none")
def issubtype(A: Any, B: Any) -> bool:
    """`A <: B`."""
    return bool(_types().issubtype(A, B))


@primitive("promote_type", 2, derivative="none")
def promote_type(A: Any, B: Any) -> Any:
    """`promote_type(A, B)`: Julia's promotion of two types."""
    return _types().promote_type(A, B)


@primitive("typejoin", 2, derivative="none")
def typejoin(A: Any, B: Any) -> Any:
    """`typejoin(A, B)`: the nearest common supertype."""
    t = _types()
    fn = getattr(t, "typejoin", None)
    if fn is None:
        return t.BUILTIN_TYPES["Any"]
    return fn(A, B)


@primitive("apply_type", None, derivative="none")
def apply_type(T: Any, *params: Any) -> Any:
    """`T{P1, P2, ...}`."""
    return _types().apply_type(T, params)


@primitive("type_parameter", 2, derivative="none")
def type_parameter(T: Any, i: int) -> Any:
    """The i-th parameter of a parametric type (`Array{Float32,2}` -> 1: Float32, 2: 2)."""
    params = tuple(getattr(T, "params", ()) or ())
    if not 1 <= i <= len(params):
        raise source.BoundsError(f"attempt to access the parameters of {type_name(T)} at index [{i}]")
    return params[i - 1]


def struct_field_names(T: Any) -> tuple[str, ...]:
    """The field names of a struct or NamedTuple type (as strings)."""
    t = _types()
    if type(T) is not t.DataType:
        T = t.unwrap(T)[0]
    return tuple(t.struct_fieldnames(T)) if type(T) is t.DataType else ()


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


@primitive("fieldnames", 1, derivative="none")
def fieldnames(T: Any) -> tuple:
    """`fieldnames(T)`: a tuple of Symbols (T a struct or NamedTuple type, or a value)."""
    if not _types().is_type(T):
        return tuple(Symbol(n) for n in _value_field_names(T))
    return tuple(Symbol(n) for n in struct_field_names(T))


@primitive("nfields", 1, derivative="none")
def nfields(x: Any) -> int:
    """`nfields(x)`: the number of fields of a struct, NamedTuple or tuple value."""
    return len(_value_fields(x))


@primitive("getfield", 2, derivative="getfield")
def getfield(x: Any, f: Any) -> Any:
    """`getfield(x, i)` by 1-based index or `getfield(x, :name)` by name."""
    fields = _value_fields(x)
    if isinstance(f, bool) or not isinstance(f, (int, np.integer, Symbol, str)):
        raise source.TypeError_(f"in getfield, expected Union{{Int64, Symbol}}, got a value of "
                                f"type {_types().typeof(f)}")
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
        raise source.ErrorException(f"type {type_name(_types().typeof(x))} has no field {name}")
    return fields[names.index(name)]


@primitive("struct_new", 2, derivative="struct_new")
def struct_new(T: Any, fields: tuple) -> StructValue:
    """A struct of concrete type T from a tuple of field values, without running
    constructors (used to rebuild a struct with new fields: optimisers, AD)."""
    n = len(struct_field_names(T))
    if len(fields) != n:
        raise source.ArgumentError(f"struct {type_name(T)} has {n} fields, got {len(fields)}")
    return StructValue(T, tuple(fields))


@primitive("isnothing", 1, derivative="none")
def isnothing(x: Any) -> bool:
    """`x === nothing`."""
    return x is None


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


# ---------------------------------------------------------------- tuples and named tuples
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


@primitive("tuple_length", 1, derivative="none")
def tuple_length(t: Any) -> int:
    """`length(t)` of a tuple or NamedTuple."""
    return len(t.values if isinstance(t, NamedTupleValue) else t)


@primitive("tuple_concat", 2, derivative="tuple_concat")
def tuple_concat(a: tuple, b: tuple) -> tuple:
    """`(a..., b...)`."""
    return tuple(a) + tuple(b)


@primitive("tuple_slice", 3, derivative="tuple_slice")
def tuple_slice(t: tuple, lo: int, hi: int) -> tuple:
    """`t[lo:hi]` of a tuple (1-based, inclusive; empty when hi < lo)."""
    if hi >= lo and (lo < 1 or hi > len(t)):
        raise bounds_error(t, (UnitRange(lo, hi),))
    return tuple(t[lo - 1:hi]) if hi >= lo else ()


@primitive("namedtuple_new", 2, derivative="namedtuple_new")
def namedtuple_new(names: tuple, vals: tuple) -> NamedTupleValue:
    """`NamedTuple{names}(vals)`: names a tuple of Symbols."""
    if len(names) != len(vals):
        raise source.ArgumentError("NamedTuple names and values must have matching lengths")
    return NamedTupleValue(tuple(n.name if isinstance(n, Symbol) else str(n) for n in names),
                           tuple(vals))


@primitive("namedtuple_names", 1, derivative="none")
def namedtuple_names(nt: NamedTupleValue) -> tuple:
    """`keys(nt)`: the names of a NamedTuple as a tuple of Symbols."""
    return tuple(Symbol(n) for n in nt.names)


@primitive("namedtuple_values", 1, derivative="namedtuple_values")
def namedtuple_values(nt: NamedTupleValue) -> tuple:
    """`values(nt)`: the values of a NamedTuple as a tuple."""
    return tuple(nt.values)


# ---------------------------------------------------------------- strings and symbols
def _display():
    from .. import display
    return display


@primitive("print_string", 1, derivative="none")
def print_string(x: Any) -> str:
    """The text `print(x)` writes (`string(x)`)."""
    if isinstance(x, str):
        return x
    return _display().print_string(x)


@primitive("repr_string", 1, derivative="none")
def repr_string(x: Any) -> str:
    """The text `show(x)` / `repr(x)` writes."""
    return _display().repr_string(x)


@primitive("display_string", 1, derivative="none")
def display_string(x: Any) -> str:
    """The multi-line text the REPL shows for x (`3-element Vector{Float64}:` ...)."""
    return _display().display_string(x)


@primitive("string_concat", 1, derivative="none")
def string_concat(parts: tuple) -> str:
    """The concatenation of a tuple of strings."""
    return "".join(parts)


@primitive("string_length", 1, derivative="none")
def string_length(s: str) -> int:
    """The number of characters of a string."""
    return len(s)


@primitive("string_ncodeunits", 1, derivative="none")
def string_ncodeunits(s: str) -> int:
    """The number of UTF-8 bytes of a string (`ncodeunits`, `sizeof`)."""
    return len(s.encode("utf-8"))


@primitive("string_slice", 3, derivative="none")
def string_slice(s: str, lo: int, hi: int) -> str:
    """The characters lo..hi (1-based, inclusive) of s, with BoundsError."""
    if hi >= lo and (lo < 1 or hi > len(s)):
        raise bounds_error(s, (lo,) if lo == hi else (UnitRange(lo, hi),))
    return s[lo - 1:hi] if hi >= lo else ""


@primitive("string_upper", 1, derivative="none")
def string_upper(s: str) -> str:
    """`uppercase(s)`."""
    return s.upper()


@primitive("string_lower", 1, derivative="none")
def string_lower(s: str) -> str:
    """`lowercase(s)`."""
    return s.lower()


@primitive("string_find", 3, derivative="none")
def string_find(s: str, sub: str, start: int) -> int:
    """The 1-based character index of the first `sub` in s at or after `start`; 0 if none."""
    return s.find(sub, max(0, start - 1)) + 1


@primitive("string_replace", 3, derivative="none")
def string_replace(s: str, old: str, new: str) -> str:
    """`replace(s, old => new)`."""
    return s.replace(old, new)


@primitive("string_split", 2, derivative="none")
def string_split(s: str, delim: Any) -> Any:
    """`split(s)` on whitespace (delim `nothing`) or on a delimiter string: Vector{String}."""
    parts = s.split() if delim is None else s.split(delim)
    return obj_array(parts, _string_type())


@primitive("string_strip", 1, derivative="none")
def string_strip(s: str) -> str:
    """`strip(s)`: s without leading and trailing whitespace."""
    return s.strip()


@primitive("string_codepoint", 2, derivative="none")
def string_codepoint(s: str, i: int) -> int:
    """The Unicode code point of the i-th character (1-based)."""
    if not 1 <= i <= len(s):
        raise bounds_error(s, (i,))
    return ord(s[i - 1])


@primitive("string_from_codepoint", 1, derivative="none")
def string_from_codepoint(c: int) -> str:
    """The one-character string of a code point."""
    return chr(int(c))


def _string_type() -> Any:
    try:
        return _types().BUILTIN_TYPES["String"]
    except Exception:
        return None


@primitive("parse_number", 2, derivative="none")
def parse_number(T: Any, s: str) -> Any:
    """`parse(T, s)` for a numeric type T (ArgumentError when s is not a number)."""
    dt = dtype_of(T)
    text = s.strip()
    try:
        if dt is None:
            raise ValueError
        if dt.kind in "iu":
            v = int(text.replace("_", ""), 0) if text[:2].lower() in ("0x", "0b", "0o") \
                else int(text.replace("_", ""))
            info = np.iinfo(dt)
            if not info.min <= v <= info.max:
                raise source.OverflowError_(f"overflow parsing \"{s}\"")
            return make_scalar(v, dt)
        if dt.kind == "b":
            if text in ("true", "false"):
                return text == "true"
            raise ValueError
        low = text.lower()
        if low in ("inf", "+inf", "-inf", "nan", "+nan", "-nan", "infinity", "-infinity"):
            v = float(low)
        else:
            v = float(text.replace("_", ""))
        return make_scalar(dt.type(v), dt)
    except ValueError:
        if dt is not None and dt.kind in "iu":
            raise source.ArgumentError(f"invalid base 10 digit {_first_bad_digit(text)!r} in "
                                       f"{_quote(s)}") from None
        raise source.ArgumentError(f"cannot parse {_quote(s)} as {type_name(T)}") from None


def _first_bad_digit(text: str) -> str:
    for ch in text.lstrip("+-"):
        if not ch.isdigit():
            return ch
    return text[:1]


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


@primitive("symbol", 1, derivative="none")
def symbol(s: str) -> Symbol:
    """`Symbol(s)`."""
    return Symbol(s)


@primitive("symbol_name", 1, derivative="none")
def symbol_name(s: Symbol) -> str:
    """`string(:name)`."""
    return s.name


# ---------------------------------------------------------------- I/O and time
@primitive("write_stdout", 1, derivative="none")
def write_stdout(s: str) -> None:
    """Write a string to standard output."""
    sys.stdout.write(s)
    if "\n" in s:
        sys.stdout.flush()
    return None


@primitive("write_stderr", 1, derivative="none")
def write_stderr(s: str) -> None:
    """Write a string to standard error."""
    sys.stderr.write(s)
    sys.stderr.flush()
    return None


@primitive("flush_stdout", 0, derivative="none")
def flush_stdout() -> None:
    """Flush standard output."""
    sys.stdout.flush()
    return None


@primitive("read_file", 1, derivative="none")
def read_file(path: str) -> str:
    """The contents of a text file (`read(path, String)`)."""
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except OSError as e:
        raise source.error_class("SystemError")(f"opening file {_quote(path)}: "
                                                f"{e.strerror}") from None


@primitive("write_file", 2, derivative="none")
def write_file(path: str, s: str) -> int:
    """Write a string to a file, replacing it; returns the number of bytes written."""
    data = s.encode("utf-8")
    try:
        with open(path, "wb") as fh:
            fh.write(data)
    except OSError as e:
        raise source.error_class("SystemError")(f"opening file {_quote(path)}: "
                                                f"{e.strerror}") from None
    return len(data)


@primitive("read_stdin_line", 0, derivative="none")
def read_stdin_line() -> str:
    """One line of standard input without its newline (`readline()`)."""
    line = sys.stdin.readline()
    return line[:-1] if line.endswith("\n") else line


@primitive("time_ns", 0, derivative="none")
def time_ns() -> int:
    """Nanoseconds from a monotonic clock."""
    return time.perf_counter_ns()


# ---------------------------------------------------------------- exceptions
def summary(x: Any) -> str:
    """Julia's `summary`: `3-element Vector{Float64}`, `2×3 Matrix{Int64}`, ..."""
    t = _types()
    if isinstance(x, np.ndarray):
        T = t.typeof(x)
        shape = x.shape
        if len(shape) == 1:
            return f"{shape[0]}-element {_type_str(T)}"
        return f"{'×'.join(str(d) for d in shape)} {_type_str(T)}"
    if isinstance(x, (UnitRange, StepRange)):
        return f"{len(x)}-element {_type_str(t.typeof(x))}"
    if isinstance(x, str):
        return f"{len(x.encode('utf-8'))}-codeunit String"
    return _type_str(t.typeof(x))


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
        t = _types()
        if fname == "convert" and len(args) == 2:
            return (f"Cannot `convert` an object of type {t.show_type(t.typeof(args[1]))} to an "
                    f"object of type {type_name(args[0])}")
        shown = ", ".join("::" + t.show_type(t.typeof(a)) for a in args)
        return f"no method matching {fname}({shown})"
    if "msg" in fields:
        msg = fields["msg"]
        return msg if isinstance(msg, str) else print_string(msg)
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


# ---------------------------------------------------------------- ranges
def _lift(x: Any) -> Fraction:
    """The simplest fraction that rounds to the float x (`0.1` -> 1/10), else x exactly.
    Like Julia's `rat`, this makes `0:0.1:1` hit 0.3 exactly."""
    if isinstance(x, (int, np.integer)):
        return Fraction(int(x))
    fx = float(x)
    exact = Fraction(fx)
    if exact.denominator == 1:
        return exact
    for limit in (100, 10_000, 1_000_000, 100_000_000):
        f = exact.limit_denominator(limit)
        if float(f) == fx:
            return f
    return exact


def _is_float_range(r: Any) -> bool:
    vals = (r.start, r.stop) if isinstance(r, UnitRange) else (r.start, r.step, r.stop)
    return any(isinstance(v, (float, np.floating)) for v in vals)


def _range_parts(r: Any) -> tuple[Fraction, Fraction, int]:
    if isinstance(r, UnitRange):
        a, s = _lift(r.start), Fraction(1)
        b = _lift(r.stop)
    else:
        a, s, b = _lift(r.start), _lift(r.step), _lift(r.stop)
    if s == 0:
        return a, s, 0
    n = math.floor((b - a) / s) + 1
    return a, s, max(0, n)


def _range_eltype(r: Any) -> np.dtype:
    vals = (r.start, r.stop) if isinstance(r, UnitRange) else (r.start, r.step, r.stop)
    dt = np.dtype(np.int64)
    for v in vals:
        dt = promote_dtype(dt, scalar_dtype(v) or np.dtype(np.float64))
    return dt


@primitive("unitrange", 2, derivative="none")
def unitrange(a: Any, b: Any) -> UnitRange:
    """`a:b` for integers; an empty range keeps `b = a - 1`, as Julia's UnitRange does."""
    ia, ib = as_int(a), as_int(b)
    if ia is None or ib is None:
        raise source.ArgumentError("unitrange needs integer endpoints")
    return UnitRange(ia, max(ib, ia - 1))


@primitive("steprange", 3, derivative="none")
def steprange(a: Any, s: Any, b: Any) -> StepRange:
    """`a:s:b`; the stop is normalised to the last element reached.  Float ranges compute
    their length on the rational numbers the endpoints stand for (0:0.1:1 has 11 elements)."""
    if s == 0:
        raise source.ArgumentError("step cannot be zero")
    ia, is_, ib = as_int(a), as_int(s), as_int(b)
    if ia is not None and is_ is not None and ib is not None:
        n = max(0, (ib - ia) // is_ + 1)
        return StepRange(ia, is_, ia + (n - 1) * is_ if n > 0 else ia - is_)
    a, s, b = float(a), float(s), float(b)
    if math.isnan(a) or math.isnan(s) or math.isnan(b):
        raise source.ArgumentError("StepRange endpoints cannot be NaN")
    fa, fs, fb = _lift(a), _lift(s), _lift(b)
    n = max(0, math.floor((fb - fa) / fs) + 1)
    last = float(fa + (n - 1) * fs) if n > 0 else a - s
    return StepRange(a, s, last)


@primitive("linrange", 3, derivative="none")
def linrange(a: Any, b: Any, n: Any) -> StepRange:
    """`range(a, b; length=n)`: n evenly spaced Float64 values from a to b."""
    n = as_int(n)
    if n is None or n < 0:
        raise source.ArgumentError(f"range(start, stop; length={n}): length must be non-negative")
    a, b = float(a), float(b)
    if n == 1:
        if a != b:
            raise source.ArgumentError("range(a, b; length=1) needs a == b")
        return StepRange(a, 1.0, a)
    if n == 0:
        return StepRange(a, 1.0, a - 1.0)
    step = float((_lift(b) - _lift(a)) / (n - 1))
    return StepRange(a, step, b if step != 0 else a)


@primitive("range_length", 1, derivative="none")
def range_length(r: Any) -> int:
    """`length(r)` of a UnitRange or StepRange."""
    if not _is_float_range(r):
        if isinstance(r, UnitRange):
            return max(0, r.stop - r.start + 1)
        if r.step == 0:
            return 0
        return max(0, (r.stop - r.start) // r.step + 1)
    return _range_parts(r)[2]


def _range_element(r: Any, k: int, a: Fraction, s: Fraction, dt: np.dtype) -> Any:
    return make_scalar(dt.type(float(a + k * s)), dt)


@primitive("range_getindex", 2, derivative="none")
def range_getindex(r: Any, i: Any) -> Any:
    """`r[i]` for a range (exact for float ranges), with BoundsError."""
    k = as_int(i)
    n = range_length(r)
    if k is None or not 1 <= k <= n:
        raise bounds_error(r, (i,))
    if not _is_float_range(r):
        step = 1 if isinstance(r, UnitRange) else r.step
        return wrap_int(r.start + (k - 1) * step)
    a, s, _ = _range_parts(r)
    return _range_element(r, k - 1, a, s, _range_eltype(r))


def wrap_int(v: int) -> int:
    return wrap64(int(v))


@primitive("range_collect", 1, derivative="none")
def range_collect(r: Any) -> np.ndarray:
    """`collect(r)`: the elements of a range as a Vector."""
    n = range_length(r)
    if not _is_float_range(r):
        step = 1 if isinstance(r, UnitRange) else r.step
        return (np.arange(n, dtype=np.int64) * step + r.start).astype(np.int64)
    a, s, _ = _range_parts(r)
    dt = _range_eltype(r)
    if a.denominator == 1 and s.denominator == 1 and abs(a) < 2**52 and abs(s) * n < 2**52:
        return (float(a) + np.arange(n, dtype=np.float64) * float(s)).astype(dt)
    return np.array([float(a + k * s) for k in range(n)], dtype=np.float64).astype(dt)


# ---------------------------------------------------------------- random numbers
class _RandomState:
    """The interpreter's global generator, reseeded by `seed!` (Threefry keys are separate)."""
    generator = np.random.default_rng()


@primitive("seed", 1, derivative="none")
def seed(n: Any) -> None:
    """`seed!(n)`: reseed the global random number generator."""
    _RandomState.generator = np.random.default_rng(int(n))
    return None


def _random_result(a: np.ndarray, shape: tuple, dt: np.dtype) -> Any:
    if shape == ():
        return make_scalar(a.reshape(())[()], dt)
    return a


@primitive("rand", 2, derivative="none")
def rand(T: Any, shape: tuple) -> Any:
    """`rand(T, dims)`: uniform in [0, 1) for float T, over all values for integers and
    Bool.  `dims == ()` gives a scalar."""
    shape = shape_tuple(shape)
    dt = dtype_of(T)
    g = _RandomState.generator
    if dt is None:
        raise source.ArgumentError(f"rand: unsupported element type {type_name(T)}")
    if dt.kind == "f" or dt.kind == "V":
        gen_dt = dt if dt in (np.float32, np.float64) else np.dtype(np.float32)
        a = g.random(shape, dtype=gen_dt).astype(dt)
    elif dt.kind == "b":
        a = g.integers(0, 2, size=shape).astype(np.bool_)
    else:
        info = np.iinfo(dt)
        a = g.integers(info.min, info.max, size=shape, dtype=dt, endpoint=True)
    return _random_result(a, shape, dt)


@primitive("randn", 2, derivative="none")
def randn(T: Any, shape: tuple) -> Any:
    """`randn(T, dims)`: standard normal samples of float type T."""
    shape = shape_tuple(shape)
    dt = dtype_of(T)
    if dt is None or dt.kind not in "fV":
        raise source.ArgumentError(f"randn: unsupported element type {type_name(T)}")
    gen_dt = dt if dt in (np.float32, np.float64) else np.dtype(np.float32)
    a = _RandomState.generator.standard_normal(shape, dtype=gen_dt).astype(dt)
    return _random_result(a, shape, dt)


@primitive("rand_int", 3, derivative="none")
def rand_int(lo: Any, hi: Any, shape: tuple) -> Any:
    """Uniform Int64 samples from lo:hi (both included)."""
    shape = shape_tuple(shape)
    if hi < lo:
        raise source.ArgumentError("range must be non-empty")
    a = _RandomState.generator.integers(int(lo), int(hi), size=shape, dtype=np.int64,
                                        endpoint=True)
    return _random_result(a, shape, np.dtype(np.int64))


@primitive("randperm", 1, derivative="none")
def randperm(n: Any) -> np.ndarray:
    """`randperm(n)`: a random permutation of 1:n."""
    return _RandomState.generator.permutation(int(n)).astype(np.int64) + 1
