"""Shape rules of the elementwise intrinsics (lang/prims/scalar.py, math_functions.py).

Every row runs `check_rule(name, *args)`: the reference evaluation on the values and the
shape rule on their abstractions (with and without constants) must agree.  On top of that,
for arguments of concrete types the rule must give a concrete type and a known shape (so the
agreement is exact, not just containment).  The tables cover Int64, Float64, Float32, Bool,
Int32, UInt8 (and the other widths) scalars, mixed operands, arrays of each, arrays with
scalars and shape mismatches; `test_every_intrinsic_has_a_shape_rule` walks the registry.
"""
from __future__ import annotations

import itertools
import math
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from shapecheck import check_rule  # noqa: E402

from lang import lattice as L, source, types as T  # noqa: E402
from lang.lattice import AbstractValue  # noqa: E402
from lang.prims import PRIMITIVES  # noqa: E402

MODULES = ("lang.prims.scalar", "lang.prims.math_functions")
INF, NAN = math.inf, math.nan
f16, f32, i8, i16, i32 = np.float16, np.float32, np.int8, np.int16, np.int32
u8, u16, u32, u64 = np.uint8, np.uint16, np.uint32, np.uint64


def arr(xs, dt=None):
    return np.array(xs, dtype=dt)


# One sample of every numeric type (scalars), and an array of each dtype.
SAMPLES = {
    "Int64": 3, "Float64": 2.5, "Float32": f32(1.5), "Bool": True, "Int32": i32(-4),
    "UInt8": u8(200), "Int8": i8(-3), "Int16": i16(7), "UInt16": u16(9), "UInt32": u32(6),
    "UInt64": u64(5), "Float16": f16(0.5),
}
DTYPES = {"Int64": np.int64, "Float64": np.float64, "Float32": np.float32, "Bool": np.bool_,
          "Int32": np.int32, "UInt8": np.uint8, "UInt64": np.uint64, "Float16": np.float16}
ARRAYS = {name: arr([[1, 0, 2], [3, 1, 1]], dt) for name, dt in DTYPES.items()}
ZERO_DIM = [arr(2.5), arr(-3), arr(True), arr(4, np.uint8), arr(1.5, np.float32)]   # fill(x)

UNARY = ("neg not isnan isinf sqrt cbrt exp exp2 expm1 log log2 log10 log1p sin cos tan asin "
         "acos atan sinh cosh tanh abs sign floor ceil trunc round signbit").split()
BINARY = ("add sub mul div pow int_div int_rem eq ne lt le gt ge and or xor shl shr atan2 min "
          "max copysign").split()
INTEGER_ONLY = {"not", "and", "or", "xor", "shl", "shr"}     # MethodError for floats

