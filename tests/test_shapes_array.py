"""Shape rules of the array, indexing and map/reduce intrinsics (lang/prims/array.py,
indexing.py, mapreduce.py), table-driven.

`CASES` rows run `check_rule`: the rule applied to the abstractions of the arguments (with
the constants known, then with only types and shapes) must contain what the evaluation
returns, or raise the same kind of Arr error.  `PRECISE` rows pin down what a rule knows
(constants known): the result's type, shape and constant, or the error it raises.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from shapecheck import InferCtx, check_rule  # noqa: E402
from test_prims import PYFUNS, call  # noqa: E402

from lang import lattice as L, source, types as T  # noqa: E402
from lang.dispatch import GenericFunction  # noqa: E402
from lang.prims import PRIMITIVES  # noqa: E402
from lang.values import StepRange, StructValue, UnitRange, obj_array  # noqa: E402

MODULES = ("lang.prims.array", "lang.prims.indexing", "lang.prims.mapreduce")
COLON = slice(None)
COLON_STRUCT = StructValue(T.BUILTIN_TYPES["Colon"], ())


def _iterate(itr, state=1):
    """Julia's iterate for the stand-in table: a number iterates once; sequences by index."""
    if isinstance(itr, (int, float, np.generic)):
        return (itr, None) if state == 1 else None
    items = list(call("range_collect", itr)) if isinstance(itr, (UnitRange, StepRange)) \
        else list(itr)
    return (items[state - 1], state + 1) if state is not None and state <= len(items) else None


TABLE = dict(PYFUNS, string=lambda *vs: "".join(map(str, vs)), iterate=_iterate,
             half=lambda x: x / 2)         # not in the numpy fast table: element by element
G = {name: GenericFunction(name) for name in TABLE}
_BY_TYPE = {gf.arr_type: gf for gf in G.values()}


class TypedInferCtx(InferCtx):
    """`InferCtx` that also knows a function argument from its type alone: a generic
    function's type is a singleton, as is `Type{T}`, so inference knows f without its
    constant (the rows run once with constants dropped)."""

    def infer_call(self, f: L.AbstractValue, *args: L.AbstractValue) -> L.AbstractValue:
        if not f.is_const:
            t = f.type
            f = L.of_value(t.params[0] if t.typename is T.TYPE_TN else _BY_TYPE[t])
        return super().infer_call(f, *args)

    def call(self, f, *args):
        if T.is_type(f):                        # a conversion, `Float32.(x)`
            return call("convert", f, *args)
        return super().call(f, *args)


CTX = TypedInferCtx(TABLE)


def arr(xs, dt=None):
    return np.array(xs, dtype=dt)


V3 = arr([1.0, 2.0, 3.0])
M23 = arr([[1, 2, 3], [4, 5, 6]])
A234 = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
B4 = arr([True, False, True, True])
F32 = arr([1.5, -2.0], np.float32)
EMPTY = arr([], np.float64)
STRS = obj_array(["b", "a", "c"], T.String)
R5 = UnitRange(1, 5)
SR = StepRange(10, -3, 1)          # 10, 7, 4, 1
f32 = np.float32

