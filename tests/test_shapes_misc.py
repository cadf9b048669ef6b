"""Shape rules of the intrinsics on types, tuples, structs, strings, I/O, ranges and random
numbers (lang/prims/misc.py, strings.py, ranges.py, random_numbers.py).

`ROWS` runs every rule against its reference evaluation through `shapecheck.check_rule`
(with and without constants); `FOLDS` pins down what the rules decide from types alone,
which is what lets compiled code resolve type queries, tuple lengths and shapes.
"""
from __future__ import annotations

import io
import math
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from shapecheck import check_rule  # noqa: E402

from lang import lattice as L, source, types as T  # noqa: E402
from lang.lattice import NO_CONST, AbstractValue  # noqa: E402
from lang.prims import PRIMITIVES  # noqa: E402
from lang.values import NamedTupleValue, StructValue, Symbol, UnitRange  # noqa: E402

FAMILY_MODULES = ("lang.prims.misc", "lang.prims.strings", "lang.prims.ranges",
                  "lang.prims.random_numbers")


def call(name, *args):
    return PRIMITIVES[name].impl(*args)


def apply(base, *params):
    return T.apply_type(base, params)


B = T.BUILTIN_TYPES
VECTOR_F64 = apply(B["Vector"], T.Float64)
VECTOR_INT = apply(B["Vector"], T.Int64)
MATRIX_F32 = apply(T.Array, T.Float32, 2)
UNITRANGE_INT = apply(T.UnitRangeType, T.Int64)
PAIR = apply(T.PairType, T.Int64, T.Float64)
PAIR_ARRAY = apply(T.PairType, T.Int64, VECTOR_F64)
A3 = np.array([1.0, 2.0, 3.0])
M23 = np.arange(6, dtype=np.float32).reshape(2, 3)
POINT = StructValue(PAIR, (1, 2.5))
POINT_ARRAY = StructValue(PAIR_ARRAY, (7, A3))
BOOM = StructValue(B["ErrorException"], ("boom",))
COLON = B["Colon"]
NT = NamedTupleValue(("a", "b"), (1, 2.0))
NT_ARRAY = NamedTupleValue(("x", "w"), (A3, "s"))
TUP = (1, 2.0, "s")
R15 = UnitRange(1, 5)
R_EMPTY = call("unitrange", 3, 1)
S_INT = call("steprange", 10, -3, 1)
S_FLOAT = call("steprange", 0, 0.1, 1)
S_QUARTER = call("steprange", 0.0, 0.25, 1.0)
SYM = Symbol
NAN = math.nan


