"""Value printing (`lang/display.py`) against Julia 1.10's output, table-driven.

Each row is a value and what Julia prints for it with `print` (`print_string`), `show` /
`repr` (`repr_string`) and the REPL (`display_string`; `None` in a row means "same as
repr").  Arr arrays are numpy arrays whose `[i, j]` is numpy's `[i-1, j-1]`, so the numpy
literal `[[1, 2], [3, 4]]` is the Arr matrix `[1 2; 3 4]`.
"""
from __future__ import annotations

import time

import numpy as np
import pytest

from lang.display import display_string, format_float, print_string, repr_string
from lang.values import NamedTupleValue, StepRange, Symbol, UnitRange

f32, f16 = np.float32, np.float16


# ------------------------------------------------------------------ floats: Ryu shortest
FLOATS = [  # value, show, show with :compact => true (matrix cells)
    (0.1 + 0.2, "0.30000000000000004", "0.3"),
    (1.0, "1.0", "1.0"),
    (-0.0, "-0.0", "-0.0"),
    (0.0001, "0.0001", "0.0001"),
    (0.00001, "1.0e-5", "1.0e-5"),
    (0.00012345, "0.00012345", "0.00012345"),
    (100000.0, "100000.0", "100000.0"),
    (123456.0, "123456.0", "123456.0"),
    (1e6, "1.0e6", "1.0e6"),
    (1234567.0, "1.234567e6", "1.23457e6"),
    (1e16, "1.0e16", "1.0e16"),
    (1e20, "1.0e20", "1.0e20"),
    (1.2345e-7, "1.2345e-7", "1.2345e-7"),
    (12345.678, "12345.678", "12345.7"),
    (1 / 3, "0.3333333333333333", "0.333333"),
    (2 / 3, "0.6666666666666666", "0.666667"),
    (123456.5, "123456.5", "123456.0"),        # exact tie: half-even
    (999999.5, "999999.5", "1.0e6"),           # rounds up across a power of ten
    (-2.5e-300, "-2.5e-300", "-2.5e-300"),
    (5e-324, "5.0e-324", "5.0e-324"),
    (1.7976931348623157e308, "1.7976931348623157e308", "1.79769e308"),
    (float("inf"), "Inf", "Inf"),
    (float("-inf"), "-Inf", "-Inf"),
    (float("nan"), "NaN", "NaN"),
]


@pytest.mark.parametrize("x, shown, compact", FLOATS)
def test_float64(x: float, shown: str, compact: str) -> None:
    assert format_float(x) == shown
    assert format_float(x, compact=True) == compact
    assert repr_string(x) == print_string(x) == display_string(x) == shown


SMALL_FLOATS = [  # value, print, show / repr
    (f32(0.1), "0.1", "0.1f0"),
    (f32(1.0), "1.0", "1.0f0"),
    (f32(-0.0), "-0.0", "-0.0f0"),
    (f32(1 / 3), "0.33333334", "0.33333334f0"),
    (f32(1e-5), "1.0e-5", "1.0f-5"),
    (f32(1e6), "1.0e6", "1.0f6"),
    (f32(100000), "100000.0", "100000.0f0"),
    (f32("nan"), "NaN", "NaN32"),
    (f32("-inf"), "-Inf", "-Inf32"),
    (f16(1.0), "1.0", "Float16(1.0)"),
    (f16(0.0), "0.0", "Float16(0.0)"),
    (f16(-0.1), "-0.1", "Float16(-0.1)"),
    (f16(100), "100.0", "Float16(100.0)"),
    (f16(1000), "1.0e3", "Float16(1.0e3)"),
    (f16("inf"), "Inf", "Inf16"),
]


@pytest.mark.parametrize("x, printed, shown", SMALL_FLOATS)
def test_float32_float16(x: np.floating, printed: str, shown: str) -> None:
    assert print_string(x) == printed
    assert repr_string(x) == display_string(x) == shown