CASES = [
    # size, ndims, length, eltype
    *[("size", (x,)) for x in (V3, M23, A234, B4, EMPTY, R5, SR, STRS)],
    *[("ndims", (x,)) for x in (V3, M23, A234, EMPTY, STRS)],
    *[("length", (x,)) for x in (V3, M23, A234, B4, EMPTY, R5, SR)],
    *[("array_eltype", (x,)) for x in (V3, M23, A234, B4, F32, STRS)],
    # reshape
    ("reshape", (M23, (3, 2))), ("reshape", (M23, (6,))), ("reshape", (M23, 6)),
    ("reshape", (A234, (4, COLON))), ("reshape", (A234, (COLON, 2, 3))),
    ("reshape", (A234, (2, COLON_STRUCT, 2))), ("reshape", (R5, (5, 1))),
    ("reshape", (B4, (2, 2))), ("reshape", (EMPTY, (0, 3))),
    ("reshape", (M23, (4,))), ("reshape", (M23, (4, COLON))),
    ("reshape", (M23, (COLON, COLON))), ("reshape", (M23, (0, COLON))),
    ("reshape", (M23, (-1, -6))),
    # permutedims
    ("permutedims", (M23, (2, 1))), ("permutedims", (A234, (3, 1, 2))),
    ("permutedims", (V3, (1,))), ("permutedims", (B4, (1,))),
    ("permutedims", (STRS.reshape(1, 3), (2, 1))),
    ("permutedims", (M23, (1, 1))), ("permutedims", (M23, (1, 2, 3))),
    ("permutedims", (A234, (2, 1))),
    # broadcast_to, broadcast_shape
    ("broadcast_to", (arr([1, 2]), (2, 3))), ("broadcast_to", (5.0, (2,))),
    ("broadcast_to", (f32(1), (2, 2))), ("broadcast_to", (True, ())),
    ("broadcast_to", ("s", (3,))), ("broadcast_to", (arr([[1.0, 2.0]]), (3, 2))),
    ("broadcast_to", (arr([[1], [2]]), (2,))), ("broadcast_to", (R5, (5, 2))),
    ("broadcast_to", (A234, (2, 3, 4))), ("broadcast_to", (arr([1, 2]), (3,))),
    ("broadcast_to", (M23, (2,))), ("broadcast_to", (V3, (3, -1))),
    ("broadcast_shape", ((2, 3), (2, 1))), ("broadcast_shape", ((3,), (1, 4))),
    ("broadcast_shape", ((), (2, 2, 2))), ("broadcast_shape", ((2, 3), (3,))),
    ("broadcast_shape", ((1,), ())),
    # matmul
    ("matmul", (M23, arr([[1.0], [2.0], [3.0]]))), ("matmul", (M23, arr([1, 0, 1]))),
    ("matmul", (arr([1.0, 2.0]), arr([[3.0, 4.0]]))),
    ("matmul", (arr([[1.5]], np.float32), arr([[2]], np.int32))),
    ("matmul", (arr([[True]]), arr([[False]]))), ("matmul", (R5, arr([[1, 2]]))),
    ("matmul", (M23, M23)), ("matmul", (M23, arr([1, 2]))), ("matmul", (A234, V3)),
    ("matmul", (M23, A234)), ("matmul", (obj_array(["a"], T.String).reshape(1, 1), M23[:1])),
    # concatenate
    ("concatenate", ((arr([1, 2]), arr([3.0])), 1)), ("concatenate", ((M23, M23), 2)),
    ("concatenate", ((M23, M23), 1)), ("concatenate", ((1, 2), 2)),
    ("concatenate", ((A234, A234), 3)), ("concatenate", ((V3, R5), 1)),
    ("concatenate", ((STRS, STRS), 1)), ("concatenate", ((STRS, arr([1])), 1)),
    ("concatenate", ((B4, arr([1], np.int32)), 1)), ("concatenate", ((F32, 1.0), 1)),
    ("concatenate", ((V3,), 4)), ("concatenate", ((arr([1, 2]), arr([1, 2, 3])), 2)),
    ("concatenate", ((M23, A234), 1)), ("concatenate", ((), 1)),
    # fill, array_from_tuple, array_to_tuple, iterate_collect
    ("fill", (1.5, (2,))), ("fill", (f32(0), (1, 2))), ("fill", ("ab", 2)),
    ("fill", (True, (2, 3, 4))), ("fill", (V3, (2,))), ("fill", (0, ())),
    ("fill", (1, (-1,))),
    *[("array_from_tuple", args) for args in [
        (None, (1, 2.0), (2,)), (T.Float64, (1, 2), (2,)), (T.Int64, (1, 2, 3, 4), (2, 2)),
        (None, (1, 2), (2,)), (None, (), (0,)), (T.Float32, (), (0, 2)),
        (None, ("a", "b"), (1, 2)), (None, (True,), (1, 1, 1)), (None, (f32(1), f32(2)), (2,)),
        (T.String, ("a",), (1,)), (T.Int64, (1, 2), (3,)), (None, (1,), (-1,))]],
    *[("array_to_tuple", (x,)) for x in (V3, M23, A234, B4, EMPTY, R5, STRS)],
    # copy, reverse, sort, sortperm
    *[("copy", (x,)) for x in (V3, M23, A234, B4, F32, STRS, EMPTY)],
    ("reverse", (M23, 2)), ("reverse", (V3, None)), ("reverse", (A234, COLON)),
    ("reverse", (R5, None)), ("reverse", (SR, 1)), ("reverse", (STRS, 1)), ("reverse", (B4, None)),
    ("sort", (arr([3, 1, 2]), 1, False)), ("sort", (M23, 2, True)), ("sort", (A234, 3, False)),
    ("sort", (STRS, 1, False)), ("sort", (SR, 1, False)), ("sort", (B4, 1, True)),
    ("sort", (obj_array(["a", "b"], T.String).reshape(1, 2), 1, False)),
    ("sortperm", (V3, False)), ("sortperm", (STRS, True)), ("sortperm", (R5, True)),
    ("sortperm", (EMPTY, False)), ("sortperm", (M23, False)),
    # getindex
    ("getindex", (M23, (2, 3))), ("getindex", (M23, (5,))), ("getindex", (M23, (COLON, 2))),
    ("getindex", (M23, (1, arr([1, 3])))), ("getindex", (M23, (UnitRange(1, 2), 1))),
    ("getindex", (M23, (arr([2, 1]), UnitRange(2, 3)))), ("getindex", (M23, (M23 > 2,))),
    ("getindex", (M23, (COLON,))), ("getindex", (M23, (COLON_STRUCT, COLON))),
    ("getindex", (V3, (StepRange(3, -2, 1),))), ("getindex", (B4, (B4,))),
    ("getindex", (B4, (UnitRange(3, 2),))), ("getindex", (V3, (2, 1))), ("getindex", (F32, (1,))),
    ("getindex", (STRS, (2,))), ("getindex", (STRS, (arr([[1, 2], [3, 3]]),))),
    ("getindex", (A234, (1, COLON, 2))), ("getindex", (A234, (2, 3))),
    ("getindex", (A234, (COLON, UnitRange(2, 3), arr([4, 1])))), ("getindex", (A234, ())),
    ("getindex", (arr([7]), ())), ("getindex", (A234, (1, 1, 1, 1))),
    ("getindex", (R5, (3,))), ("getindex", (SR, (2,))), ("getindex", (R5, (UnitRange(2, 4),))),
    ("getindex", (R5, (6,))), ("getindex", (R5, (COLON,))),
    ("getindex", (M23, (3, 1))), ("getindex", (M23, (7,))), ("getindex", (M23, (0,))),
    ("getindex", (M23, (1, UnitRange(2, 4)))), ("getindex", (M23, (COLON, 5))),
    ("getindex", (M23, (arr([1, 9]),))), ("getindex", (V3, (1.0,))), ("getindex", (V3, (True,))),
    ("getindex", (V3, (UnitRange(1.0, 2.0),))), ("getindex", (V3, (arr([1.0]),))),
    ("getindex", (V3, (B4,))), ("getindex", (M23, (B4, 1))), ("getindex", (M23, (arr([[True]]),))),
    ("getindex", (V3, (StepRange(0, 2, 2),))), ("getindex", (V3, ("a",))),
    # setindex
    ("setindex", (M23, 9, (1, 2))), ("setindex", (M23, arr([7, 8]), (COLON, 1))),
    ("setindex", (M23, 5.0, (4,))), ("setindex", (M23, arr([0, 0, 0, 0]), (M23 > 2,))),
    ("setindex", (V3, 3, (1,))), ("setindex", (A234, f32(0), (1, 2, 3))),
    ("setindex", (A234, np.zeros((3, 2), np.float32), (1, COLON, UnitRange(1, 2)))),
    ("setindex", (STRS, "z", (1,))), ("setindex", (V3, UnitRange(1, 2), (UnitRange(1, 2),))),
    ("setindex", (M23, 2.5, (1,))), ("setindex", (M23, 1, (3, 1))),
    ("setindex", (M23, arr([1, 2, 3]), (COLON, 1))), ("setindex", (M23, 7, (COLON, 1))),
    ("setindex", (M23, "s", (1,))), ("setindex", (M23, arr([1]), (1, 1))),
    ("setindex", (V3, 1.0, (B4,))),
]