ROWS = [
    # ---------------------------------------------------------------- types
    ("typeof", 1.0), ("typeof", np.float32(1)), ("typeof", T.Float64), ("typeof", B["Vector"]),
    ("typeof", T.make_union(T.Int64, T.Nothing)), ("typeof", A3), ("typeof", (1, "a")),
    ("typeof", None), ("typeof", R15), ("typeof", POINT), ("typeof", "text"),
    ("isa", 1.0, T.Real), ("isa", 1, T.AbstractFloat), ("isa", A3, T.AbstractArray),
    ("isa", T.Float64, T.DataTypeType), ("isa", T.Float64, T.TypeType), ("isa", None, T.Nothing),
    ("isa", (1, 2), T.TupleType), ("isa", 1, T.make_union(T.Int64, T.Nothing)),
    ("isa", "s", T.AbstractString), ("isa", R15, T.AbstractArray), ("isa", POINT, T.PairType),
    ("isa", T.Float64, T.Real), ("isa", B["Vector"], T.UnionAllType),
    ("issubtype", T.Int64, T.Real), ("issubtype", T.Real, T.Int64),
    ("issubtype", VECTOR_F64, B["AbstractVector"]),
    ("promote_type", T.Int64, T.Float32), ("promote_type", T.Int8, T.UInt8),
    ("promote_type", T.Nothing, T.Int64),
    ("typejoin", T.Int64, T.Float64), ("typejoin", VECTOR_INT, VECTOR_F64),
    ("apply_type", T.Array, T.Float32, 2), ("apply_type", B["Vector"], T.Int64),
    ("apply_type", T.TupleType, T.Int64, T.Float64),
    ("apply_type", T.UnionMeta, T.Int64, T.Nothing),
    ("apply_type", T.Float64, T.Int64),
    ("type_parameter", MATRIX_F32, 1), ("type_parameter", MATRIX_F32, 2),
    ("type_parameter", MATRIX_F32, 3), ("type_parameter", T.Float64, 1),
    ("fieldnames", PAIR), ("fieldnames", POINT), ("fieldnames", NT), ("fieldnames", (1, 2)),
    ("fieldnames", R15), ("fieldnames", S_FLOAT), ("fieldnames", 1.0), ("fieldnames", T.Float64),
    ("fieldnames", B["ErrorException"]), ("fieldnames", A3),
    ("nfields", POINT), ("nfields", NT), ("nfields", (1, 2, 3)), ("nfields", T.Float64),
    ("nfields", 1.0), ("nfields", S_INT), ("nfields", A3), ("nfields", BOOM),
    ("getfield", POINT, SYM("first")), ("getfield", POINT, 2), ("getfield", POINT, 3),
    ("getfield", POINT, 0), ("getfield", POINT, SYM("zz")), ("getfield", NT, SYM("a")),
    ("getfield", NT, SYM("q")), ("getfield", (1, A3), 2), ("getfield", R15, 2),
    ("getfield", S_FLOAT, SYM("step")), ("getfield", POINT, 1.5), ("getfield", POINT, "first"),
    ("getfield", POINT_ARRAY, 2), ("getfield", BOOM, SYM("msg")), ("getfield", 1.0, 1),
    ("getfield", POINT, np.int32(1)), ("getfield", POINT, True), ("getfield", NT_ARRAY, SYM("x")),
    ("getfield", POINT, T.Float64), ("getfield", (), SYM("a")),
    ("struct_new", PAIR, (1, 2.0)), ("struct_new", PAIR, (1,)),
    ("struct_new", B["ErrorException"], ("m",)),
    ("struct_new", COLON, ()), ("struct_new", PAIR_ARRAY, (1, A3)),
    ("isnothing", None), ("isnothing", 1), ("isnothing", ()), ("isnothing", T.Nothing),
    ("egal", 1, 1), ("egal", 1, 1.0), ("egal", 0.0, -0.0), ("egal", A3, A3.copy()),
    ("egal", T.Float64, T.Float64), ("egal", (1, 2), (1, 2)), ("egal", None, None),
    ("egal", "a", "b"), ("egal", POINT, POINT), ("egal", R15, UnitRange(1, 5)), ("egal", A3, 1.0),
    # ---------------------------------------------------------------- tuples
    ("tuple_getindex", TUP, 2), ("tuple_getindex", (1, A3), 2), ("tuple_getindex", TUP, 4),
    ("tuple_getindex", TUP, 0), ("tuple_getindex", TUP, 1.0), ("tuple_getindex", TUP, True),
    ("tuple_getindex", NT, 1), ("tuple_getindex", (), 1), ("tuple_getindex", (T.Float64, 2), 1),
    ("tuple_getindex", (M23,), np.int32(1)),
    ("tuple_length", (1, 2, 3)), ("tuple_length", ()), ("tuple_length", NT),
    ("tuple_length", (A3,)),
    ("tuple_concat", (1,), (2.0, "x")), ("tuple_concat", (), ()), ("tuple_concat", (A3,), (1,)),
    ("tuple_slice", TUP, 2, 3), ("tuple_slice", TUP, 3, 2), ("tuple_slice", TUP, 0, 1),
    ("tuple_slice", TUP, 2, 5), ("tuple_slice", (A3, 1, M23), 1, 2), ("tuple_slice", (), 1, 0),
    ("namedtuple_new", (SYM("a"), SYM("b")), (1, 2.0)), ("namedtuple_new", (SYM("a"),), (1, 2)),
    ("namedtuple_new", (SYM("a"),), (A3,)), ("namedtuple_new", (), ()),
    ("namedtuple_names", NT), ("namedtuple_names", NT_ARRAY),
    ("namedtuple_names", NamedTupleValue((), ())),
    ("namedtuple_values", NT), ("namedtuple_values", NT_ARRAY),
    ("throw", BOOM), ("throw", "plain"), ("throw", StructValue(B["BoundsError"], (A3, (4,)))),
    # ---------------------------------------------------------------- strings and symbols
    ("print_string", 1.5), ("print_string", "s"), ("print_string", SYM("k")),
    ("print_string", (1, "a")), ("print_string", A3), ("print_string", T.Float64),
    ("print_string", None), ("print_string", POINT),
    ("repr_string", 'a"b'), ("repr_string", np.float32(1)), ("repr_string", T.Float64),
    ("repr_string", M23),
    ("display_string", A3), ("display_string", 1), ("display_string", NT),
    ("string_concat", ("a", "bc")), ("string_concat", ()),
    ("string_length", "héllo"), ("string_length", ""),
    ("string_ncodeunits", "héllo"), ("string_ncodeunits", ""),
    ("string_slice", "hello", 2, 4), ("string_slice", "hello", 4, 3),
    ("string_slice", "hello", 0, 2),
    ("string_slice", "hello", 3, 3), ("string_slice", "hello", 4, 9),
    ("string_upper", "abC"), ("string_lower", "AbC"), ("string_strip", "  x y \n"),
    ("string_find", "hello", "l", 1), ("string_find", "hello", "z", 1),
    ("string_find", "hello", "l", 5),
    ("string_replace", "a-b-c", "-", "+"), ("string_replace", "abc", "z", "y"),
    ("string_split", "a b  c", None), ("string_split", "a,b,,c", ","), ("string_split", "", None),
    ("string_codepoint", "aé", 2), ("string_codepoint", "a", 2), ("string_codepoint", "a", 0),
    ("string_from_codepoint", 233), ("string_from_codepoint", 0x1F600),
    ("string_from_codepoint", 65),
    ("parse_number", T.Int64, "42"), ("parse_number", T.Float64, "1.5"),
    ("parse_number", T.Int64, "4x"), ("parse_number", T.Bool, "true"),
    ("parse_number", T.Float32, "2"), ("parse_number", T.String, "x"),
    ("parse_number", T.Int8, "300"), ("parse_number", T.UInt8, "0x1f"),
    ("parse_number", T.Float64, "nan"),
    ("symbol", "abc"), ("symbol", ""), ("symbol_name", SYM("abc")),
    # ---------------------------------------------------------------- I/O and time
    ("write_stdout", "out\n"), ("write_stdout", ""), ("write_stderr", "err\n"),
    ("flush_stdout",), ("time_ns",), ("isatty_stdout",),
    # ---------------------------------------------------------------- ranges
    ("unitrange", 1, 5), ("unitrange", 3, 1), ("unitrange", 1.0, 2), ("unitrange", np.int32(2), 4),
    ("unitrange", True, 3), ("unitrange", 1, None),
    ("steprange", 1, 2, 9), ("steprange", 10, -3, 1), ("steprange", 0, 0.1, 1),
    ("steprange", 1, 0, 5), ("steprange", 0.0, 0.25, 1.0), ("steprange", True, 1, 3),
    ("steprange", 1.0, NAN, 2.0), ("steprange", 1, 1, 0), ("steprange", 1, 0.0, 3),
    ("steprange", np.float32(0.5), 1, 3),
    ("linrange", 0, 1, 5), ("linrange", 0, 1, 1), ("linrange", 2.0, 2.0, 1), ("linrange", 0, 1, 0),
    ("linrange", 0, 1, -1), ("linrange", 0, 1, 2.0), ("linrange", 1, 0, 3),
    ("range_length", R15), ("range_length", R_EMPTY), ("range_length", S_INT),
    ("range_length", S_FLOAT), ("range_length", S_QUARTER),
    ("range_getindex", R15, 3), ("range_getindex", R15, 6), ("range_getindex", R15, 0),
    ("range_getindex", R15, 1.0), ("range_getindex", S_FLOAT, 4), ("range_getindex", S_INT, 2),
    ("range_getindex", S_QUARTER, 5), ("range_getindex", R_EMPTY, 1),
    ("range_collect", R15), ("range_collect", R_EMPTY), ("range_collect", S_INT),
    ("range_collect", S_FLOAT), ("range_collect", S_QUARTER),
    # ---------------------------------------------------------------- random numbers
    ("seed", 42),
    ("rand", T.Float64, ()), ("rand", T.Float32, (2, 3)), ("rand", T.Int8, (4,)),
    ("rand", T.Bool, ()), ("rand", T.String, ()), ("rand", T.Float64, 3),
    ("rand", T.Float64, (-1,)), ("rand", T.UInt16, (2, 2)), ("rand", T.Float16, (1,)),
    ("randn", T.Float64, (2,)), ("randn", T.Float32, ()), ("randn", T.Int64, (2,)),
    ("randn", T.Float64, (0, 3)),
    ("rand_int", 1, 6, ()), ("rand_int", 1, 6, (3, 2)), ("rand_int", 5, 1, ()),
    ("rand_int", 2, 2, 4),
    ("randperm", 5), ("randperm", 0),
]