# ------------------------------------------------------------------ everything else
NL = "\n"
CASES = [  # value, print, repr, display (None: same as repr)
    # scalars
    (1, "1", "1", None),
    (-42, "-42", "-42", None),
    (np.int32(3), "3", "3", None),
    (np.int8(-3), "-3", "-3", None),
    (np.uint8(1), "1", "0x01", None),
    (np.uint32(255), "255", "0x000000ff", None),
    (True, "true", "true", None),
    (False, "false", "false", None),
    (None, "nothing", "nothing", ""),
    # strings and symbols
    ("abc", "abc", '"abc"', None),
    ('say "hi"\n', 'say "hi"\n', '"say \\"hi\\"\\n"', None),
    ("a\\b$c\t\x01\x7fé", "a\\b$c\t\x01\x7fé", '"a\\\\b\\$c\\t\\x01\\x7fé"', None),
    ("\0" + "1", "\x001", '"\\x001"', None),
    (Symbol("a"), "a", ":a", None),
    (Symbol("+"), "+", ":+", None),
    (Symbol("=="), "==", ":(==)", None),
    (Symbol("a b"), "a b", 'Symbol("a b")', None),
    # tuples and named tuples
    ((1, 2.5), "(1, 2.5)", "(1, 2.5)", None),
    ((1,), "(1,)", "(1,)", None),
    ((), "()", "()", None),
    ((f32(1), "a", Symbol("s"), None), '(1.0f0, "a", :s, nothing)',
     '(1.0f0, "a", :s, nothing)', None),
    ((True, np.uint8(2)), "(true, 0x02)", "(true, 0x02)", None),
    (((1, 2), (3.0,)), "((1, 2), (3.0,))", "((1, 2), (3.0,))", None),
    (NamedTupleValue(("a", "b"), (1, 2.0)), "(a = 1, b = 2.0)", "(a = 1, b = 2.0)", None),
    (NamedTupleValue(("a",), (1,)), "(a = 1,)", "(a = 1,)", None),
    (NamedTupleValue((), ()), "NamedTuple()", "NamedTuple()", None),
    (NamedTupleValue(("x",), (f32(2),)), "(x = 2.0f0,)", "(x = 2.0f0,)", None),
    # ranges
    (UnitRange(1, 3), "1:3", "1:3", None),
    (UnitRange(1, 0), "1:0", "1:0", None),
    (StepRange(1, 2, 9), "1:2:9", "1:2:9", None),
    (StepRange(10, -3, 1), "10:-3:1", "10:-3:1", None),
    (UnitRange(1.0, 3.0), "1.0:1.0:3.0", "1.0:1.0:3.0", None),
    (StepRange(0.0, 0.5, 2.0), "0.0:0.5:2.0", "0.0:0.5:2.0", None),
    # vectors
    (np.array([1.0, 2.0]), "[1.0, 2.0]", "[1.0, 2.0]",
     "2-element Vector{Float64}:\n 1.0\n 2.0"),
    (np.array([1, 2]), "[1, 2]", "[1, 2]", "2-element Vector{Int64}:\n 1\n 2"),
    (np.array([0.1 + 0.2]), "[0.30000000000000004]", "[0.30000000000000004]",
     "1-element Vector{Float64}:\n 0.30000000000000004"),
    (np.array([1.0, 10.5, 100.25]), "[1.0, 10.5, 100.25]", "[1.0, 10.5, 100.25]",
     "3-element Vector{Float64}:\n   1.0\n  10.5\n 100.25"),
    (np.array([-1.5, 2.0, 1e-5]), "[-1.5, 2.0, 1.0e-5]", "[-1.5, 2.0, 1.0e-5]",
     "3-element Vector{Float64}:\n -1.5\n  2.0\n  1.0e-5"),
    (np.array([1.0, np.inf, np.nan]), "[1.0, Inf, NaN]", "[1.0, Inf, NaN]",
     "3-element Vector{Float64}:\n   1.0\n  Inf\n NaN"),
    (np.array([1, 2], dtype=np.float32), "Float32[1.0, 2.0]", "Float32[1.0, 2.0]",
     "2-element Vector{Float32}:\n 1.0\n 2.0"),
    (np.array([1e-5, 0.5], dtype=np.float32), "Float32[1.0f-5, 0.5]", "Float32[1.0f-5, 0.5]",
     "2-element Vector{Float32}:\n 1.0f-5\n 0.5"),
    (np.array([1, 2], dtype=np.float16), "Float16[1.0, 2.0]", "Float16[1.0, 2.0]",
     "2-element Vector{Float16}:\n 1.0\n 2.0"),
    (np.array([1, -20], dtype=np.int32), "Int32[1, -20]", "Int32[1, -20]",
     "2-element Vector{Int32}:\n   1\n -20"),
    (np.array([1, 255], dtype=np.uint8), "UInt8[0x01, 0xff]", "UInt8[0x01, 0xff]",
     "2-element Vector{UInt8}:\n 0x01\n 0xff"),
    (np.array([True, False]), "Bool[1, 0]", "Bool[1, 0]", "2-element Vector{Bool}:\n 1\n 0"),
    (np.array([], dtype=np.int64), "Int64[]", "Int64[]", "Int64[]"),
    (np.array([], dtype=np.float64), "Float64[]", "Float64[]", "Float64[]"),
    (np.array([], dtype=np.float32), "Float32[]", "Float32[]", "Float32[]"),
    # matrices
    (np.array([[1, 2], [3, 4]]), "[1 2; 3 4]", "[1 2; 3 4]",
     "2×2 Matrix{Int64}:\n 1  2\n 3  4"),
    (np.array([[1.0, 2.0], [3.0, 4.0]]), "[1.0 2.0; 3.0 4.0]", "[1.0 2.0; 3.0 4.0]",
     "2×2 Matrix{Float64}:\n 1.0  2.0\n 3.0  4.0"),
    (np.array([[1, -20, 3]]), "[1 -20 3]", "[1 -20 3]", "1×3 Matrix{Int64}:\n 1  -20  3"),
    (np.array([[1], [2]]), "[1; 2;;]", "[1; 2;;]", "2×1 Matrix{Int64}:\n 1\n 2"),
    (np.array([[1 / 3, 2.0], [1e-5, 1e6]]), "[0.3333333333333333 2.0; 1.0e-5 1.0e6]",
     "[0.3333333333333333 2.0; 1.0e-5 1.0e6]",
     "2×2 Matrix{Float64}:\n 0.333333  2.0\n 1.0e-5    1.0e6"),
    (np.array([[1.5, -2.25], [10.0, 3.0]]), "[1.5 -2.25; 10.0 3.0]", "[1.5 -2.25; 10.0 3.0]",
     "2×2 Matrix{Float64}:\n  1.5  -2.25\n 10.0   3.0"),
    (np.array([[1, 2]], dtype=np.float32), "Float32[1.0 2.0]", "Float32[1.0 2.0]",
     "1×2 Matrix{Float32}:\n 1.0  2.0"),
    (np.array([[True, False], [False, True]]), "Bool[1 0; 0 1]", "Bool[1 0; 0 1]",
     "2×2 Matrix{Bool}:\n 1  0\n 0  1"),
    (np.zeros((0, 3)), "Matrix{Float64}(undef, 0, 3)", "Matrix{Float64}(undef, 0, 3)",
     "0×3 Matrix{Float64}"),
    # N-d arrays: the slice [:, :, k] is numpy's a[:, :, k-1]
    (np.arange(1, 9).reshape(2, 2, 2), "[1 3; 5 7;;; 2 4; 6 8]", "[1 3; 5 7;;; 2 4; 6 8]",
     "2×2×2 Array{Int64, 3}:\n[:, :, 1] =\n 1  3\n 5  7\n\n[:, :, 2] =\n 2  4\n 6  8"),
    (np.ones((1, 2, 1), dtype=np.float32), "Float32[1.0 1.0;;;]", "Float32[1.0 1.0;;;]",
     "1×2×1 Array{Float32, 3}:\n[:, :, 1] =\n 1.0  1.0"),
    (np.arange(4).reshape(1, 1, 2, 2), "[0;;; 2;;;; 1;;; 3]", "[0;;; 2;;;; 1;;; 3]",
     "1×1×2×2 Array{Int64, 4}:\n[:, :, 1, 1] =\n 0\n\n[:, :, 2, 1] =\n 2\n\n"
     "[:, :, 1, 2] =\n 1\n\n[:, :, 2, 2] =\n 3"),
    (np.zeros((0, 2, 2)), "Array{Float64, 3}(undef, 0, 2, 2)",
     "Array{Float64, 3}(undef, 0, 2, 2)", "0×2×2 Array{Float64, 3}"),
]


