"""Table-driven tests of lang.types: subtyping, typeof, type application, printing, promotion."""
from __future__ import annotations

import pickle

import numpy as np
import pytest

from lang import source, types as T
from lang import values as V
from lang.dispatch import GenericFunction, parse_type
from lang.types import ANY, BUILTIN_TYPES, apply_type, issubtype, show_type, typeof

B = BUILTIN_TYPES


def ty(text: str) -> object:
    return parse_type(text)


# ----------------------------------------------------------------------------- subtyping
SUBTYPE_CASES = [
    # numbers
    ("Int64", "Real", True),
    ("Int64", "Float64", False),
    ("Bool", "Integer", True),
    ("Bool", "Signed", False),
    ("UInt8", "Unsigned", True),
    ("Float16", "AbstractFloat", True),
    ("BFloat16", "AbstractFloat", True),
    ("Float32", "Integer", False),
    ("Any", "Int64", False),
    ("Int64", "Any", True),
    ("Union{}", "Int64", True),
    ("Int64", "Union{}", False),
    ("Union{}", "Union{}", True),
    ("String", "AbstractString", True),
    ("Symbol", "AbstractString", False),
    # arrays: invariant parameters
    ("Vector{Int64}", "Vector{Real}", False),
    ("Vector{Int64}", "Vector{Int64}", True),
    ("Vector{Int64}", "Vector{<:Real}", True),
    ("Vector{Int64}", "AbstractVector{<:Real}", True),
    ("Vector{String}", "AbstractVector{<:Real}", False),
    ("Vector{Int64}", "Vector", True),
    ("Vector{Int64}", "Array", True),
    ("Vector", "AbstractVector", True),
    ("AbstractVector", "Vector", False),
    ("Matrix{Float32}", "AbstractVector", False),
    ("Matrix{Float32}", "AbstractArray{Float32}", True),
    ("Matrix{Float32}", "AbstractArray{Float64}", False),
    ("Array{Float32, 2}", "Matrix{Float32}", True),
    ("Array{Float64, 3}", "AbstractArray{T, N} where {T, N}", True),
    ("Array{Float64, 3}", "AbstractArray{T, 2} where T", False),
    ("Vector{Float64}", "AbstractArray{T, 1} where T<:AbstractFloat", True),
    ("Vector{Vector{Int64}}", "Vector{Vector{<:Real}}", False),
    ("Vector{Vector{Int64}}", "Vector{<:Vector{<:Real}}", True),
    ("Vector{Vector}", "Vector{Vector{T}} where T", False),
    ("AbstractArray{T} where T<:Real", "AbstractArray", True),
    ("AbstractArray", "AbstractArray{T} where T<:Real", False),
    ("Vector{T} where T<:Integer", "Vector{T} where T<:Real", True),
    ("Vector{T} where T<:Real", "Vector{T} where T<:Integer", False),
    # ranges
    ("UnitRange{Int64}", "AbstractVector{Int64}", True),
    ("UnitRange{Int64}", "AbstractRange{Int64}", True),
    ("UnitRange{Int64}", "AbstractVector{<:Integer}", True),
    ("UnitRange{Int64}", "Vector{Int64}", False),
    ("StepRange{Float64, Float64}", "AbstractVector{Float64}", True),
    ("StepRange{Int64, Int64}", "AbstractRange", True),
    # tuples: covariant, variadic
    ("Tuple{Int64, Float64}", "Tuple{Real, Real}", True),
    ("Tuple{Int64, Float64}", "Tuple{Real}", False),
    ("Tuple{Int64, Float64}", "Tuple", True),
    ("Tuple{}", "Tuple", True),
    ("Tuple{Int64, Int64}", "Tuple{Vararg{Int64}}", True),
    ("Tuple{Int64, Float64}", "Tuple{Vararg{Int64}}", False),
    ("Tuple{Int64, Float64}", "Tuple{Int64, Vararg{Any}}", True),
    ("Tuple{}", "Tuple{Int64, Vararg{Any}}", False),
    ("Tuple{Vararg{Int64}}", "Tuple{Vararg{Real}}", True),
    ("Tuple{Vararg{Int64}}", "Tuple{Int64, Vararg{Int64}}", False),
    ("Tuple{Int64, Vararg{Int64}}", "Tuple{Vararg{Int64}}", True),
    ("Tuple{Vararg{Int64}}", "Tuple{Int64, Int64}", False),
    ("Tuple{Int64, Int64, Int64}", "NTuple{3, Int64}", True),
    ("Tuple{Int64, Int64}", "NTuple{3, Int64}", False),
    ("Tuple{Int64, Int64}", "NTuple{N, Int64} where N", True),
    ("Tuple{Int64, Int64}", "Tuple{Vararg{Int64, N}} where N", True),
    # where-types and the diagonal rule
    ("Tuple{Int64, Int64}", "Tuple{T, T} where T", True),
    ("Tuple{Int64, Float64}", "Tuple{T, T} where T", False),
    ("Tuple{Real, Real}", "Tuple{T, T} where T", False),
    ("Tuple{T, T} where T", "Tuple{S, S} where S", True),
    ("Tuple{Int64, Vector{Int64}}", "Tuple{T, Vector{T}} where T", True),
    ("Tuple{Int64, Vector{Real}}", "Tuple{T, Vector{T}} where T", True),
    ("Tuple{Float64, Vector{Int64}}", "Tuple{T, Vector{T}} where T", False),
    ("Int64", "T where T", True),
    # unions
    ("Union{Int64, Float64}", "Real", True),
    ("Union{Int64, String}", "Real", False),
    ("Int64", "Union{Int64, String}", True),
    ("Union{Int64, Nothing}", "Union{Nothing, Integer}", True),
    ("Union{Vector{Int64}, Vector{Float64}}", "Vector{T} where T", True),
    ("Vector{T} where T", "Union{Vector{Int64}, Vector{Float64}}", False),
    ("Nothing", "Union{Nothing, T} where T", True),
    # Type{T} and kinds
    ("Type{Float32}", "Type", True),
    ("Type{Float32}", "DataType", True),
    ("Type{Float32}", "Type{<:AbstractFloat}", True),
    ("Type{Int64}", "Type{<:AbstractFloat}", False),
    ("Type{Float32}", "Type{Float64}", False),
    ("Type{Vector}", "UnionAll", True),
    ("Type{Vector}", "DataType", False),
    ("Type{Vector}", "Type{Array{T, 1} where T}", True),
    ("Type{Union{Int64, Nothing}}", "Union", True),
    ("DataType", "Type", True),
    ("DataType", "Type{Int64}", False),
    ("Float32", "Type{Float32}", False),
    # named tuples, pairs, exceptions
    ("NamedTuple{(:a, :b), Tuple{Int64, Int64}}", "NamedTuple", True),
    ("NamedTuple{(:a, :b), Tuple{Int64, Int64}}", "NamedTuple{(:a, :b)}", True),
    ("NamedTuple{(:a, :b), Tuple{Int64, Int64}}", "NamedTuple{(:a,)}", False),
    ("NamedTuple{(:a,), Tuple{Int64}}", "NamedTuple{(:a,), Tuple{Real}}", False),
    ("Pair{Int64, String}", "Pair", True),
    ("Pair{Int64, String}", "Pair{Int64}", True),
    ("Pair{Int64, String}", "Pair{String}", False),
    ("ErrorException", "Exception", True),
    ("BoundsError", "Exception", True),
    ("Exception", "ErrorException", False),
]