# ---------------------------------------------------------------- hand-picked rows
ROWS = [
    # arithmetic: Int64 wraps, Bool arithmetic gives Int64, mixed operands promote
    ("add", 1, 2), ("add", 2**63 - 1, 1), ("add", 1.5, 2.0), ("add", True, True),
    ("add", 1, f32(2)), ("add", i32(1), 2), ("add", True, 1.5), ("add", u8(250), u8(10)),
    ("sub", u8(1), i8(2)), ("sub", True, False), ("sub", f32(1), 2.0), ("sub", i32(1), u8(3)),
    ("mul", True, True), ("mul", 3, -4), ("mul", f32(2), 3.0), ("mul", True, i32(3)),
    ("div", 1, 2), ("div", 1, 0), ("div", True, 2), ("div", i32(1), i32(4)),
    ("div", i32(1), f32(2)), ("div", f16(1), 2), ("div", u8(3), True),
    ("neg", -(2**63)), ("neg", True), ("neg", 2.0), ("neg", u8(1)), ("neg", f32(3)),
    ("pow", 2, 10), ("pow", 2, -1), ("pow", 2.0, -1), ("pow", f32(2), 3), ("pow", True, 2),
    ("pow", i32(2), 3), ("pow", 2, 0.5), ("pow", -2.0, 0.5), ("pow", f32(2), 2.0),
    ("pow", u8(3), True), ("pow", True, False), ("pow", 3, f32(2)),
    ("int_div", 7, 2), ("int_div", 7, 0), ("int_div", -(2**63), -1), ("int_div", 7.5, 2.0),
    ("int_div", f32(7), 2), ("int_div", True, True), ("int_div", i32(-7), u8(2)),
    ("int_rem", 7, 3), ("int_rem", 5.5, 2.0), ("int_rem", i32(-7), 3), ("int_rem", f32(7), 2),
    ("int_rem", 1, 0), ("int_rem", True, True), ("int_rem", u8(7), f16(2)),
    # comparisons and logic
    ("eq", 1, 1.0), ("eq", NAN, NAN), ("eq", "a", "a"), ("lt", "a", "b"), ("ne", i32(1), u8(1)),
    ("lt", 1, 2.5), ("le", True, 2), ("gt", f32(1), 0.5), ("ge", u8(3), i8(-1)),
    ("and", True, False), ("and", 6, 3), ("and", True, 3), ("or", u8(4), i32(1)),
    ("xor", True, True), ("and", 1.0, 2.0), ("or", f32(1), 1), ("xor", i8(3), True),
    ("not", True), ("not", 0), ("not", u8(3)), ("not", 1.5), ("not", f32(1)),
    ("shl", 1, 3), ("shl", 1, 63), ("shl", 1, 64), ("shl", 8, -2), ("shl", i32(1), 40),
    ("shl", True, 1), ("shl", u8(1), i32(7)), ("shl", u64(1), 3), ("shl", 1.5, 1),
    ("shr", -8, 1), ("shr", -8, 70), ("shr", i32(-8), 40), ("shr", u8(200), u64(3)),
    ("shr", i8(-4), -1), ("shr", True, False), ("shr", 2, f32(1)),
    ("isnan", NAN), ("isnan", 1), ("isnan", f32(NAN)), ("isnan", True), ("isnan", u8(1)),
    ("isinf", -INF), ("isinf", 3), ("isinf", f16(INF)), ("isinf", i32(1)),
    ("select", True, 1, 2), ("select", False, 1, 2.0), ("select", True, "a", 2),
    ("select", True, arr([1.0, 2.0]), 0.0), ("select", False, arr([1.0, 2.0]), 0.0),
    ("select", arr([True, False]), arr([1, 2]), arr([3.0, 4.0])),
    ("select", arr([True, False]), 1, f32(2)), ("select", arr([True, False]), True, False),
    ("select", arr([True, False]), arr([1, 2], np.int32), i8(0)),
    # conversion
    ("convert", T.Float64, 1), ("convert", T.Float32, 1), ("convert", T.Int64, 3.0),
    ("convert", T.Int64, True), ("convert", T.Int32, 5), ("convert", T.Bool, 1),
    ("convert", T.UInt8, 255), ("convert", T.Float16, 1), ("convert", T.Int64, 2.5),
    ("convert", T.Int8, 200), ("convert", T.Bool, 2), ("convert", T.Float64, f32(0.5)),
    ("convert", T.Int64, arr([1.0, 2.0])), ("convert", T.Int64, arr([1.0, 1.5])),
    ("convert", T.Float32, arr([[1, 2]])), ("convert", T.Int64, arr([1, 2])),
    ("convert", T.BUILTIN_TYPES["String"], 1), ("convert", T.Int64, "a"),
    ("float_bits", T.UInt64, 1.0), ("float_bits", T.Float64, u64(4607182418800017408)),
    ("float_bits", T.UInt32, f32(1)), ("float_bits", T.Float32, arr([1, 2], np.uint32)),
    ("float_bits", T.UInt16, arr([1.0], np.float16)), ("float_bits", T.UInt32, 1.0),
    ("float_bits", T.BUILTIN_TYPES["String"], 1.0),
    # math
    ("sqrt", 4.0), ("sqrt", 4), ("sqrt", -1.0), ("sqrt", f32(9)), ("sqrt", True),
    ("sqrt", u8(4)), ("sqrt", f16(4)), ("sqrt", i32(-4)), ("exp", 1000.0), ("exp", f32(0)),
    ("log", 0.0), ("log", -1), ("log1p", -2.0), ("sin", INF), ("asin", 2), ("acos", f32(0.5)),
    ("sinh", -1000.0), ("cosh", i8(2)), ("tanh", True), ("cbrt", -27.0), ("exp2", u64(3)),
    ("expm1", f32(0)), ("log2", 8), ("log10", u8(100)), ("cos", -INF), ("tan", f16(1)),
    ("atan", INF), ("atan", i32(1)),
    ("atan2", 1.0, -1.0), ("atan2", 1, 2), ("atan2", f32(1), 2), ("atan2", f32(1), f16(1)),
    ("atan2", True, u8(1)), ("atan2", f32(1), 2.0),
    ("abs", -3), ("abs", -(2**63)), ("abs", -0.0), ("abs", i32(-2)), ("abs", True),
    ("abs", u8(3)), ("abs", f32(-1)),
    ("sign", -5), ("sign", -0.0), ("sign", NAN), ("sign", f32(-2)), ("sign", False),
    ("sign", u8(3)), ("round", 2.5), ("round", 7), ("round", f32(1.5)), ("floor", i32(3)),
    ("floor", True), ("ceil", f16(0.5)), ("trunc", -2.7), ("trunc", u8(1)),
    ("min", 1, 2), ("min", 1.0, NAN), ("min", 1, 2.0), ("min", True, False), ("max", i32(3), 2),
    ("max", -0.0, 0.0), ("max", u8(1), True), ("max", f32(1), i8(2)),
    ("copysign", 2.0, -0.0), ("copysign", 2.0, -1), ("copysign", f32(2), -1.0),
    ("copysign", 3, -1.0), ("copysign", True, f32(-1)), ("copysign", f16(1), i32(-2)),
    ("signbit", -0.0), ("signbit", 1), ("signbit", True), ("signbit", u8(1)),
    ("signbit", f32(-1)), ("signbit", i8(-1)),
    ("nextfloat", 1.0, 1), ("nextfloat", 1.0, -1), ("nextfloat", f32(1), 2),
    ("nextfloat", f16(1), i32(-1)), ("nextfloat", arr([1.0, 2.0]), 1),
    ("nextfloat", 1, 1), ("nextfloat", 1.0, 0.5),
    # no method for a String
    ("sqrt", "a"), ("abs", "a"), ("sign", "a"), ("floor", "a"), ("isnan", "a"),
    ("signbit", "a"), ("add", 1, "a"), ("convert", T.Int64, arr(["a"], object)),
    # 0-d arrays stay arrays
    ("select", arr(True), arr(1.0), 2), ("convert", T.Float32, arr(1.0)),
    ("float_bits", T.UInt64, arr(1.0)), ("nextfloat", arr(1.0), 1),
]


