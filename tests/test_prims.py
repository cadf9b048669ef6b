"""The intrinsics' reference evaluations (lang/prims), table-driven.

Every row calls `PRIMITIVES[name].impl` directly with values in the representation of
`values.py` and checks the result (value and Python/numpy type) or the Arr error raised.
`test_every_primitive_has_rules` walks the whole table.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from lang import source, types as T
from lang.dispatch import GenericFunction
from lang.prims import PRIMITIVES, load_all
from lang.values import NamedTupleValue, StepRange, StructValue, Symbol, UnitRange, obj_array

load_all()
INF, NAN = math.inf, math.nan


def call(name, *args):
    p = PRIMITIVES[name]
    return p.impl(Ctx(), *args) if p.needs_ctx else p.impl(*args)


class Ctx:
    """A stand-in for the interpreter: generic functions are looked up by name in a table of
    Python functions, other callables are called directly."""

    def __init__(self, table=None):
        self.table = dict(PYFUNS, **(table or {}))
        self.calls = 0
        self.globals = {}

    def call(self, f, *args):
        self.calls += 1
        if isinstance(f, GenericFunction):
            return self.table[f.name](*args)
        return f(*args)


def _py(name):
    return lambda *a: call(name, *a)


PYFUNS = {"+": _py("add"), "-": _py("sub"), "*": _py("mul"), "/": _py("div"), "max": _py("max"),
          "min": _py("min"), "sin": _py("sin"), "==": _py("eq"), "&": _py("and"),
          "|": _py("or"), "exp": _py("exp"), "sqrt": _py("sqrt"), "^": _py("pow")}
GF = {name: GenericFunction(name) for name in PYFUNS}


def same(a, b):
    """Equal values of the same representation (NaN equals NaN, -0.0 differs from 0.0)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (type(a) is type(b) and a.dtype == b.dtype and a.shape == b.shape
                and all(same(x, y) for x, y in zip(a.reshape(-1).tolist(), b.reshape(-1).tolist())))
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if type(a) is not type(b):
        return False
    if isinstance(a, (float, np.floating)):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return a == b


def arr(xs, dt=None):
    return np.array(xs, dtype=dt)


f32 = np.float32
i32 = np.int32
IMAX, IMIN = 2**63 - 1, -2**63