@pytest.mark.parametrize("a, b, expected", SUBTYPE_CASES)
def test_issubtype(a: str, b: str, expected: bool) -> None:
    assert issubtype(ty(a), ty(b)) is expected


TYPE_EQUAL_CASES = [
    ("Vector", "Array{T, 1} where T", True),
    ("Vector{Float64}", "Array{Float64, 1}", True),
    ("Tuple{Int64, Int64, Int64}", "NTuple{3, Int64}", True),
    ("Union{Int64, Integer}", "Integer", True),
    ("Union{Int64, Nothing}", "Union{Nothing, Int64}", True),
    ("Vector{<:Real}", "Vector{T} where T<:Real", True),
    ("Vector{<:Real}", "Vector{T} where T<:Integer", False),
    ("Vector{Int64}", "Vector{Int32}", False),
]


@pytest.mark.parametrize("a, b, expected", TYPE_EQUAL_CASES)
def test_type_equal(a: str, b: str, expected: bool) -> None:
    assert T.type_equal(ty(a), ty(b)) is expected
    assert (ty(a) == ty(b)) is expected or type(ty(a)) is not type(ty(b))


def test_datatypes_are_interned() -> None:
    assert apply_type(B["Vector"], (T.Float32,)) is apply_type(B["Array"], (T.Float32, 1))
    assert T.DataType(T.TUPLE_TN, (T.Int64,)) is T.make_tuple_type([T.Int64])
    assert hash(ty("Vector{Float64}")) == hash(typeof(np.zeros(2)))
    # 1 == True in Python, but Val-like parameters must stay distinct
    assert T.DataType(T.ARRAY_TN, (T.Int64, 1)) is not T.DataType(T.ARRAY_TN, (T.Int64, True))