@pytest.mark.parametrize("value, printed, shown, displayed", CASES,
                         ids=[f"{i}-{type(c[0]).__name__}" for i, c in enumerate(CASES)])
def test_print_repr_display(value, printed: str, shown: str, displayed: str | None) -> None:
    assert print_string(value) == printed
    assert repr_string(value) == shown
    assert display_string(value) == (shown if displayed is None else displayed)


# ------------------------------------------------------------------ REPL elision
def test_long_vector_shows_head_vdots_tail() -> None:
    lines = display_string(np.arange(1, 101)).split("\n")
    assert lines[0] == "100-element Vector{Int64}:"
    assert lines[1:11] == [f"{i:>4}" for i in range(1, 11)]
    assert lines[11] == "   ⋮"
    assert lines[12:] == [f"{i:>4}" for i in range(92, 101)]


def test_long_float_vector_aligns_shown_rows_only() -> None:
    v = np.arange(1, 31, dtype=np.float64)
    v[15] = 12345.5                                 # hidden: does not widen the column
    lines = display_string(v).split("\n")
    assert lines[1] == "  1.0" and lines[11] == "  ⋮" and lines[-1] == " 30.0"
    assert len(lines) == 1 + 10 + 1 + 9


def test_vector_of_20_rows_is_not_elided() -> None:
    assert display_string(np.arange(20)).count("\n") == 20