# ---------------------------------------------------------------- scalar values
VALUE_CASES = [
    # arithmetic, Int64 wraps
    ("add", (1, 2), 3), ("add", (IMAX, 1), IMIN), ("add", (1.5, 2.0), 3.5),
    ("add", (True, True), 2), ("add", (f32(1.5), f32(2)), f32(3.5)),
    ("add", (i32(2**31 - 1), i32(1)), i32(-2**31)),
    ("sub", (IMIN, 1), IMAX), ("sub", (0.5, 1.0), -0.5),
    ("mul", (2**62, 4), 0), ("mul", (3, -4), -12), ("mul", (1e308, 10.0), INF),
    ("div", (1, 2), 0.5), ("div", (1, 0), INF), ("div", (-1.0, 0.0), -INF),
    ("div", (0.0, 0.0), NAN), ("div", (f32(1), f32(4)), f32(0.25)),
    ("neg", (IMIN,), IMIN), ("neg", (2.0,), -2.0), ("neg", (0.0,), -0.0), ("neg", (True,), -1),
    ("pow", (2, 10), 1024), ("pow", (2, 63), IMIN), ("pow", (3, 0), 1), ("pow", (-1, -3), -1),
    ("pow", (1, -5), 1), ("pow", (2.0, -1), 0.5), ("pow", (2.0, 0.5), math.sqrt(2.0)),
    ("pow", (f32(2), 3), f32(8)), ("pow", (0.0, -1.0), INF), ("pow", (-8.0, 3.0), -512.0),
    ("int_div", (7, 2), 3), ("int_div", (-7, 2), -3), ("int_div", (7, -2), -3),
    ("int_div", (7.5, 2.0), 3.0), ("int_div", (i32(-7), i32(2)), i32(-3)),
    ("int_rem", (7, 3), 1), ("int_rem", (-7, 3), -1), ("int_rem", (7, -3), 1),
    ("int_rem", (IMIN, -1), 0), ("int_rem", (5.5, 2.0), 1.5), ("int_rem", (-5.5, 2.0), -1.5),
    # math
    ("sqrt", (4.0,), 2.0), ("sqrt", (-0.0,), -0.0), ("sqrt", (4,), 2.0),
    ("sqrt", (f32(9),), f32(3)), ("sqrt", (INF,), INF),
    ("cbrt", (-27.0,), -3.0), ("exp", (0.0,), 1.0), ("exp", (1000.0,), INF),
    ("exp2", (3.0,), 8.0), ("expm1", (0.0,), 0.0), ("log", (1.0,), 0.0), ("log", (0.0,), -INF),
    ("log2", (8.0,), 3.0), ("log10", (1000.0,), 3.0), ("log1p", (0.0,), 0.0),
    ("log1p", (-1.0,), -INF), ("sin", (0.0,), 0.0), ("cos", (0.0,), 1.0), ("tan", (0.0,), 0.0),
    ("asin", (1.0,), math.pi / 2), ("acos", (1.0,), 0.0), ("atan", (INF,), math.pi / 2),
    ("atan2", (1.0, -1.0), 3 * math.pi / 4), ("atan2", (0.0, -0.0), math.pi),
    ("sinh", (0.0,), 0.0), ("sinh", (-1000.0,), -INF), ("cosh", (1000.0,), INF),
    ("tanh", (INF,), 1.0), ("exp", (f32(0),), f32(1)), ("log", (NAN,), NAN),
    ("abs", (-3,), 3), ("abs", (IMIN,), IMIN), ("abs", (-0.0,), 0.0), ("abs", (i32(-2),), i32(2)),
    ("sign", (-5,), -1), ("sign", (0,), 0), ("sign", (-0.0,), -0.0), ("sign", (NAN,), NAN),
    ("sign", (2.5,), 1.0), ("sign", (f32(-2),), f32(-1)),
    ("copysign", (2.0, -0.0), -2.0), ("signbit", (-0.0,), True), ("signbit", (1,), False),
    ("nextfloat", (1.0, 1), 1.0000000000000002), ("nextfloat", (1.0, -1), 0.9999999999999999),
    # rounding: half to even
    ("round", (2.5,), 2.0), ("round", (3.5,), 4.0), ("round", (-0.5,), -0.0),
    ("round", (f32(1.5),), f32(2)), ("round", (7,), 7), ("floor", (-1.5,), -2.0),
    ("floor", (3,), 3), ("ceil", (-0.5,), -0.0), ("ceil", (1.2,), 2.0), ("trunc", (-2.7,), -2.0),
    ("min", (1, 2), 1), ("min", (1.0, NAN), NAN), ("min", (0.0, -0.0), -0.0),
    ("min", (-0.0, 0.0), -0.0), ("max", (-0.0, 0.0), 0.0), ("max", (2.0, 1.0), 2.0),
    # comparisons and logic
    ("eq", (1, 1.0), True), ("eq", (NAN, NAN), False), ("eq", (2**53 + 1, 2.0**53), False),
    ("ne", (1, 2), True), ("lt", (1, 2.5), True), ("le", (2, 2), True), ("gt", (NAN, 1.0), False),
    ("ge", (3.0, 3), True), ("lt", ("a", "b"), True),
    ("and", (True, False), False), ("and", (6, 3), 2), ("or", (True, False), True),
    ("or", (4, 1), 5), ("xor", (True, True), False), ("xor", (6, 3), 5),
    ("not", (True,), False), ("not", (0,), -1), ("shl", (1, 3), 8), ("shl", (1, 63), IMIN),
    ("shr", (-8, 1), -4), ("isnan", (NAN,), True), ("isnan", (1,), False),
    ("isinf", (-INF,), True), ("isinf", (3,), False),
    ("select", (True, 1, 2), 1), ("select", (False, 1, 2), 2),
    # mixed operands are promoted as in Julia
    ("add", (1, f32(2)), f32(3)), ("add", (i32(1), 2), 3), ("add", (True, 1.5), 2.5),
    ("mul", (f32(2), 3.0), 6.0), ("sub", (np.uint8(1), np.int8(2)), np.uint8(255)),
    ("div", (i32(1), f32(2)), f32(0.5)), ("div", (True, 2), 0.5), ("div", (i32(1), i32(4)), 0.25),
    ("pow", (i32(2), 3), i32(8)), ("pow", (2, 0.5), math.sqrt(2.0)), ("pow", (True, 2), True),
    ("pow", (f32(2), 2.0), 4.0), ("min", (1, 2.0), 1.0), ("max", (i32(3), 2), 3),
    ("and", (True, 3), 1), ("int_div", (7, 2.0), 3.0), ("int_rem", (i32(-7), 3), -1),
]


@pytest.mark.parametrize("name,args,expected", VALUE_CASES,
                         ids=[f"{c[0]}{c[1]}" for c in VALUE_CASES])
def test_scalar_values(name, args, expected):
    got = call(name, *args)
    assert same(got, expected), f"{name}{args} = {got!r} ({type(got).__name__})"