def test_pickle_keeps_builtin_identity() -> None:
    t = ty("Tuple{Vector{Float32}, Int64}")
    assert pickle.loads(pickle.dumps(t)) is t


# ----------------------------------------------------------------------------- typeof
POINT = T.new_struct_type("Point", (), None, ("x", "y"), (T.Float64, T.Float64))


class _HasArrType:
    arr_type = T.function_type("#7")


TYPEOF_CASES = [
    (1, "Int64"),
    (1.5, "Float64"),
    (True, "Bool"),
    (np.float32(1), "Float32"),
    (np.float16(1), "Float16"),
    (np.float64(1), "Float64"),
    (np.int8(1), "Int8"),
    (np.int16(1), "Int16"),
    (np.int32(1), "Int32"),
    (np.int64(1), "Int64"),
    (np.uint8(1), "UInt8"),
    (np.uint32(1), "UInt32"),
    (np.uint64(1), "UInt64"),
    (np.bool_(True), "Bool"),
    ("s", "String"),
    (None, "Nothing"),
    (V.Symbol("a"), "Symbol"),
    ((1, 2.0), "Tuple{Int64, Float64}"),
    ((), "Tuple{}"),
    (((1,), "a"), "Tuple{Tuple{Int64}, String}"),
    (V.NamedTupleValue(("a", "b"), (1, 2.0)), "NamedTuple{(:a, :b), Tuple{Int64, Float64}}"),
    (V.NamedTupleValue(("a",), (1,)), "NamedTuple{(:a,), Tuple{Int64}}"),
    (V.UnitRange(1, 5), "UnitRange{Int64}"),
    (V.UnitRange(1.0, 5.0), "UnitRange{Float64}"),
    (V.StepRange(1, 2, 9), "StepRange{Int64, Int64}"),
    (V.StepRange(0.0, 0.5, 2.0), "StepRange{Float64, Float64}"),
    (np.zeros(3), "Vector{Float64}"),
    (np.zeros((2, 3), np.float32), "Matrix{Float32}"),
    (np.zeros((2, 2, 2), np.int32), "Array{Int32, 3}"),
    (np.zeros(()), "Array{Float64, 0}"),
    (np.zeros(3, bool), "Vector{Bool}"),
    (np.zeros(3, np.int64), "Vector{Int64}"),
    (np.zeros(3, np.uint8), "Vector{UInt8}"),
    (np.zeros(3, np.float16), "Vector{Float16}"),
    (np.zeros(3, object), "Vector{Any}"),
    (V.obj_array(["a", "b"], T.String), "Vector{String}"),
    (V.obj_array([1, "a"], None), "Vector{Any}"),
    (V.obj_array(["a", "b", "c", "d"], T.String, (2, 2)), "Matrix{String}"),
    (T.Float32, "Type{Float32}"),
    (B["Vector"], "Type{Vector}"),
    (T.make_union(T.Int64, T.Nothing), "Type{Union{Nothing, Int64}}"),
    (V.StructValue(POINT, (1.0, 2.0)), "Point"),
    (slice(None), "Colon"),
    (GenericFunction("sin"), "typeof(sin)"),
    (_HasArrType(), 'var"#7"'),
]