def _row_id(row):
    return f"{row[0]}{tuple(row[1:])!r}"[:80]


@pytest.mark.parametrize("row", ROWS, ids=[_row_id(r) for r in ROWS])
def test_rule_agrees_with_evaluation(row):
    check_rule(row[0], *row[1:])


# ---------------------------------------------------------------- I/O needs files and streams
def test_io_rules(tmp_path, capsys, monkeypatch):
    path = tmp_path / "note.txt"
    check_rule("write_file", str(path), "héllo\n")
    rule = PRIMITIVES["write_file"].shape
    assert rule(L.of_value(str(path)), L.of_value("héllo\n")).const == 7   # bytes, not chars
    assert path.read_text(encoding="utf-8") == "héllo\n"
    check_rule("read_file", str(path))
    check_rule("read_file", str(tmp_path / "missing.txt"))          # SystemError
    check_rule("write_file", str(tmp_path / "no" / "dir.txt"), "x")  # SystemError
    monkeypatch.setattr(sys, "stdin", io.StringIO("first line\nsecond\n"))
    check_rule("read_stdin_line")
    check_rule("write_stdout", "shown\n")
    check_rule("write_stderr", "warned\n")
    out = capsys.readouterr()
    assert "shown" in out.out and "warned" in out.err


# ---------------------------------------------------------------- what the types alone decide
def av(t, shape=(), const=NO_CONST, parts=None):
    return AbstractValue(t, shape, const, parts)