CONVERT_CASES = [
    (T.Float64, 1, 1.0), (T.Float32, 1, f32(1)), (T.Int64, 3.0, 3), (T.Int64, True, 1),
    (T.Int32, 5, i32(5)), (T.Bool, 1, True), (T.Bool, 0.0, False), (T.Float64, f32(0.5), 0.5),
    (T.UInt8, 255, np.uint8(255)), (T.Int64, -0.0, 0), (T.Float32, 1e300, f32(INF)),
    (T.Int64, 2.0**62, 2**62), (T.Float16, 1, np.float16(1)),
]


@pytest.mark.parametrize("Ty,x,expected", CONVERT_CASES)
def test_convert(Ty, x, expected):
    assert same(call("convert", Ty, x), expected)


ERROR_CASES = [
    ("int_div", (1, 0), "DivideError", "integer division error"),
    ("int_div", (IMIN, -1), "DivideError", ""),
    ("int_rem", (1, 0), "DivideError", ""),
    ("int_div", (arr([1, 2]), arr([1, 0])), "DivideError", ""),
    ("sqrt", (-1.0,), "DomainError", "with -1.0:\nsqrt was called with a negative real"),
    ("sqrt", (arr([1.0, -2.0]),), "DomainError", "with -2.0"),
    ("log", (-1.0,), "DomainError", "log was called"),
    ("log1p", (-2.0,), "DomainError", "log1p was called with a real argument < -1"),
    ("asin", (2.0,), "DomainError", "asin(x) is not defined for |x| > 1."),
    ("acos", (-1.5,), "DomainError", ""),
    ("sin", (INF,), "DomainError", "sin(x) is only defined for finite x."),
    ("cos", (-INF,), "DomainError", ""), ("tan", (INF,), "DomainError", ""),
    ("pow", (2, -1), "DomainError", "Cannot raise an integer x to a negative power -1."),
    ("pow", (-2.0, 0.5), "DomainError", "Exponentiation yielding a complex result"),
    ("convert", (T.Int64, 2.5), "InexactError", "Int64(2.5)"),
    ("convert", (T.Int64, NAN), "InexactError", "Int64(NaN)"),
    ("convert", (T.Int64, 2.0**63), "InexactError", ""),
    ("convert", (T.Int8, 200), "InexactError", "trunc(Int8, 200)"),
    ("convert", (T.UInt8, -1), "InexactError", "trunc(UInt8, -1)"),
    ("convert", (T.Bool, 2), "InexactError", "Bool(2)"),
    ("convert", (T.Int64, arr([1.0, 1.5])), "InexactError", "Int64(1.5)"),
    ("convert", (T.String, 1), "MethodError", "Cannot `convert`"),
]


@pytest.mark.parametrize("name,args,kind,text", ERROR_CASES,
                         ids=[f"{c[0]}{c[1]}" for c in ERROR_CASES])
def test_scalar_errors(name, args, kind, text):
    with pytest.raises(source.ArrError) as info:
        call(name, *args)
    assert info.value.kind == kind
    assert text in info.value.message


def test_errors_carry_exception_values():
    with pytest.raises(source.ArrError) as info:
        call("sqrt", -4.0)
    v = info.value.value
    assert isinstance(v, StructValue) and T.show_type(v.type) == "DomainError"
    assert v.fields[0] == -4.0
    with pytest.raises(source.ArrError) as info:
        call("getindex", arr([1, 2, 3]), (4,))
    assert info.value.value.fields[1] == (4,)


# ---------------------------------------------------------------- elementwise on arrays
def test_elementwise_arrays_keep_dtype():
    a = arr([1.0, -2.0, 3.0])
    assert same(call("add", a, a), arr([2.0, -4.0, 6.0]))
    assert same(call("lt", a, 0.0), arr([False, True, False]))
    assert same(call("select", a > 0, a, 0.0), arr([1.0, 0.0, 3.0]))
    assert same(call("abs", arr([-1, 2], np.int32)), arr([1, 2], np.int32))
    assert same(call("round", arr([0.5, 1.5, 2.5], np.float32)), arr([0.0, 2.0, 2.0], np.float32))
    assert same(call("int_div", arr([7, -7]), arr([2, 2])), arr([3, -3]))
    assert same(call("int_rem", arr([7, -7]), 3), arr([1, -1]))
    assert same(call("add", arr([2**63 - 1]), 1), arr([-2**63]))
    assert same(call("convert", T.Float32, arr([1, 2])), arr([1.0, 2.0], np.float32))
    assert same(call("min", arr([0.0, 1.0]), arr([-0.0, NAN])), arr([-0.0, NAN]))
    assert same(call("sign", arr([-0.0, 2.0])), arr([-0.0, 1.0]))
    assert same(call("pow", arr([2, 3]), arr([2, 0])), arr([4, 1]))