@pytest.mark.parametrize("value, expected", TYPEOF_CASES, ids=[e for _, e in TYPEOF_CASES])
def test_typeof(value: object, expected: str) -> None:
    t = typeof(value)
    assert show_type(t) == expected
    assert T.isa(value, t)
    assert typeof(value) is t          # cached / interned


def test_typeof_of_a_view_of_objarray_keeps_eltype() -> None:
    m = V.obj_array(["a", "b", "c", "d"], T.String, (2, 2))
    assert show_type(typeof(m[0])) == "Vector{String}"


def test_typeof_unknown_python_object() -> None:
    with pytest.raises(source.TypeError_):
        typeof(object())


USER_TYPEOF_CASES = [
    (T.Float32, "DataType"),
    (B["Vector"], "UnionAll"),
    (T.make_union(T.Int64, T.Nothing), "Union"),
    (1, "Int64"),
]


@pytest.mark.parametrize("value, expected", USER_TYPEOF_CASES)
def test_user_typeof(value: object, expected: str) -> None:
    assert show_type(T.user_typeof(value)) == expected


ISA_CASES = [
    (1, "Real", True),
    (1, "AbstractFloat", False),
    (T.Float32, "Type{Float32}", True),
    (T.Float32, "Type{<:AbstractFloat}", True),
    (T.Float32, "DataType", True),
    (T.Float32, "Type", True),
    (B["Vector"], "Type", True),
    (np.zeros(3), "AbstractVector{Float64}", True),
    (np.zeros(3), "AbstractVector{<:Real}", True),
    (np.zeros(3), "AbstractMatrix", False),
    ((1, 2.0), "Tuple{Int64, Real}", True),
    ((1, 2.0), "NTuple{2, Real}", True),
    (V.UnitRange(1, 3), "AbstractVector{Int64}", True),
    (None, "Union{Nothing, Int64}", True),
    (GenericFunction("f"), "Function", True),
]


@pytest.mark.parametrize("value, t, expected", ISA_CASES)
def test_isa(value: object, t: str, expected: bool) -> None:
    assert T.isa(value, ty(t)) is expected


# ----------------------------------------------------------------------------- printing
SHOW_ROUNDTRIP = [
    "Int64", "Vector{Float64}", "Matrix{Int64}", "Array{Float32, 3}", "Array{Float32, 0}",
    "Tuple{Int64, Float64}", "Tuple{}", "Tuple", "NamedTuple{(:a, :b), Tuple{Int64, Int64}}",
    "NamedTuple{(:a,), Tuple{Int64}}", "UnitRange{Int64}", "StepRange{Int64, Int64}",
    "Type{Float32}", "Union{Nothing, Int64}", "Union{}", "Vector", "Matrix", "Array",
    "AbstractVector", "AbstractArray", "AbstractVector{Float64}", "AbstractMatrix{Float32}",
    "AbstractArray{Float32, 3}", "Vector{<:Real}", "AbstractVector{<:Real}",
    "Vector{T} where T<:Real", "Array{Float32}", "Array{T} where T<:Real",
    "Tuple{T, T} where T", "Tuple{Int64, Vararg{Int64}}", "Tuple{Int64, Vararg}",
    "NTuple{N, Int64} where N", "Pair{Int64, String}", "Pair", "Type", "Vector{Vector{Float64}}",
    "Vector{Vector{<:Real}}", "Vector{Vector{T}} where T", "Tuple{Vector{T}, T} where T<:Real",
    "Vector{T} where T>:Int64", "Union{Nothing, Vector{Float64}}",
    "Vector{Union{Nothing, Int64}}",
]