def typ(t):
    """A type argument without its constant: `Type{t}` still names it."""
    return L.of_value(t, keep_const=False)


def const(v):
    return L.of_value(v)


TUPLE_IF = T.make_tuple_type((T.Int64, T.Float64))
VARARG_INT = T.make_tuple_type((T.Float64, T.VarargType(T.Int64)))

# (intrinsic, abstract arguments, expected: (type, shape, constant))
FOLDS = [
    ("typeof", (av(T.Float64),), (T.type_of_type(T.Float64), (), T.Float64)),
    ("typeof", (typ(T.Float64),), (T.type_of_type(T.DataTypeType), (), T.DataTypeType)),
    ("typeof", (av(VECTOR_F64, None),), (T.type_of_type(VECTOR_F64), (), VECTOR_F64)),
    ("isa", (av(T.Float64), typ(T.Real)), (T.Bool, (), True)),
    ("isa", (av(T.Int64), typ(T.AbstractFloat)), (T.Bool, (), False)),
    ("isa", (av(T.Integer), typ(T.AbstractFloat)), (T.Bool, (), False)),
    ("isa", (av(T.Real), typ(T.AbstractFloat)), (T.Bool, (), NO_CONST)),
    ("isa", (av(T.Real), typ(T.String)), (T.Bool, (), False)),
    ("isa", (av(VECTOR_F64, (3,)), typ(T.AbstractArray)), (T.Bool, (), True)),
    ("isa", (typ(T.Float64), typ(T.DataTypeType)), (T.Bool, (), True)),
    ("isa", (av(T.Float64), av(T.TypeType)), (T.Bool, (), NO_CONST)),
    ("issubtype", (typ(T.Int64), typ(T.Real)), (T.Bool, (), True)),
    ("promote_type", (typ(T.Int64), typ(T.Float32)), (T.type_of_type(T.Float32), (), T.Float32)),
    ("typejoin", (typ(T.Int64), typ(T.Float64)), (T.type_of_type(T.Real), (), T.Real)),
    ("apply_type", (typ(B["Vector"]), typ(T.Int64)),
     (T.type_of_type(VECTOR_INT), (), VECTOR_INT)),
    ("apply_type", (typ(T.Array), typ(T.Int64), av(T.Int64)), (T.TypeType, (), NO_CONST)),
    ("type_parameter", (typ(VECTOR_F64), const(1)), (T.type_of_type(T.Float64), (), T.Float64)),
    ("fieldnames", (av(PAIR),), (T.make_tuple_type((T.SymbolType,) * 2), (),
                                 (SYM("first"), SYM("second")))),
    ("nfields", (av(TUPLE_IF),), (T.Int64, (), 2)),
    ("nfields", (typ(PAIR),), (T.Int64, (), 0)),
    ("getfield", (av(PAIR), const(SYM("second"))), (T.Float64, (), NO_CONST)),
    ("getfield", (av(PAIR_ARRAY), const(2)), (VECTOR_F64, None, NO_CONST)),
    ("getfield", (av(PAIR_ARRAY, (), NO_CONST, (av(T.Int64), av(VECTOR_F64, (3,)))), const(2)),
     (VECTOR_F64, (3,), NO_CONST)),
    ("getfield", (av(UNITRANGE_INT), const(SYM("stop"))), (T.Int64, (), NO_CONST)),
    ("struct_new", (typ(PAIR), av(TUPLE_IF)), (PAIR, (), NO_CONST)),
    ("isnothing", (av(T.Int64),), (T.Bool, (), False)),
    ("isnothing", (av(T.Nothing),), (T.Bool, (), True)),
    ("isnothing", (av(T.make_union(T.Int64, T.Nothing)),), (T.Bool, (), NO_CONST)),
    ("egal", (av(T.Int64), av(T.Float64)), (T.Bool, (), False)),
    ("egal", (typ(T.Int64), typ(T.Int64)), (T.Bool, (), True)),
    ("tuple_length", (av(TUPLE_IF),), (T.Int64, (), 2)),
    ("tuple_length", (av(VARARG_INT),), (T.Int64, (), NO_CONST)),
    ("tuple_getindex", (av(TUPLE_IF), const(2)), (T.Float64, (), NO_CONST)),
    ("tuple_getindex", (av(TUPLE_IF), av(T.Int64)), (T.Real, None, NO_CONST)),
    ("tuple_getindex", (av(VARARG_INT), const(5)), (T.Int64, (), NO_CONST)),
    ("tuple_getindex", (L.of_value((1, A3), keep_const=False), const(2)),
     (VECTOR_F64, (3,), NO_CONST)),
    ("tuple_concat", (av(TUPLE_IF), av(T.make_tuple_type((T.String,)))),
     (T.make_tuple_type((T.Int64, T.Float64, T.String)), (), NO_CONST)),
    ("tuple_slice", (av(TUPLE_IF), const(2), const(2)),
     (T.make_tuple_type((T.Float64,)), (), NO_CONST)),
    ("namedtuple_names", (L.of_value(NT, keep_const=False),),
     (T.make_tuple_type((T.SymbolType,) * 2), (), (SYM("a"), SYM("b")))),
    ("namedtuple_new", (const((SYM("a"),)), av(T.make_tuple_type((T.Float64,)))),
     (T.namedtuple_type(["a"], [T.Float64]), (), NO_CONST)),
    ("throw", (av(T.String),), (T.Bottom, None, NO_CONST)),
    ("string_length", (const("héllo"),), (T.Int64, (), 5)),
    ("string_length", (av(T.String),), (T.Int64, (), NO_CONST)),
    ("symbol_name", (const(SYM("abc")),), (T.String, (), "abc")),
    ("print_string", (typ(T.Float64),), (T.String, (), "Float64")),
    ("string_split", (const("a b c"), const(None)), (apply(B["Vector"], T.String), (3,), NO_CONST)),
    ("string_split", (av(T.String), const(",")), (apply(B["Vector"], T.String), None, NO_CONST)),
    ("parse_number", (typ(T.Float32), av(T.String)), (T.Float32, (), NO_CONST)),
    ("write_stdout", (av(T.String),), (T.Nothing, (), None)),
    ("unitrange", (av(T.Int64), av(T.Int64)), (UNITRANGE_INT, (), NO_CONST)),
    ("unitrange", (const(1), const(4)), (UNITRANGE_INT, (), UnitRange(1, 4))),
    ("steprange", (av(T.Int64), const(2), av(T.Int64)),
     (apply(T.StepRangeType, T.Int64, T.Int64), (), NO_CONST)),
    ("steprange", (av(T.Int64), av(T.Float64), av(T.Int64)),
     (apply(T.StepRangeType, T.Float64, T.Float64), (), NO_CONST)),
    ("linrange", (av(T.Float64), av(T.Float64), av(T.Int64)),
     (apply(T.StepRangeType, T.Float64, T.Float64), (), NO_CONST)),
    ("range_length", (const(R15),), (T.Int64, (), 5)),
    ("range_getindex", (av(apply(T.StepRangeType, T.Float64, T.Float64)), av(T.Int64)),
     (T.Float64, (), NO_CONST)),
    ("range_collect", (const(R15),), (VECTOR_INT, (5,), NO_CONST)),
    ("range_collect", (const(S_FLOAT),), (VECTOR_F64, (11,), NO_CONST)),
    ("range_collect", (av(UNITRANGE_INT),), (VECTOR_INT, None, NO_CONST)),
    ("rand", (typ(T.Float32), const((2, 3))), (apply(T.Array, T.Float32, 2), (2, 3), NO_CONST)),
    ("rand", (typ(T.Float32), av(T.make_tuple_type((T.Int64, T.Int64)))),
     (apply(T.Array, T.Float32, 2), None, NO_CONST)),
    ("rand", (typ(T.Float64), const(())), (T.Float64, (), NO_CONST)),
    ("randn", (typ(T.Float64), av(T.Int64)), (VECTOR_F64, None, NO_CONST)),
    ("rand_int", (av(T.Int64), av(T.Int64), const((4,))), (VECTOR_INT, (4,), NO_CONST)),
    ("randperm", (const(6),), (VECTOR_INT, (6,), NO_CONST)),
]