# ---------------------------------------------------------------- types, tuples, structs
def test_type_queries():
    assert call("typeof", 1.0) is T.Float64
    assert call("typeof", arr([[1, 2]])) == T.apply_type(T.BUILTIN_TYPES["Array"], (T.Int64, 2))
    assert call("typeof", T.Float32) is T.DataTypeType
    assert call("isa", 1, T.Real) is True and call("isa", 1.0, T.Integer) is False
    assert call("issubtype", T.Int64, T.Number) is True
    assert call("promote_type", T.Int64, T.Float32) is T.Float32
    assert call("promote_type", T.Bool, T.Int8) is T.Int8
    assert call("typejoin", T.Int64, T.Float64) is T.Real
    vec = call("apply_type", T.BUILTIN_TYPES["Array"], T.Float64, 1)
    assert T.show_type(vec) == "Vector{Float64}"
    assert call("type_parameter", vec, 1) is T.Float64


def test_fields_and_structs():
    pair = T.apply_type(T.BUILTIN_TYPES["Pair"], (T.Int64, T.Float64))
    p = call("struct_new", pair, (1, 2.0))
    assert call("fieldnames", pair) == (Symbol("first"), Symbol("second"))
    assert call("nfields", p) == 2
    assert call("getfield", p, 2) == 2.0 and call("getfield", p, Symbol("first")) == 1
    nt = call("namedtuple_new", (Symbol("a"), Symbol("b")), (1, "x"))
    assert nt == NamedTupleValue(("a", "b"), (1, "x"))
    assert call("getfield", nt, Symbol("b")) == "x"
    assert call("namedtuple_names", nt) == (Symbol("a"), Symbol("b"))
    assert call("namedtuple_values", nt) == (1, "x")
    assert call("getfield", UnitRange(1, 5), Symbol("stop")) == 5
    with pytest.raises(source.ArrError, match="has no field c"):
        call("getfield", nt, Symbol("c"))
    with pytest.raises(source.ArrError) as info:
        call("getfield", p, 3)
    assert info.value.kind == "BoundsError"
    with pytest.raises(source.ArrError):
        call("struct_new", pair, (1,))


def test_egal():
    assert call("egal", 1, 1) and not call("egal", 1, 1.0) and call("egal", NAN, NAN)
    assert not call("egal", 0.0, -0.0) and call("egal", None, None)
    assert call("egal", arr([1, 2]), arr([1, 2])) and not call("egal", arr([1]), arr([1.0]))
    assert call("egal", (1, "a"), (1, "a")) and not call("egal", (1,), (1, 2))
    assert call("isnothing", None) and not call("isnothing", 0)


def test_tuples():
    t = (1, 2.5, "x")
    assert call("tuple_getindex", t, 2) == 2.5
    assert call("tuple_length", t) == 3
    assert call("tuple_concat", (1,), (2, 3)) == (1, 2, 3)
    assert call("tuple_slice", t, 2, 3) == (2.5, "x") and call("tuple_slice", t, 3, 2) == ()
    with pytest.raises(source.ArrError, match=r"attempt to access Tuple\{Int64, Float64, String\} at index \[4\]"):
        call("tuple_getindex", t, 4)


# ---------------------------------------------------------------- strings and I/O
def test_strings(tmp_path, capsys):
    assert call("string_concat", ("a", "b", "c")) == "abc"
    assert call("string_length", "héllo") == 5 and call("string_ncodeunits", "héllo") == 6
    assert call("string_slice", "hello", 2, 3) == "el" and call("string_slice", "hi", 2, 1) == ""
    assert call("string_upper", "aB") == "AB" and call("string_lower", "aB") == "ab"
    assert call("string_find", "hello", "l", 1) == 3 and call("string_find", "hello", "z", 1) == 0
    assert call("string_replace", "aXbX", "X", "-") == "a-b-"
    assert list(call("string_split", "a,b", ",")) == ["a", "b"]
    assert list(call("string_split", " a  b ", None)) == ["a", "b"]
    assert call("string_strip", "  x ") == "x"
    assert call("string_codepoint", "A", 1) == 65 and call("string_from_codepoint", 66) == "B"
    assert call("symbol", "abc") is Symbol("abc") and call("symbol_name", Symbol("q")) == "q"
    assert call("parse_number", T.Int64, " 42 ") == 42
    assert same(call("parse_number", T.Float32, "1.5"), f32(1.5))
    assert same(call("parse_number", T.Float64, "-Inf"), -INF)
    with pytest.raises(source.ArrError) as info:
        call("parse_number", T.Int64, "4x")
    assert info.value.kind == "ArgumentError"
    with pytest.raises(source.ArrError) as info:
        call("string_slice", "abc", 2, 5)
    assert "attempt to access 3-codeunit String at index [2:5]" in info.value.message
    p = tmp_path / "f.txt"
    assert call("write_file", str(p), "a\nb\n") == 4
    assert call("read_file", str(p)) == "a\nb\n"
    call("write_stdout", "out")
    assert capsys.readouterr().out == "out"
    assert isinstance(call("time_ns"), int)