@pytest.mark.parametrize("text", SHOW_ROUNDTRIP)
def test_show_roundtrip(text: str) -> None:
    assert show_type(ty(text)) == text
    assert str(ty(text)) == text


SHOW_CASES = [
    (lambda: T.make_union(T.Int64, T.Nothing), "Union{Nothing, Int64}"),
    (lambda: T.make_union(T.String, T.Int64), "Union{Int64, String}"),
    (lambda: T.make_union(T.Int64, T.Float64), "Union{Float64, Int64}"),
    (lambda: T.make_union(T.Int64, T.Integer), "Integer"),
    (lambda: T.make_union(T.Int64), "Int64"),
    (lambda: T.make_union(), "Union{}"),
    (lambda: typeof(T.Float32), "Type{Float32}"),
    (lambda: T.function_type("sin"), "typeof(sin)"),
    (lambda: T.function_type("+"), "typeof(+)"),
    (lambda: T.function_type("#3"), 'var"#3"'),
    (lambda: POINT, "Point"),
    (lambda: ty("Array{T, N} where {T<:Real, N}"), "Array{T} where T<:Real"),
    (lambda: ty("Array{T, 1} where T"), "Vector"),
    (lambda: ty("AbstractArray{T, 2} where T<:Real"), "AbstractMatrix{T} where T<:Real"),
    (lambda: ty("Tuple{Vararg{Int64, 3}}"), "Tuple{Int64, Int64, Int64}"),
    (lambda: ty("Tuple{Vararg{Any}}"), "Tuple"),
    (lambda: ty("Vararg{Int64}"), "Vararg{Int64}"),
    (lambda: apply_type(B["AbstractArray"], (T.TypeVar("T"),)), "AbstractArray{T}"),
    (lambda: ty("Array{T, N} where {N, T}"), "Array"),          # type-equal to the wrapper
    (lambda: ty("Pair{A, Int64} where A"), "Pair{A, Int64} where A"),
    (lambda: ty("Pair{<:Real, Int64}"), "Pair{<:Real, Int64}"),
]


@pytest.mark.parametrize("make, expected", SHOW_CASES, ids=[e for _, e in SHOW_CASES])
def test_show(make, expected: str) -> None:
    assert show_type(make()) == expected


PARAM_VALUE_SHOW = [((V.Symbol("a"),), "(:a,)"), (2, "2"), (True, "true"), ("s", '"s"')]


@pytest.mark.parametrize("value, expected", PARAM_VALUE_SHOW)
def test_show_param_values(value: object, expected: str) -> None:
    assert show_type(value) == expected


# ----------------------------------------------------------------------------- apply_type
def test_apply_type_aliases_and_partial() -> None:
    assert apply_type(B["Vector"], (T.Float32,)) is ty("Array{Float32, 1}")
    assert apply_type(B["Matrix"], (T.Int64,)) is ty("Array{Int64, 2}")
    partial = apply_type(B["Array"], (T.Float32,))
    assert type(partial) is T.UnionAll and show_type(partial) == "Array{Float32}"
    assert apply_type(partial, (2,)) is ty("Matrix{Float32}")
    assert apply_type(B["Tuple"], (T.Int64, T.Float64)) is ty("Tuple{Int64, Float64}")
    assert apply_type(B["Union"], (T.Int64, T.Nothing)) == ty("Union{Nothing, Int64}")
    assert apply_type(B["NTuple"], (2, T.Int64)) is ty("Tuple{Int64, Int64}")
    assert apply_type(B["Type"], (T.Float32,)) is typeof(T.Float32)
    assert apply_type(B["Vararg"], (T.Int64, 2)) == T.VarargType(T.Int64, 2)


APPLY_ERRORS = [
    ("Vector", (T.Float32, 2), "too many parameters for type Array"),
    ("Array", (T.Int64, 2, 3), "too many parameters for type Array"),
    ("Int64", (T.Float32,), "expected UnionAll, got Type{Int64}"),
    ("UnitRange", (T.String,), "in UnitRange, in T, expected T<:Real, got Type{String}"),
    ("NamedTuple", ((V.Symbol("a"),), 3), "expected T<:Tuple"),
    ("Tuple", (1,), "in Tuple, in parameter, expected Type"),
    ("Union", (1,), "in Union, expected Type"),
    ("Array", (object(),), "invalid type parameter"),
]