CTX_CASES = [
    ("iterate_collect", (G["iterate"], (1, 2, 3))), ("iterate_collect", (G["iterate"], V3)),
    ("iterate_collect", (G["iterate"], R5)), ("iterate_collect", (G["iterate"], ())),
    ("iterate_collect", (G["iterate"], 2.5)),
    # elementwise
    ("elementwise", (G["+"], (V3, V3))), ("elementwise", (G["*"], (M23, 2))),
    ("elementwise", (G["+"], (M23, 1.5))), ("elementwise", (G["sin"], (A234,))),
    ("elementwise", (G["=="], (B4, B4))), ("elementwise", (G["/"], (R5, 2))),
    ("elementwise", (G["+"], (1, 2))), ("elementwise", (G["max"], (F32, f32(0)))),
    ("elementwise", (G["string"], (V3,))), ("elementwise", (G["string"], (EMPTY,))),
    ("elementwise", (G["+"], (EMPTY, 1.0))), ("elementwise", (T.Float32, (M23,))),
    ("elementwise", (G["half"], (V3,))),
    ("elementwise", (G["+"], (V3, M23))), ("elementwise", (G["+"], (V3, arr([1.0, 2.0])))),
    # reduce
    ("reduce", (G["+"], V3, 0.0, None)), ("reduce", (G["+"], M23, 0, (1,))),
    ("reduce", (G["+"], M23, 0, (2,))), ("reduce", (G["*"], A234, f32(1), (1, 3))),
    ("reduce", (G["max"], A234, f32(-np.inf), COLON)), ("reduce", (G["+"], B4, 0, None)),
    ("reduce", (G["+"], B4, False, None)), ("reduce", (G["+"], EMPTY, 0.0, None)),
    ("reduce", (G["+"], EMPTY, 0, None)), ("reduce", (G["+"], R5, 0, None)),
    ("reduce", (G["+"], M23, 0, (5,))), ("reduce", (G["string"], STRS, "", None)),
    ("reduce", (G["string"], STRS, "", (1,))), ("reduce", (G["+"], M23, 0.0, (1, 2))),
    ("reduce", (G["+"], np.zeros((0, 3)), 0.0, (1,))),
    ("reduce", (G["+"], M23, 0, (0,))),
    # accumulate, argextreme
    ("accumulate", (G["+"], V3, 1)), ("accumulate", (G["+"], M23, 2)),
    ("accumulate", (G["*"], A234, 3)), ("accumulate", (G["max"], F32, 1)),
    ("accumulate", (G["+"], B4, 1)), ("accumulate", (G["+"], EMPTY, 1)),
    ("accumulate", (G["+"], R5, 1)), ("accumulate", (G["string"], STRS, 1)),
    ("accumulate", (G["+"], V3, 2)), ("accumulate", (G["+"], M23, 0)),
]
PLAIN_CASES = [
    ("argextreme", (V3, True)), ("argextreme", (M23, False)), ("argextreme", (A234, True)),
    ("argextreme", (B4, True)), ("argextreme", (R5, False)), ("argextreme", (EMPTY, True)),
]