def _concrete_args(args) -> bool:
    return all(T.is_concrete(T.typeof(a)) for a in args)


def check_exact(name, *args):
    """check_rule, and: for arguments of concrete types, a rule that returns gives a concrete
    type and a known shape (`select` with a scalar condition gives a Union of two)."""
    out = check_rule(name, *args)
    if out is not None and _concrete_args(args) and not (name == "select"
                                                          and not isinstance(args[0], np.ndarray)):
        assert T.is_concrete(out.type), f"{name}{args}: the rule says {out!r}"
        assert out.shape is not None, f"{name}{args}: the rule says {out!r}"
    return out


@pytest.mark.parametrize("row", ROWS, ids=[f"{r[0]}{r[1:]}" for r in ROWS])
def test_rows(row):
    check_exact(*row)


def test_every_intrinsic_has_a_shape_rule():
    mine = {name for name, p in PRIMITIVES.items() if p.impl.__module__ in MODULES}
    assert len(mine) > 50
    assert not [n for n in sorted(mine) if PRIMITIVES[n].shape is None]
    assert mine <= {r[0] for r in ROWS}, f"no rows for {sorted(mine - {r[0] for r in ROWS})}"
    assert mine <= set(UNARY) | set(BINARY) | {"select", "convert", "float_bits", "nextfloat"}


# ---------------------------------------------------------------- whole tables of types
@pytest.mark.parametrize("name", UNARY)
def test_unary_on_every_type(name):
    for x in list(SAMPLES.values()) + list(ARRAYS.values()) + [-1.5, 0.0, -INF, NAN]:
        check_exact(name, x)


@pytest.mark.parametrize("name", BINARY)
def test_binary_on_every_pair_of_types(name):
    for x, y in itertools.product(SAMPLES.values(), repeat=2):
        check_exact(name, x, y)


@pytest.mark.parametrize("name", BINARY)
def test_binary_on_arrays(name):
    for (kx, x), (ky, y) in itertools.product(ARRAYS.items(), repeat=2):
        check_exact(name, x, y)                         # two arrays of one shape
        check_exact(name, x, SAMPLES[ky])               # an array with a scalar
        check_exact(name, SAMPLES[kx], y)               # a scalar with an array


@pytest.mark.parametrize("name", UNARY + BINARY)
def test_zero_dimensional_arrays_stay_arrays(name):
    for x in ZERO_DIM:
        args = (x,) if name in UNARY else (x, x)
        out = check_exact(name, *args)
        if out is not None:
            assert out.shape == () and L.is_array(out), f"{name}{args}: {out!r}"
        if name in BINARY:
            check_exact(name, x, 2)
            check_exact(name, 2.0, x)