def test_wide_matrix_elides_columns() -> None:
    m = np.arange(1, 91).reshape(30, 3).T            # Arr's reshape(1:90, 3, 30)
    assert display_string(m) == NL.join([
        "3×30 Matrix{Int64}:",
        " 1  4  7  10  13  16  19  22  25  28  …  64  67  70  73  76  79  82  85  88",
        " 2  5  8  11  14  17  20  23  26  29     65  68  71  74  77  80  83  86  89",
        " 3  6  9  12  15  18  21  24  27  30     66  69  72  75  78  81  84  87  90"])


def test_tall_matrix_vdots_line() -> None:
    m = np.arange(1, 101, dtype=np.float64).reshape(4, 25).T
    lines = display_string(m).split("\n")
    assert lines[0] == "25×4 Matrix{Float64}:"
    assert lines[1] == "  1.0  26.0  51.0   76.0"
    assert lines[11] == "  ⋮                "     # Julia pads the columns it skips
    assert lines[-1] == " 25.0  50.0  75.0  100.0"


def test_big_matrix_uses_all_three_ellipses() -> None:
    lines = display_string(np.arange(1, 3001).reshape(100, 30)).split("\n")
    assert lines[1] == "    1     2     3     4     5     6  …    25    26    27    28    29    30"
    assert lines[6].startswith("  151   152   153   154   155   156  …")
    assert lines[7].startswith("  181   182   183   184   185   186     ")
    assert lines[11] == "    ⋮                             ⋮  ⋱           ⋮                    "
    assert len(lines) == 1 + 19 + 1


def test_many_slices_are_elided() -> None:
    out = display_string(np.zeros((1, 1, 12), dtype=np.int64))
    assert "[:, :, 3] =" in out and "...\n\n" in out and "[:, :, 10] =" in out
    assert "[:, :, 4] =" not in out and "[:, :, 9] =" not in out


def test_println_never_elides() -> None:
    assert print_string(np.arange(30)) == "[" + ", ".join(map(str, range(30))) + "]"


def test_nested_arrays_elide_inside_display_only() -> None:
    inner = np.arange(25)
    assert repr_string((inner,)) == "(" + print_string(inner) + ",)"
    assert display_string((inner,)) == \
        "([0, 1, 2, 3, 4, 5, 6, 7, 8, 9  …  15, 16, 17, 18, 19, 20, 21, 22, 23, 24],)"
    m = np.arange(36).reshape(6, 6)
    assert display_string((m,)) == "([0 1 … 4 5; 6 7 … 10 11; … ; 24 25 … 28 29; 30 31 … 34 35],)"