def _id(row):
    name, args = row[0], row[1]
    return f"{name}{tuple(type(a).__name__ for a in args)}"


@pytest.mark.parametrize("name,args", CASES + PLAIN_CASES, ids=map(_id, CASES + PLAIN_CASES))
def test_rule_agrees_with_evaluation(name, args):
    check_rule(name, *args)


@pytest.mark.parametrize("name,args", CTX_CASES, ids=map(_id, CTX_CASES))
def test_higher_order_rule_agrees_with_evaluation(name, args):
    check_rule(name, *args, ctx=CTX)


# ---------------------------------------------------------------- what the rules know
def rule(name, *args, keep=True):
    p = PRIMITIVES[name]
    abstract = [a if isinstance(a, L.AbstractValue) else L.of_value(a, keep_const=keep)
                for a in args]
    return p.shape(CTX, *abstract) if p.needs_ctx else p.shape(*abstract)


def vec(eltype, n=None):
    """An abstract vector of unknown contents (shape (n,) or unknown)."""
    return L.AbstractValue(T.apply_type(T.BUILTIN_TYPES["Array"], (eltype, 1)),
                           None if n is None else (n,))


def tup(*items):
    """A tuple whose elements are known as these abstract values (or constants)."""
    parts = tuple(p if isinstance(p, L.AbstractValue) else L.of_value(p) for p in items)
    return L.AbstractValue(T.make_tuple_type(p.type for p in parts), (), L.NO_CONST, parts)