@pytest.mark.parametrize("name,args,expected", FOLDS,
                         ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(FOLDS)])
def test_rule_decides(name, args, expected):
    out = PRIMITIVES[name].shape(*args)
    t, shape, value = expected
    assert T.type_equal(out.type, t), \
        f"{name}: type {T.show_type(out.type)}, expected {T.show_type(t)}"
    assert out.shape == shape, f"{name}: shape {out.shape}, expected {shape}"
    if value is NO_CONST:
        assert not out.is_const, f"{name}: unexpected constant {out.const!r}"
    else:
        assert out.is_const and L.contains(out, value), f"{name}: {out!r}, expected {value!r}"


# ---------------------------------------------------------------- errors the types decide
ERRORS = [
    ("getfield", (av(PAIR), av(T.Float64)), "TypeError"),
    ("getfield", (av(PAIR), const(3)), "BoundsError"),
    ("getfield", (av(PAIR), const(SYM("zz"))), "ErrorException"),
    ("tuple_getindex", (av(TUPLE_IF), const(3)), "BoundsError"),
    ("tuple_slice", (av(TUPLE_IF), const(1), const(3)), "BoundsError"),
    ("struct_new", (typ(PAIR), av(T.make_tuple_type((T.Int64,)))), "ArgumentError"),
    ("namedtuple_new", (const((SYM("a"),)), av(TUPLE_IF)), "ArgumentError"),
    ("unitrange", (av(T.Float64), av(T.Int64)), "ArgumentError"),
    ("steprange", (av(T.Int64), const(0), av(T.Int64)), "ArgumentError"),
    ("linrange", (av(T.Float64), av(T.Float64), const(-2)), "ArgumentError"),
    ("rand", (typ(T.String), av(T.make_tuple_type(()))), "ArgumentError"),
    ("randn", (typ(T.Int64), const((2,))), "ArgumentError"),
    ("rand", (typ(T.Float64), const((-1, 2))), "ArgumentError"),
    ("rand_int", (const(3), const(1), av(T.Int64)), "ArgumentError"),
]