def test_throw():
    err_t = T.BUILTIN_TYPES["ErrorException"]
    with pytest.raises(source.ArrError) as info:
        call("throw", StructValue(err_t, ("boom",)))
    assert info.value.kind == "ErrorException" and info.value.message == "boom"
    assert info.value.value.fields == ("boom",)
    bounds = StructValue(T.BUILTIN_TYPES["BoundsError"], (arr([1.0, 2.0]), (3,)))
    with pytest.raises(source.ArrError) as info:
        call("throw", bounds)
    assert info.value.message == "attempt to access 2-element Vector{Float64} at index [3]"
    dom = StructValue(T.BUILTIN_TYPES["DomainError"], (-1.0, "no"))
    with pytest.raises(source.ArrError, match="with -1.0:\nno"):
        call("throw", dom)
    inexact = StructValue(T.BUILTIN_TYPES["InexactError"], (Symbol("Int64"), T.Int64, 2.5))
    with pytest.raises(source.ArrError, match=r"Int64\(2.5\)"):
        call("throw", inexact)
    with pytest.raises(source.ArrError) as info:
        call("throw", StructValue(T.BUILTIN_TYPES["DivideError"], ()))
    assert info.value.message == "integer division error"


# ---------------------------------------------------------------- shape and indexing
def test_shape():
    x = arr([[1, 2, 3], [4, 5, 6]])
    assert call("size", x) == (2, 3) and call("ndims", x) == 2 and call("length", x) == 6
    assert call("array_eltype", x) is T.Int64
    assert same(call("reshape", x, (3, 2)), arr([[1, 2], [3, 4], [5, 6]]))
    assert call("reshape", x, (StructValue(T.BUILTIN_TYPES["Colon"], ()), 2)).shape == (3, 2)
    assert call("reshape", x, (slice(None),)).shape == (6,)
    with pytest.raises(source.ArrError, match=r"new dimensions \(4,\) must be consistent"):
        call("reshape", x, (4,))
    assert same(call("permutedims", x, (2, 1)), x.T.copy())
    b = call("broadcast_to", arr([1, 2]), (2, 3))
    assert same(np.array(b), arr([[1, 1, 1], [2, 2, 2]]))
    assert call("broadcast_to", 5.0, (2,)).tolist() == [5.0, 5.0]
    with pytest.raises(source.ArrError, match="got a dimension with lengths 2 and 3"):
        call("broadcast_to", arr([1, 2]), (3,))