@pytest.mark.parametrize("base, params, message", APPLY_ERRORS)
def test_apply_type_errors(base: str, params: tuple, message: str) -> None:
    with pytest.raises(source.TypeError_) as exc:
        apply_type(B[base], params)
    assert message in exc.value.message


# ----------------------------------------------------------------------------- user types
def test_user_types() -> None:
    layer = T.new_abstract_type("Layer", (), None)
    dense = T.new_struct_type("Dense", (), layer, ("W", "b"), (ty("Matrix{Float32}"), None))
    assert issubtype(dense, layer) and issubtype(dense, ANY) and not issubtype(layer, dense)
    assert T.struct_fieldtypes(dense) == (ty("Matrix{Float32}"), ANY)
    assert T.struct_fieldnames(dense) == ("W", "b")
    assert T.is_concrete(dense) and not T.is_concrete(layer)
    tv = T.TypeVar("T")
    duo = T.new_struct_type("Duo", (tv,), None, ("a", "b"), (tv, tv))
    duo_f = apply_type(duo, (T.Float64,))
    assert show_type(duo) == "Duo" and show_type(duo_f) == "Duo{Float64}"
    assert T.struct_fieldtypes(duo_f) == (T.Float64, T.Float64)
    assert issubtype(duo_f, duo) and not issubtype(duo_f, apply_type(duo, (T.Real,)))
    tv = T.TypeVar("T")
    myvec = T.new_struct_type("MyVec", (tv,), apply_type(B["AbstractVector"], (tv,)), ("data",),
                              (apply_type(B["Vector"], (tv,)),))
    mv = apply_type(myvec, (T.Float32,))
    assert issubtype(mv, ty("AbstractVector{Float32}"))
    assert not issubtype(mv, ty("AbstractVector{Float64}"))
    assert T.struct_fieldtypes(mv) == (ty("Vector{Float32}"),)


def test_redefinition_is_a_new_type() -> None:
    p1 = T.new_struct_type("P", (), None, ("x",), (None,))
    p2 = T.new_struct_type("P", (), None, ("x",), (None,))
    assert p1 is not p2 and p1 != p2 and not issubtype(p1, p2)
    assert show_type(p1) == show_type(p2) == "P"


def test_invalid_supertypes() -> None:
    with pytest.raises(source.ErrorException, match="can only subtype abstract types"):
        T.new_struct_type("S", (), T.Int64, (), ())
    with pytest.raises(source.ErrorException, match="can only subtype data types"):
        T.new_abstract_type("A", (), B["AbstractVector"])


def test_builtin_exception_fields() -> None:
    assert B["ErrorException"].typename.fieldnames == ("msg",)
    assert B["BoundsError"].typename.fieldnames == ("a", "i")
    assert B["DomainError"].typename.fieldnames == ("val", "msg")
    assert B["KeyError"].typename.fieldnames == ("key",)
    assert B["DivideError"].typename.fieldnames == ()
    assert T.struct_fieldnames(ty("Pair{Int64, Int64}")) == ("first", "second")
    assert T.struct_fieldtypes(ty("Pair{Int64, String}")) == (T.Int64, T.String)
    nt = ty("NamedTuple{(:a, :b), Tuple{Int64, Float64}}")
    assert T.struct_fieldnames(nt) == ("a", "b")
    assert T.struct_fieldtypes(nt) == (T.Int64, T.Float64)


CONCRETE_CASES = [
    ("Int64", True), ("Real", False), ("Vector{Float64}", True), ("Vector{Real}", True),
    ("Vector", False), ("Tuple{Int64, Real}", False), ("Tuple{Int64}", True), ("Tuple{}", True),
    ("Tuple{Vararg{Int64}}", False), ("Type{Int64}", False), ("Union{Int64, Nothing}", False),
    ("NamedTuple{(:a,), Tuple{Int64}}", True), ("NamedTuple{(:a,), Tuple{Real}}", False),
    ("UnitRange{Int64}", True), ("String", True), ("Nothing", True), ("Union{}", False),
]