@pytest.mark.parametrize("name,args,kind", ERRORS,
                         ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(ERRORS)])
def test_rule_raises_decided_errors(name, args, kind):
    with pytest.raises(source.ArrError) as info:
        PRIMITIVES[name].shape(*args)
    assert info.value.kind == kind


def test_typeof_of_an_abstract_type_is_bounded():
    out = PRIMITIVES["typeof"].shape(av(T.Real))
    assert L.contains(out, T.Int64) and L.contains(out, T.Float32)
    assert not L.contains(out, T.String) and not out.is_const
    # a value of type Any may be a type itself, whose typeof is DataType
    assert L.contains(PRIMITIVES["typeof"].shape(av(T.ANY)), T.DataTypeType)


def test_bounds_message_from_type_matches_evaluation():
    with pytest.raises(source.ArrError) as by_type:
        PRIMITIVES["tuple_getindex"].shape(av(TUPLE_IF), const(3))
    with pytest.raises(source.ArrError) as by_value:
        call("tuple_getindex", (1, 2.0), 3)
    assert by_type.value.message == by_value.value.message


# ---------------------------------------------------------------- the table is complete
def _family_primitives():
    return sorted(p.name for p in PRIMITIVES.values() if p.impl.__module__ in FAMILY_MODULES)


def test_every_family_intrinsic_has_a_shape_rule():
    names = _family_primitives()
    assert len(names) > 50
    missing = [n for n in names if PRIMITIVES[n].shape is None]
    assert not missing, f"intrinsics without a shape rule: {missing}"


def test_every_family_intrinsic_is_checked():
    checked = {row[0] for row in ROWS} | {"read_file", "write_file", "read_stdin_line"}
    unchecked = [n for n in _family_primitives() if n not in checked]
    assert not unchecked, f"intrinsics without a check_rule row: {unchecked}"