def test_printing_is_fast() -> None:
    v = np.random.default_rng(0).random(100_000)
    start = time.perf_counter()
    s = print_string(v)
    display_string(v)
    display_string(v.reshape(1000, 100))
    assert time.perf_counter() - start < 2.0
    assert s.count(",") == 99_999


# ------------------------------------------------------------------ structs, functions, types
def _typed_cases() -> list[tuple]:
    """Cases that need `types.py` (struct types, functions, object arrays)."""
    from lang import dispatch, types as T
    from lang.values import StructValue, obj_array

    point = T.new_struct_type("Point", (), None, ("x", "y"), (T.Float64, T.Float64))
    duo = T.new_struct_type("Duo", ("T",), None, ("a", "b"), ("T", "T"))
    duo_int = T.apply_type(duo, (T.Int64,))
    foo = T.new_struct_type("Foo", (), None, ("s", "f"), (None, None))
    empty = T.new_struct_type("Empty", (), None, (), ())
    err = T.BUILTIN_TYPES["ErrorException"]
    pair = T.apply_type(T.PairType, (T.Int64, T.String))
    p = StructValue(point, (1.0, 2.0))
    sin = dispatch.GenericFunction("sin")
    tup = T.make_tuple_type((T.Float32, T.Int64))
    vec32 = T.apply_type(T.ARRAY_TN.wrapper, (T.Float32, 1))
    nt_type = T.namedtuple_type(("a",), (T.Int64,))
    any_vec = obj_array([1, "a", f32(2.5)], T.ANY)
    return [
        (p, "Point(1.0, 2.0)", "Point(1.0, 2.0)", None),
        (StructValue(duo_int, (1, 2)), "Duo{Int64}(1, 2)", "Duo{Int64}(1, 2)", None),
        (StructValue(foo, ("a", f32(1))), 'Foo("a", 1.0f0)', 'Foo("a", 1.0f0)', None),
        (StructValue(foo, (True, (f32(1),))), "Foo(true, (1.0f0,))", "Foo(true, (1.0f0,))",
         None),
        (StructValue(empty, ()), "Empty()", "Empty()", None),
        (StructValue(err, ("boom",)), 'ErrorException("boom")', 'ErrorException("boom")', None),
        (StructValue(pair, (1, "a")), '1 => "a"', '1 => "a"', None),
        (obj_array([p, p], point), "Point[Point(1.0, 2.0), Point(1.0, 2.0)]",
         "Point[Point(1.0, 2.0), Point(1.0, 2.0)]",
         "2-element Vector{Point}:\n Point(1.0, 2.0)\n Point(1.0, 2.0)"),
        (obj_array([StructValue(empty, ())] * 2, empty), "[Empty(), Empty()]",
         "[Empty(), Empty()]", "2-element Vector{Empty}:\n Empty()\n Empty()"),
        (obj_array(["a", "bb"], T.String), '["a", "bb"]', '["a", "bb"]',
         '2-element Vector{String}:\n "a"\n "bb"'),
        (obj_array([Symbol("a")], T.SymbolType), "[:a]", "[:a]", "1-element Vector{Symbol}:\n :a"),
        (any_vec, 'Any[1, "a", 2.5f0]', 'Any[1, "a", 2.5f0]',
         '3-element Vector{Any}:\n 1\n  "a"\n 2.5f0'),
        (obj_array([], T.ANY), "Any[]", "Any[]", "Any[]"),
        (obj_array([], T.String), "String[]", "String[]", "String[]"),
        (obj_array([(1, 2.0), (3, 4.0)], T.make_tuple_type((T.Int64, T.Float64))),
         "[(1, 2.0), (3, 4.0)]", "[(1, 2.0), (3, 4.0)]",
         "2-element Vector{Tuple{Int64, Float64}}:\n (1, 2.0)\n (3, 4.0)"),
        (obj_array([(f32(1), 2)], tup), "Tuple{Float32, Int64}[(1.0, 2)]",
         "Tuple{Float32, Int64}[(1.0, 2)]",
         "1-element Vector{Tuple{Float32, Int64}}:\n (1.0, 2)"),
        (obj_array([np.array([1.0], dtype=np.float32)], vec32), "Vector{Float32}[[1.0]]",
         "Vector{Float32}[[1.0]]", "1-element Vector{Vector{Float32}}:\n [1.0]"),
        (obj_array([np.array([1.0]), np.array([2.0, 3.0])],
                   T.apply_type(T.ARRAY_TN.wrapper, (T.Float64, 1))),
         "[[1.0], [2.0, 3.0]]", "[[1.0], [2.0, 3.0]]",
         "2-element Vector{Vector{Float64}}:\n [1.0]\n [2.0, 3.0]"),
        (obj_array([np.array([], dtype=np.float64)],
                   T.apply_type(T.ARRAY_TN.wrapper, (T.Float64, 1))),
         "[Float64[]]", "[Float64[]]", "1-element Vector{Vector{Float64}}:\n []"),
        (obj_array([NamedTupleValue(("a",), (1,))], nt_type), None, None, None),
        (obj_array([None, 1], T.make_union(T.Nothing, T.Int64)), "Union{Nothing, Int64}[nothing, 1]",
         "Union{Nothing, Int64}[nothing, 1]",
         "2-element Vector{Union{Nothing, Int64}}:\n  nothing\n 1"),
        (sin, "sin", "sin", "sin (generic function with 0 methods)"),
        (T.typeof(sin), "typeof(sin)", "typeof(sin)", None),
        (obj_array([sin], T.typeof(sin)), "[sin]", "[sin]",
         "1-element Vector{typeof(sin)}:\n sin (generic function with 0 methods)"),
        (T.Float32, "Float32", "Float32", None),
        (T.apply_type(T.ARRAY_TN.wrapper, (T.Float64, 1)), "Vector{Float64}", "Vector{Float64}",
         "Vector{Float64} (alias for Array{Float64, 1})"),
        (T.BUILTIN_TYPES["Matrix"], "Matrix", "Matrix", "Matrix (alias for Array{T, 2} where T)"),
        (obj_array([p, p, p, p], point, (2, 2)),
         "Point[Point(1.0, 2.0) Point(1.0, 2.0); Point(1.0, 2.0) Point(1.0, 2.0)]",
         "Point[Point(1.0, 2.0) Point(1.0, 2.0); Point(1.0, 2.0) Point(1.0, 2.0)]",
         "2×2 Matrix{Point}:\n Point(1.0, 2.0)  Point(1.0, 2.0)\n Point(1.0, 2.0)  Point(1.0, 2.0)"),
        (obj_array([StructValue(point, (1 / 3, 2.0))] * 2, point, (1, 2)),
         "Point[Point(0.3333333333333333, 2.0) Point(0.3333333333333333, 2.0)]",
         "Point[Point(0.3333333333333333, 2.0) Point(0.3333333333333333, 2.0)]",
         "1×2 Matrix{Point}:\n Point(0.333333, 2.0)  Point(0.333333, 2.0)"),
    ]