def test_getindex():
    x = arr([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    colon = slice(None)
    assert call("getindex", x, (2, 3)) == 6.0 and type(call("getindex", x, (2, 3))) is float
    assert call("getindex", x, (5,)) == 2.0 + 3.0          # linear indexing is row-major
    assert same(call("getindex", x, (colon, 2)), arr([2.0, 5.0]))
    assert same(call("getindex", x, (1, arr([1, 3]))), arr([1.0, 3.0]))
    assert same(call("getindex", x, (UnitRange(1, 2), 1)), arr([1.0, 4.0]))
    assert same(call("getindex", x, (arr([2, 1]), UnitRange(2, 3))), arr([[5.0, 6.0], [2.0, 3.0]]))
    assert same(call("getindex", x, (x > 2.5,)), arr([3.0, 4.0, 5.0, 6.0]))
    assert same(call("getindex", x, (colon,)), arr([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))
    v = arr([10, 20, 30, 40])
    assert same(call("getindex", v, (StepRange(4, -2, 2),)), arr([40, 20]))
    assert same(call("getindex", v, (arr([True, False, True, False]),)), arr([10, 30]))
    assert same(call("getindex", v, (UnitRange(3, 2),)), arr([], np.int64))
    assert same(call("getindex", v, (2, 1)), 20)           # trailing 1s are allowed
    assert type(call("getindex", arr([1.5], np.float32), (1,))) is np.float32
    assert call("getindex", obj_array(["a", "b"], T.String), (2,)) == "b"


@pytest.mark.parametrize("idx,shown", [
    ((3, 1), "[3, 1]"), ((7,), "[7]"), ((1, UnitRange(2, 4)), "[1, 2:4]"), ((0,), "[0]"),
    ((slice(None), 5), "[:, 5]"), ((arr([1, 9]),), "[[1, 9]]"),
])
def test_getindex_bounds_errors(idx, shown):
    x = arr([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    with pytest.raises(source.ArrError) as info:
        call("getindex", x, idx)
    assert info.value.kind == "BoundsError"
    assert info.value.message == f"attempt to access 2×3 Matrix{{Float64}} at index {shown}"


def test_getindex_invalid_indices():
    v = arr([1, 2])
    for bad in (1.0, True):
        with pytest.raises(source.ArrError) as info:
            call("getindex", v, (bad,))
        assert info.value.kind == "ArgumentError"


def test_setindex_is_a_value_update():
    x = arr([[1, 2], [3, 4]])
    y = call("setindex", x, 9, (1, 2))
    assert same(y, arr([[1, 9], [3, 4]])) and same(x, arr([[1, 2], [3, 4]]))
    assert same(call("setindex", x, arr([7, 8]), (slice(None), 1)), arr([[7, 2], [8, 4]]))
    assert same(call("setindex", x, 5.0, (4,)), arr([[1, 2], [3, 5]]))
    assert same(call("setindex", x, arr([0, 0]), (x > 2,)), arr([[1, 2], [0, 0]]))
    assert same(call("setindex", arr([1.0, 2.0]), 3, (1,)), arr([3.0, 2.0]))
    for v, idx, kind in [(2.5, (1,), "InexactError"), (1, (3, 1), "BoundsError"),
                         (arr([1, 2, 3]), (slice(None), 1), "DimensionMismatch"),
                         (7, (slice(None), 1), "ArgumentError"), ("s", (1,), "MethodError")]:
        with pytest.raises(source.ArrError) as info:
            call("setindex", x, v, idx)
        assert info.value.kind == kind


def test_construction():
    assert same(call("fill", 1.5, (2,)), arr([1.5, 1.5]))
    assert same(call("fill", f32(0), (1, 2)), arr([[0, 0]], np.float32))
    s = call("fill", "ab", (2,))
    assert list(s) == ["ab", "ab"] and T.show_type(T.typeof(s)) == "Vector{String}"
    mixed = call("array_from_tuple", None, (1, 2.0), (2,))
    assert mixed.tolist() == [1, 2.0] and T.show_type(T.typeof(mixed)) == "Vector{Real}"
    assert same(call("array_from_tuple", T.Float64, (1, 2), (2,)), arr([1.0, 2.0]))
    assert same(call("array_from_tuple", T.Int64, (1, 2, 3, 4), (2, 2)), arr([[1, 2], [3, 4]]))
    assert same(call("array_from_tuple", None, (1, 2), (2,)), arr([1, 2]))
    assert call("array_to_tuple", arr([[1, 2], [3, 4]])) == (1, 2, 3, 4)
    c = call("concatenate", (arr([1, 2]), arr([3.0])), 1)
    assert same(c, arr([1.0, 2.0, 3.0]))
    assert same(call("concatenate", (arr([1, 2]), arr([3, 4])), 2), arr([[1, 3], [2, 4]]))
    assert same(call("concatenate", (1, 2), 2), arr([[1, 2]]))
    with pytest.raises(source.ArrError, match="number of rows of each array must match"):
        call("concatenate", (arr([1, 2]), arr([1, 2, 3])), 2)
    assert same(call("reverse", arr([[1, 2], [3, 4]]), 2), arr([[2, 1], [4, 3]]))
    assert same(call("reverse", arr([1, 2, 3]), None), arr([3, 2, 1]))
    x = arr([1.0])
    assert call("copy", x) is not x and same(call("copy", x), x)


def test_sorting():
    assert same(call("sort", arr([3, 1, 2]), 1, False), arr([1, 2, 3]))
    assert same(call("sort", arr([1.0, NAN, 0.0]), 1, False), arr([0.0, 1.0, NAN]))
    assert same(call("sort", arr([1.0, NAN, 0.0]), 1, True), arr([NAN, 1.0, 0.0]))
    assert same(call("sort", arr([[3, 1], [2, 4]]), 2, False), arr([[1, 3], [2, 4]]))
    assert same(call("sortperm", arr([3.0, 1.0, 3.0]), False), arr([2, 1, 3]))
    assert same(call("sortperm", arr([3.0, 1.0, 3.0]), True), arr([1, 3, 2]))
    assert list(call("sort", obj_array(["b", "a"], T.String), 1, False)) == ["a", "b"]
    assert call("argextreme", arr([1, 5, 5]), True) == 2
    assert call("argextreme", arr([1.0, NAN, 0.0]), False) == 2


def test_matmul():
    a = arr([[1, 2], [3, 4]])
    assert same(call("matmul", a, a), arr([[7, 10], [15, 22]]))
    assert same(call("matmul", a, arr([1.0, 1.0])), arr([3.0, 7.0]))
    assert same(call("matmul", arr([1, 2]), arr([[3, 4]])), arr([[3, 4], [6, 8]]))
    assert call("matmul", arr([[1]], np.float32), arr([[2]], np.float32)).dtype == np.float32
    with pytest.raises(source.ArrError, match=r"matrix A has dimensions \(2,2\), vector B has length 3"):
        call("matmul", a, arr([1, 2, 3]))


# ---------------------------------------------------------------- ranges and random
def test_ranges():
    assert call("unitrange", 5, 1) == UnitRange(5, 4)
    assert call("steprange", 1, 2, 10) == StepRange(1, 2, 9)
    assert call("range_length", StepRange(1, 2, 9)) == 5
    assert call("range_length", UnitRange(5, 4)) == 0
    r = call("steprange", 0.0, 0.1, 1.0)
    assert call("range_length", r) == 11
    assert call("range_getindex", r, 4) == 0.3                # exact, as in Julia
    assert call("range_collect", r).tolist()[3] == 0.3
    assert call("range_collect", UnitRange(1, 3)).tolist() == [1, 2, 3]
    lin = call("linrange", 0, 1, 7)
    assert call("range_collect", lin).tolist()[3] == 0.5 and call("range_length", lin) == 7
    assert call("range_getindex", StepRange(10, -3, 1), 4) == 1
    with pytest.raises(source.ArrError, match=r"attempt to access 3-element UnitRange\{Int64\} at index \[4\]"):
        call("range_getindex", UnitRange(1, 3), 4)
    with pytest.raises(source.ArrError, match="step cannot be zero"):
        call("steprange", 1, 0, 3)


def test_random_is_seeded():
    call("seed", 42)
    a = call("rand", T.Float64, (3,))
    b = call("randn", T.Float32, (2, 2))
    call("seed", 42)
    assert same(call("rand", T.Float64, (3,)), a) and same(call("randn", T.Float32, (2, 2)), b)
    assert b.dtype == np.float32 and np.all((a >= 0) & (a < 1))
    assert type(call("rand", T.Float64, ())) is float
    ints = call("rand_int", 1, 6, (100,))
    assert ints.min() >= 1 and ints.max() <= 6
    assert sorted(call("randperm", 5).tolist()) == [1, 2, 3, 4, 5]


# ---------------------------------------------------------------- higher order
def test_elementwise_fast_and_slow_paths_agree():
    ctx = Ctx()
    a, b = arr([1, 2, 3]), arr([0.5, 0.25, 2.0])
    fast = PRIMITIVES["elementwise"].impl(ctx, GF["+"], (a, b))
    slow = PRIMITIVES["elementwise"].impl(ctx, lambda x, y: call("add", x, y), (a, b))
    assert same(fast, slow) and same(fast, arr([1.5, 2.25, 5.0]))
    # the result type comes from the Arr function, here Int64 + Float32 -> Float32 as in Julia
    ctx = Ctx({"+": lambda x, y: f32(x + y)})
    got = PRIMITIVES["elementwise"].impl(ctx, GF["+"], (a, arr([1, 1, 1], np.float32)))
    assert got.dtype == np.float32
    # scalars are used for every element
    assert same(call("elementwise", GF["*"], (a, 2)), arr([2, 4, 6]))
    assert same(call("elementwise", lambda x: x > 1, (a,)), arr([False, True, True]))
    strings = call("elementwise", lambda x: "s" * x, (a,))
    assert list(strings) == ["s", "ss", "sss"] and T.show_type(T.typeof(strings)) == "Vector{String}"
    mixed = call("elementwise", lambda x: x if x > 1 else 1.5, (a,))
    assert T.show_type(T.typeof(mixed)) == "Vector{Real}"
    assert call("elementwise", GF["+"], (1, 2)) == 3
    with pytest.raises(source.ArrError) as info:
        call("elementwise", GF["+"], (a, arr([1, 2])))
    assert info.value.kind == "DimensionMismatch"
    with pytest.raises(source.ArrError) as info:
        call("elementwise", GF["sqrt"], (arr([1.0, -1.0]),))
    assert info.value.kind == "DomainError"


def test_elementwise_empty():
    empty = arr([], np.int64)
    assert same(call("elementwise", GF["/"], (empty, empty)), arr([], np.float64))
    assert call("elementwise", lambda x: x, (obj_array([], T.String),)).shape == (0,)


def test_elementwise_calls_fast_ops_once_per_array():
    ctx = Ctx()
    PRIMITIVES["elementwise"].impl(ctx, GF["exp"], (np.zeros(1000),))
    assert ctx.calls < 5


def test_reduce():
    x = arr([[1, 2, 3], [4, 5, 6]])
    assert call("reduce", GF["+"], x, 0, None) == 21
    assert same(call("reduce", GF["+"], x, 0, (1,)), arr([[5, 7, 9]]))
    assert same(call("reduce", GF["max"], x, IMIN, (2,)), arr([[3], [6]]))
    assert call("reduce", GF["*"], arr([], np.float64), 1.0, None) == 1.0
    assert call("reduce", GF["+"], arr([True, True]), 0, None) == 2
    assert same(call("reduce", GF["max"], arr([1.0, NAN]), -INF, None), NAN)
    assert call("reduce", GF["&"], arr([True, False]), True, None) is False
    # any other function folds left, in order
    seen = []
    def step(acc, v):
        seen.append(v)
        return acc - v
    assert call("reduce", step, x, 0, None) == -21 and seen == [1, 2, 3, 4, 5, 6]
    assert same(call("reduce", lambda a, b: a * 10 + b, x, 0, (2,)), arr([[123], [456]]))
    assert call("reduce", GF["+"], x, 100, None) == 121


def test_accumulate():
    assert same(call("accumulate", GF["+"], arr([1, 2, 3]), 1), arr([1, 3, 6]))
    assert same(call("accumulate", GF["*"], arr([[1, 2], [3, 4]]), 1), arr([[1, 2], [3, 8]]))
    assert same(call("accumulate", lambda a, b: a - b, arr([1, 2, 3]), 1), arr([1, -1, -4]))
    assert same(call("accumulate", GF["max"], arr([1.0, NAN, 2.0]), 1), arr([1.0, NAN, NAN]))


def test_iterate_collect():
    def iterate(r, s=0):
        return None if s >= 3 else (s * 1.5, s + 1)
    assert same(call("iterate_collect", iterate, None), arr([0.0, 1.5, 3.0]))


# ---------------------------------------------------------------- broadcast kernels
@pytest.fixture(scope="module")
def session():
    from lang.session import Session
    return Session()


@pytest.mark.parametrize("code,expected", [
    ("[1.0, 2.0] .* 2 .+ 1", [3.0, 5.0]),
    ("sig(z) = 1 / (1 + exp(-z)); sig.([0.0, 0.0])", [0.5, 0.5]),
    ("[1, 2] .+ [0.5, 0.5]", [1.5, 2.5]),
    ("f(v) = v > 0 ? v : 0.0; f.([-1.0, 2.0])", [0.0, 2.0]),        # a branch: per element
    ("n = 3; (z -> z + n).([1, 2])", [4, 5]),                       # a captured scalar
    ("false .* [NaN, 1.0]", [0.0, 0.0]),                            # Julia's Bool * Float
    ("Float32.([1, 2])", [1.0, 2.0]),
    ("ifelse.([1, 2] .> 1, [10, 20], 0)", [0, 20]),
])
def test_broadcast_kernels(session, code, expected):
    got = session.eval(code)
    assert isinstance(got, np.ndarray) and got.tolist() == expected


def test_broadcast_kernel_errors_come_from_the_failing_element(session):
    with pytest.raises(source.ArrError) as info:
        session.eval("sqrt.([4.0, -1.0, -9.0])")
    assert info.value.kind == "DomainError" and "-1.0" in info.value.message
    with pytest.raises(source.ArrError) as info:
        session.eval("b = [1.0, 2.0]; addb(x) = x + b; addb.([1.0, 2.0])")
    assert info.value.kind == "MethodError"


# ---------------------------------------------------------------- the table
def test_every_primitive_has_rules():
    missing = []
    for name, p in sorted(PRIMITIVES.items()):
        if p.impl is None:
            missing.append(f"{name}: no reference evaluation")
        if not p.derivative:
            missing.append(f"{name}: no derivative annotation (use \"none\" if not differentiable)")
        if not p.doc:
            missing.append(f"{name}: no docstring")
        if p.shape is None:
            missing.append(f"{name}: no shape rule (see lang/lattice.py, prims.shape_rule)")
    assert not missing, "\n".join(missing)