@pytest.mark.parametrize("t, expected", CONCRETE_CASES)
def test_is_concrete(t: str, expected: bool) -> None:
    assert T.is_concrete(ty(t)) is expected


# ----------------------------------------------------------------------------- promotion
PROMOTE_CASES = [
    ("Int64", "Float32", "Float32"),
    ("Float32", "Float64", "Float64"),
    ("Bool", "Bool", "Bool"),
    ("Bool", "Int8", "Int8"),
    ("Bool", "Float16", "Float16"),
    ("Int32", "Int64", "Int64"),
    ("Int64", "UInt64", "UInt64"),
    ("Int8", "UInt8", "UInt8"),
    ("Int64", "UInt32", "Int64"),
    ("Int32", "UInt64", "UInt64"),
    ("UInt8", "Int16", "Int16"),
    ("Float16", "Int64", "Float16"),
    ("BFloat16", "Float16", "Float32"),
    ("BFloat16", "Float32", "Float32"),
    ("BFloat16", "Int64", "BFloat16"),
    ("Float64", "Int64", "Float64"),
    ("Int64", "String", "Any"),
    ("Int64", "Symbol", "Any"),
    ("String", "String", "String"),
    ("Int64", "Nothing", "Union{Nothing, Int64}"),
    ("Int64", "Real", "Real"),
    ("Int64", "Union{}", "Int64"),
    ("Tuple{Int64, Int64}", "Tuple{Float64, Int64}", "Tuple{Float64, Int64}"),
    ("Vector{Int64}", "Vector{Float64}", "Vector{Float64}"),
    ("Vector{Int64}", "Matrix{Float64}", "Array"),
    ("Vector{Int64}", "UnitRange{Int64}", "AbstractVector{Int64}"),
]


@pytest.mark.parametrize("a, b, expected", PROMOTE_CASES)
def test_promote_type(a: str, b: str, expected: str) -> None:
    assert show_type(T.promote_type(ty(a), ty(b))) == expected
    assert show_type(T.promote_type(ty(b), ty(a))) == expected


def test_promote_numeric_is_symmetric_and_an_upper_bound() -> None:
    nums = list(T.NUMERIC_INFO)
    for a in nums:
        for b in nums:
            p = T.promote_type(a, b)
            assert p is T.promote_type(b, a)
            assert p in T.NUMERIC_INFO


TYPEJOIN_CASES = [
    ("Int64", "Float64", "Real"),
    ("Int64", "Int32", "Signed"),
    ("Int64", "String", "Any"),
    ("Vector{Int64}", "Vector{Float64}", "Vector"),
    ("Tuple{Int64, String}", "Tuple{Float64, String}", "Tuple{Real, String}"),
]


@pytest.mark.parametrize("a, b, expected", TYPEJOIN_CASES)
def test_typejoin(a: str, b: str, expected: str) -> None:
    assert show_type(T.typejoin(ty(a), ty(b))) == expected


# ----------------------------------------------------------------------------- numpy
@pytest.mark.parametrize("t", [t for t in T.NUMERIC_INFO if t is not T.BFloat16],
                         ids=lambda t: show_type(t))
def test_dtype_roundtrip(t: object) -> None:
    assert T.eltype_from_dtype(T.numpy_dtype(t)) is t


DTYPE_CASES = [(T.Float32, np.float32), (T.Float64, np.float64), (T.Bool, np.bool_),
               (T.Int64, np.int64), (T.UInt8, np.uint8), (T.String, object), (ANY, object)]


@pytest.mark.parametrize("t, dtype", DTYPE_CASES, ids=[show_type(t) for t, _ in DTYPE_CASES])
def test_numpy_dtype(t: object, dtype: type) -> None:
    assert T.numpy_dtype(t) == np.dtype(dtype)