def test_structs_functions_and_object_arrays() -> None:
    pytest.importorskip("lang.types")
    for value, printed, shown, displayed in _typed_cases():
        if printed is None:      # NamedTuple element types: only check it prints at all
            assert repr_string(value).endswith("[(a = 1,)]")
            continue
        assert print_string(value) == printed, repr_string(value)
        assert repr_string(value) == shown
        assert display_string(value) == (shown if displayed is None else displayed)


def test_closures_print_as_anonymous_functions() -> None:
    pytest.importorskip("lang.interp")
    from lang.interp import Closure

    class Info:
        name = "#3#4"
    c = Closure.__new__(Closure)
    c.info, c.captures, c.arr_type, c.name = Info(), (), None, "#3#4"
    assert print_string(c) == repr_string(c) == "#3"
    assert display_string(c) == "#3 (generic function with 1 method)"
    c.name = "anonymous"
    assert print_string(c) == "#anonymous"


def test_repl_elides_huge_strings_only() -> None:
    assert display_string("x" * 13438) == repr_string("x" * 13438)
    out = display_string("a" * 20000)
    assert out == '"' + "a" * 6710 + '" ⋯ 6580 bytes ⋯ "' + "a" * 6710 + '"'
    assert print_string("a" * 20000) == "a" * 20000
    assert repr_string("a" * 20000) == '"' + "a" * 20000 + '"'
