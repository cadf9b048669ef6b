"""Type inference (lang/infer.py), table-driven: definitions, a call, the inferred result.

This is the first part of the JIT issue: inference runs on the IR with the intrinsics'
shape rules; nothing is compiled yet.
"""
from __future__ import annotations

import numpy as np
import pytest

from lang import types as T
from lang.infer import Inference
from lang.interp import MethodImpl
from lang.lattice import of_value
from lang.session import Session
from lang import dispatch


@pytest.fixture(scope="module")
def session() -> Session:
    return Session()


def infer_call(session: Session, defs: str, fname: str, *args, keep_const=False):
    session.eval(defs)
    f = session.interp.globals[fname]
    argv = [of_value(a, keep_const=keep_const) for a in args]
    engine = Inference(session.interp)
    method, env = dispatch.lookup(f, tuple(T.typeof(a) for a in args), None)
    assert isinstance(method.impl, MethodImpl)
    return engine.infer(method.impl.ir, argv, env)


CASES = [
    # (definitions, function, args, result type, result shape)
    ("i1(x) = x + 1", "i1", (3,), "Int64", ()),
    ("i2(x) = x + 1", "i2", (3.0,), "Float64", ()),
    ("i3(x, y) = x * y", "i3", (2, np.float32(1.5)), "Float32", ()),
    ("i4(x) = x / 2", "i4", (3,), "Float64", ()),
    ("i5(x) = x > 0 ? x : -x", "i5", (2.0,), "Float64", ()),
    pytest.param("i6(v) = v .* 2.0", "i6", (np.zeros(3),), "Vector{Float64}", (3,),
                 marks=pytest.mark.xfail(strict=True, reason=(
                     "stdlib broadcast's loop over its arguments changes the type of `shape`"
                     " (Tuple{} then Tuple{Int64}); inference needs to unroll loops over"
                     " tuples (LANGUAGE.md section 6), which is the JIT issue's work"))),
    ("i7(A, x) = A * x", "i7", (np.zeros((2, 3)), np.zeros(3)), "Vector{Float64}", (2,)),
    ("function i8(x)\n s = 0.0\n for i in 1:length(x)\n  s += x[i]\n end\n s\nend", "i8",
     (np.zeros(4),), "Float64", ()),
    ("i9(x) = (x, 2x)", "i9", (1.5,), "Tuple{Float64, Float64}", ()),
    ("struct P9; a::Float64; b::Int64; end\ni10(p) = p.a + p.b", "i10",
     None, "Float64", ()),
]


@pytest.mark.parametrize("defs, fname, args, rtype, rshape", CASES,
                         ids=[c.values[1] if hasattr(c, "values") else c[1] for c in CASES])
def test_inferred_result(session, defs, fname, args, rtype, rshape) -> None:
    if args is None:               # a struct argument, built in the session
        session.eval(defs.split("\n")[0])
        args = (session.eval("P9(1.0, 2)"),)
    typed = infer_call(session, defs, fname, *args)
    assert T.show_type(typed.ret.type) == rtype, typed.ret
    assert typed.ret.shape == rshape


def test_constants_fold_through_calls(session) -> None:
    typed = infer_call(session, "c1(n) = zeros(n, 3)", "c1", 2, keep_const=True)
    assert T.show_type(typed.ret.type) == "Matrix{Float64}"
    assert typed.ret.shape == (2, 3)


def test_branch_on_constant_follows_one_side(session) -> None:
    typed = infer_call(session, "c2(flag, x) = flag ? x : \"no\"", "c2", True, 1.0,
                       keep_const=True)
    assert T.show_type(typed.ret.type) == "Float64"


def test_type_instability_names_the_variable(session) -> None:
    defs = "function u1(n)\n x = 0\n for i in 1:n\n  x = x / 2\n end\n x\nend"
    typed = infer_call(session, defs, "u1", 3)
    msgs = [i.message() for i in typed.instabilities]
    assert any("`x`" in m and "Int64" in m and "Float64" in m for m in msgs), msgs


def test_interpreter_only_operations_are_reported(session) -> None:
    typed = infer_call(session, "p1(x) = (println(x); x)", "p1", 1)
    # println is fine to infer (it returns nothing); try/catch is not compilable
    typed = infer_call(session, "p2(x) = try\n x\ncatch\n 0\nend", "p2", 1)
    assert "try/catch" in typed.interpreter_only


def test_code_typed_prints_types(session, capsys) -> None:
    session.eval("ct(x) = x * 2.0")
    session.eval("@code_typed ct(3.0)")
    out = capsys.readouterr().out
    assert "::Float64" in out and "=> Float64" in out