def typed(v):
    """The abstraction of v that knows only its type (a tuple of unknown integers, ...)."""
    return L.of_value(v, keep_const=False)


INT, F64 = T.Int64, T.Float64
ANY_ARRAY = L.AbstractValue(T.BUILTIN_TYPES["Array"])

# (name, args, expected): "Type shape = const" as the lattice prints it, or an error kind
PRECISE = [
    ("size", (M23,), "<Tuple{Int64, Int64} = (2, 3)>"),
    ("size", (R5,), "<Tuple{Int64} = (5,)>"),
    ("size", (vec(F64),), "<Tuple{Int64}>"),
    ("size", (ANY_ARRAY,), "<Tuple{Vararg{Int64}}>"),
    ("ndims", (vec(F64),), "<Int64 = 1>"),
    ("ndims", (ANY_ARRAY,), "<Int64>"),
    ("length", (A234,), "<Int64 = 24>"),
    ("length", (typed(SR),), "<Int64>"),
    ("array_eltype", (F32,), "<Type{Float32} = Float32>"),
    ("reshape", (M23, (3, 2)), "<Matrix{Int64} 3×2>"),
    ("reshape", (A234, (COLON, 2)), "<Matrix{Float32} 12×2>"),
    ("reshape", (ANY_ARRAY, (2, 3)), "<Matrix 2×3>"),
    ("reshape", (vec(F64), (COLON, 2)), "<Matrix{Float64}>"),
    ("reshape", (M23, typed((2, 3))), "<Matrix{Int64}>"),
    ("reshape", (M23, typed((COLON, COLON))), "DimensionMismatch"),
    ("reshape", (M23, tup(L.AbstractValue(T.Int64, ()), 2)), "<Matrix{Int64}>"),
    ("reshape", (M23, tup(3, L.of_value(2, keep_const=False))), "<Matrix{Int64}>"),
    ("reshape", (M23, tup(3, 2)), "<Matrix{Int64} 3×2>"),     # known elements, not a constant
    ("broadcast_to", (V3, L.AbstractValue(T.make_tuple_type(()))), "DimensionMismatch"),
    ("permutedims", (A234, (3, 1, 2)), "<Array{Float32, 3} 4×2×3>"),
    ("permutedims", (A234, typed((3, 1, 2))), "<Array{Float32, 3}>"),
    ("permutedims", (A234, typed((2, 1))), "ArgumentError"),
    ("permutedims", (STRS.reshape(1, 3), (2, 1)), "<Matrix{String} 3×1>"),
    ("broadcast_to", (arr([1, 2]), (2, 3)), "<Matrix{Int64} 2×3>"),
    ("broadcast_to", (vec(F64), (2, 3)), "<Matrix{Float64} 2×3>"),
    ("broadcast_to", (1.5, typed((2, 3))), "<Matrix{Float64}>"),
    ("broadcast_shape", ((2, 3), (2, 1)), "<Tuple{Int64, Int64} = (2, 3)>"),
    ("broadcast_shape", (typed((2, 3)), (1,)), "<Tuple{Int64, Int64}>"),
    ("matmul", (M23, arr([[1.0], [2.0], [3.0]])), "<Matrix{Float64} 2×1>"),
    ("matmul", (M23, vec(INT)), "<Vector{Int64}>"),
    ("matmul", (vec(F64, 2), arr([[1.0, 2.0]])), "<Matrix{Float64} 2×2>"),
    ("matmul", (vec(F64), vec(F64)), "<Vector{Float64}>"),     # n×1 times a 1-vector
    ("matmul", (vec(F64, 3), vec(F64, 2)), "DimensionMismatch"),
    ("matmul", (L.AbstractValue(T.typeof(STRS.reshape(3, 1))), M23), "<Matrix>"),  # sizes first
    ("matmul", (STRS.reshape(3, 1), M23[:1]), "MethodError"),
    ("matmul", (A234, vec(F64)), "MethodError"),
    ("concatenate", ((M23, M23), 1), "<Matrix{Int64} 4×3>"),
    ("concatenate", ((M23, M23), typed(1)), "<Array{Int64}>"),
    ("concatenate", (typed((M23, V3)), 1), "DimensionMismatch"),
    ("concatenate", (tup(vec(INT), M23), 1), "<Matrix{Int64}>"),
    ("concatenate", (L.AbstractValue(T.make_tuple_type((T.typeof(M23), T.typeof(V3)))), 1),
     "<Matrix{Float64}>"),
    ("fill", (f32(0), (2, 2)), "<Matrix{Float32} 2×2>"),
    ("fill", (1.0, typed((2, 2))), "<Matrix{Float64}>"),
    ("fill", (1.0, typed(3)), "<Vector{Float64}>"),
    ("array_from_tuple", (None, (1, 2.0), (2,)), "<Vector{Real} 2>"),
    ("array_from_tuple", (T.Float32, typed((1, 2)), (2,)), "<Vector{Float32} 2>"),
    ("array_from_tuple", (typed(T.Float32), typed((1, 2)), typed((2,))), "<Vector{Float32}>"),
    ("array_from_tuple", (None, typed((1, 2)), (3,)), "DimensionMismatch"),
    ("array_to_tuple", (M23,), "<Tuple{Int64, Int64, Int64, Int64, Int64, Int64}>"),
    ("array_to_tuple", (EMPTY,), "<Tuple{} = ()>"),
    ("array_to_tuple", (vec(INT),), "<Tuple{Vararg{Int64}}>"),
    ("iterate_collect", (G["iterate"], V3), "<Union{Vector{Any}, Vector{Float64}}>"),
    ("iterate_collect", (G["iterate"], ()), "<Vector{Any} 0>"),
    ("copy", (A234,), "<Array{Float32, 3} 2×3×4>"),
    ("reverse", (R5, None), "<Vector{Int64} 5>"),
    ("sort", (STRS, 1, False), "<Vector{String} 3>"),
    ("sort", (obj_array(["a"], T.String).reshape(1, 1), 1, False), "ArgumentError"),
    ("sortperm", (R5, False), "<Vector{Int64} 5>"),
    ("sortperm", (M23, False), "ArgumentError"),
    ("getindex", (M23, (2, 3)), "<Int64>"),
    ("getindex", (M23, typed((2, 3))), "<Int64>"),
    ("getindex", (M23, (COLON, 2)), "<Vector{Int64} 2>"),
    ("getindex", (M23, typed((COLON, 2))), "<Vector{Int64} 2>"),
    ("getindex", (M23, (UnitRange(1, 2), COLON)), "<Matrix{Int64} 2×3>"),
    ("getindex", (M23, typed((UnitRange(1, 2), COLON))), "<Matrix{Int64}>"),
    ("getindex", (A234, (arr([[1, 2]]), 2, COLON)), "<Array{Float32, 3} 1×2×4>"),
    ("getindex", (M23, (M23 > 2,)), "<Vector{Int64}>"),
    ("getindex", (M23, (arr([True, False]), 1)), "<Vector{Int64}>"),
    ("getindex", (M23, (arr([[True, False]]),)), "BoundsError"),
    ("getindex", (M23, tup(1, typed(2.5))), "ArgumentError"),
    ("getindex", (M23, typed((1, 2.5))), "<Any>"),    # the unknown 1 may be out of bounds first
    ("getindex", (M23, tup(5, typed(2.5))), "BoundsError"),
    ("getindex", (vec(F64), (3,)), "<Float64>"),
    ("getindex", (vec(F64), (0,)), "BoundsError"),
    ("getindex", (vec(F64), (UnitRange(2, 4),)), "<Vector{Float64} 3>"),
    ("getindex", (R5, (2,)), "<Int64 = 2>"),
    ("getindex", (typed(R5), (2,)), "<Int64>"),
    ("getindex", (M23, typed((1.5,))), "ArgumentError"),
    ("getindex", (M23, L.AbstractValue(T.TupleType)), "<Any>"),
    ("setindex", (M23, 1, typed((1, 1))), "<Matrix{Int64} 2×3>"),
    ("setindex", (M23, vec(INT), (COLON, 1)), "<Matrix{Int64} 2×3>"),
    ("setindex", (M23, vec(INT, 3), (COLON, 1)), "DimensionMismatch"),
    ("setindex", (M23, 1.0, (COLON, 1)), "ArgumentError"),
    ("setindex", (M23, 1.0, typed((COLON, 1))), "<Matrix{Int64} 2×3>"),   # 1 may be out of bounds
    ("setindex", (M23, 1.0, (COLON, arr([1]))), "<Matrix{Int64} 2×3>"),
    ("elementwise", (G["+"], (M23, 1.5)), "<Matrix{Float64} 2×3>"),
    ("elementwise", (G["+"], tup(vec(F64), 1)), "<Vector{Float64}>"),
    ("elementwise", (G["+"], tup(vec(F64, 2), vec(F64, 3))), "DimensionMismatch"),
    ("elementwise", (G["+"], tup(vec(F64), M23)), "DimensionMismatch"),
    ("elementwise", (G["string"], tup(vec(F64))), "<Union{Vector{Any}, Vector{String}}>"),
    ("elementwise", (G["string"], (EMPTY,)), "<Vector{Any} 0>"),
    ("elementwise", (G["+"], L.AbstractValue(T.TupleType)), "<Any>"),
    ("reduce", (G["+"], M23, 0.0, None), "<Float64>"),
    ("reduce", (G["+"], M23, 0, (2,)), "<Matrix{Int64} 2×1>"),
    ("reduce", (G["+"], M23, 0, typed((2,))), "<Union{Matrix{Any}, Matrix{Int64}}>"),
    ("reduce", (G["+"], vec(INT), False, None), "<Integer>"),
    ("reduce", (G["+"], B4, False, None), "<Int64>"),
    ("accumulate", (G["+"], A234, 2), "<Array{Float32, 3} 2×3×4>"),
    ("accumulate", (G["+"], B4, 1), "<Vector 4>"),
    ("accumulate", (G["+"], M23, 3), "ArgumentError"),
    ("argextreme", (vec(F64), True), "<Int64>"),
    ("argextreme", (vec(F64, 0), True), "ArgumentError"),
]