@pytest.mark.parametrize("name", BINARY + ["select"])
def test_shape_mismatch_is_a_dimension_mismatch(name):
    args = [arr([1.0, 2.0, 3.0]), arr([1.0, 2.0])]
    if name in INTEGER_ONLY:
        args = [a.astype(np.int64) for a in args]
    if name == "select":
        args = [arr([True, False, True])] + args
    with pytest.raises(source.ArrError) as info:
        p = PRIMITIVES[name]
        p.impl(*args)
    assert info.value.kind == "DimensionMismatch"
    assert check_rule(name, *args) is None              # the rule raised, both times
    if name != "select":                                # a matrix with a vector
        assert check_rule(name, arr([[1, 2]], args[0].dtype), args[0]) is None


# ---------------------------------------------------------------- what the rules know
F64, I64, BOOL = T.Float64, T.Int64, T.Bool
VEC_F64 = T.apply_type(T.BUILTIN_TYPES["Array"], (F64, 1))
MAT_F32 = T.apply_type(T.BUILTIN_TYPES["Array"], (T.Float32, 2))


def rule(name, *args):
    return PRIMITIVES[name].shape(*args)


def test_constants_are_folded():
    assert rule("add", L.of_value(1), L.of_value(2)) == L.of_value(3)
    assert rule("div", L.of_value(1), L.of_value(2)) == L.of_value(0.5)
    assert rule("lt", L.of_value(1), L.of_value(2.5)) == L.of_value(True)
    assert rule("convert", L.of_value(T.Float32), L.of_value(1)) == L.of_value(f32(1))
    assert rule("sqrt", L.of_value(4.0)) == L.of_value(2.0)
    assert rule("add", L.of_value(1), L.scalar(I64)) == L.scalar(I64)      # one is unknown
    with pytest.raises(source.ArrError) as info:
        rule("sqrt", L.of_value(-1.0))
    assert info.value.kind == "DomainError"


def test_unknown_shapes_and_ranks():
    some_vec = AbstractValue(VEC_F64)                   # a Vector{Float64}, length unknown
    assert rule("add", some_vec, L.scalar(I64)) == AbstractValue(VEC_F64)
    assert rule("mul", some_vec, L.array(F64, (4,))) == L.array(F64, (4,))
    assert rule("lt", L.array(F64, None), L.scalar(F64)) == L.array(BOOL, None)
    with pytest.raises(source.ArrError) as info:        # ranks 1 and 2 cannot be one shape
        rule("sub", some_vec, AbstractValue(MAT_F32))
    assert info.value.kind == "DimensionMismatch"
    assert rule("sin", AbstractValue(MAT_F32)) == AbstractValue(MAT_F32)


def test_unknown_types_give_the_top():
    for a in (L.TOP, L.scalar(T.BUILTIN_TYPES["Real"]), AbstractValue(T.BUILTIN_TYPES["Array"])):
        assert rule("add", a, L.scalar(I64)).type is T.Any
        assert rule("sqrt", a).type is T.Any
    assert rule("eq", L.scalar(T.BUILTIN_TYPES["Real"]), L.scalar(F64)) == L.scalar(BOOL)


def test_convert_target_type():
    typ = AbstractValue(T.typeof(T.Float32), ())        # Type{Float32}, not a constant
    assert rule("convert", typ, L.array(F64, (2, 3))) == L.array(T.Float32, (2, 3))
    assert rule("convert", typ, L.scalar(T.BUILTIN_TYPES["Real"])) == L.scalar(T.Float32)
    some_type = AbstractValue(T.BUILTIN_TYPES["Type"])  # a type, but which one?
    assert rule("convert", some_type, L.scalar(I64)).type is T.Any
    assert rule("convert", L.TOP, L.scalar(I64)).type is T.Any


def test_select_on_an_unknown_condition():
    c = L.scalar(BOOL)
    assert rule("select", c, L.scalar(I64), L.scalar(I64)) == L.scalar(I64)
    either = rule("select", c, L.of_value(1), L.of_value(2.0))
    assert T.type_equal(either.type, T.make_union(I64, F64)) and not either.is_const
    assert rule("select", L.TOP, L.scalar(I64), L.scalar(I64)).type is T.Any
    mask = L.array(BOOL, (2,))
    assert rule("select", mask, L.array(I64, (2,)), L.scalar(F64)) == L.array(F64, (2,))