def test_bfloat16_dtype() -> None:
    try:
        import ml_dtypes  # noqa: F401
    except ImportError:
        with pytest.raises(source.ArgumentError):
            T.numpy_dtype(T.BFloat16)
    else:
        assert T.eltype_from_dtype(T.numpy_dtype(T.BFloat16)) is T.BFloat16


def test_fresh_typevars_do_not_accumulate() -> None:
    import gc
    gc.collect()
    before = len(T._DATATYPES) + len(T._DATATYPES_FREE)
    vec = ty("Vector{Float64}")
    for _ in range(200):
        anon = ty("Vector{<:Real}")          # a fresh variable each time, as the interpreter does
        assert T.isa(np.zeros(2), anon) and issubtype(vec, anon)
    del anon
    gc.collect()
    assert len(T._DATATYPES) + len(T._DATATYPES_FREE) < before + 10


def test_interpreter_helpers() -> None:
    tv = T.TypeVar("T")
    duo = T.new_struct_type("Duo", (tv,), None, ("a", "b"), (tv, tv))
    duo_f = apply_type(duo, (T.Float64,))
    assert T.ctor_key(duo) is T.ctor_key(duo_f) is duo_f.typename
    assert T.ctor_key(B["Vector"]) is T.ctor_key(ty("Matrix{Int64}")) is T.ARRAY_TN
    assert T.type_of_type(duo) is typeof(duo)
    assert T.fieldnames(duo) == T.fieldnames(duo_f) == ("a", "b")
    assert T.fieldnames(T.Int64) == ()
    sig = T.prepend_type_arg(ty("Tuple{T, T} where T"), T.type_of_type(duo))
    assert show_type(sig) == "Tuple{Type{Duo}, T, T} where T"
    assert T.tuple_type((T.Int64, T.vararg(T.Float64))) == ty("Tuple{Int64, Vararg{Float64}}")
    assert T.Any is ANY and T.Bottom is T.BOTTOM
    assert all(isinstance(x, T.TYPE_VALUE_CLASSES)
               for x in (T.Int64, B["Vector"], ty("Union{Int64, Nothing}")))


MAKE_EXCEPTION_CASES = [
    ("ErrorException", "boom", "ErrorException", ("boom",)),
    ("DomainError", "sqrt of -1", "DomainError", (None, "sqrt of -1")),
    ("UndefVarError", "`x` not defined", "UndefVarError", (V.Symbol("x"),)),
    ("BoundsError", "attempt to access", "BoundsError", (None, None)),
    ("DivideError", "integer division error", "DivideError", ()),
    ("NoSuchError", "what", "ErrorException", ("what",)),
]


@pytest.mark.parametrize("kind, message, type_name, fields", MAKE_EXCEPTION_CASES)
def test_make_exception(kind: str, message: str, type_name: str, fields: tuple) -> None:
    e = T.make_exception(kind, message)
    assert show_type(e.type) == type_name and e.fields == fields
    assert T.isa(e, B["Exception"])


def test_typevar_with_union_upper_bound_is_bound() -> None:
    """`convert(::Type{T}, x) where {T<:Union{...}}` must bind T (a Union bound once lost it)."""
    from lang import types as T
    bits = T.make_union(T.BUILTIN_TYPES["Int64"], T.BUILTIN_TYPES["Float64"])
    tv = T.TypeVar("T", T.Bottom, bits)
    sig = T.UnionAll(tv, T.tuple_type((T.type_of_type(tv), bits)))
    args = T.tuple_type((T.type_of_type(T.BUILTIN_TYPES["Int64"]), T.BUILTIN_TYPES["Float64"]))
    assert T.match_signature(args, sig) == {tv: T.BUILTIN_TYPES["Int64"]}


def test_typejoin_of_tuples_of_different_lengths() -> None:
    from lang import types as T
    a = T.tuple_type(())
    b = T.tuple_type((T.BUILTIN_TYPES["Int64"],))
    assert T.show_type(T.typejoin(a, b)) == "Tuple{Vararg{Int64}}"