@pytest.mark.parametrize("name,args,expected", PRECISE, ids=map(_id, PRECISE))
def test_rule_result(name, args, expected):
    if expected[0] == "<":
        assert repr(rule(name, *args)) == expected
    else:
        with pytest.raises(source.ArrError) as info:
            rule(name, *args)
        assert info.value.kind == expected


def test_errors_match_the_evaluation():
    """Where the arguments decide an error, the rule raises it with the evaluation's words."""
    for name, args in [("reshape", (M23, (4,))), ("matmul", (M23, M23)),
                       ("getindex", (M23, (1, UnitRange(2, 4)))), ("getindex", (M23, (7,))),
                       ("concatenate", ((arr([1, 2]), arr([1, 2, 3])), 2)),
                       ("broadcast_to", (arr([1, 2]), (3,))), ("matmul", (A234, V3))]:
        with pytest.raises(source.ArrError) as expected:
            call(name, *args)
        with pytest.raises(source.ArrError) as got:
            rule(name, *args)
        assert (got.value.kind, got.value.message) == (expected.value.kind, expected.value.message)


def test_every_intrinsic_here_has_a_shape_rule():
    ours = [name for name, p in PRIMITIVES.items() if p.impl.__module__ in MODULES]
    assert len(ours) >= 24
    missing = [name for name in ours if PRIMITIVES[name].shape is None]
    assert not missing, f"intrinsics without a shape rule: {missing}"
    untested = set(ours) - {row[0] for row in CASES + CTX_CASES + PLAIN_CASES}
    assert not untested, f"intrinsics without check_rule rows: {untested}"
