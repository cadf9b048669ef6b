"""Arrays are values (LANGUAGE.md section 3), and updating one that nothing else holds
costs the size of the update: the interpreter writes in place only when the old array
is provably unreachable (frames.consuming_updates)."""
from __future__ import annotations

import pytest

from lang.prims import indexing
from lang.session import Session


@pytest.fixture(scope="module")
def session() -> Session:
    """An interpreting session: these tests watch the interpreter's in-place updates
    (compiled code updates in place through XLA's dynamic_update_slice)."""
    s = Session()
    s.interp.jit_on = False
    return s


@pytest.fixture
def inplace_calls(monkeypatch):
    """Count the updates that were done in place."""
    calls = []
    original = indexing.setindex

    def spy(x, v, idx, inplace=False):
        out = original(x, v, idx, inplace)
        calls.append(out is x)
        return out

    monkeypatch.setattr(indexing, "setindex", spy)
    return calls


CASES = [
    # (definitions, expression, expected printed result)
    ("function a1()\n x = zeros(3)\n y = x\n y[1] = 1.0\n (x, y)\nend", "a1()",
     "([0.0, 0.0, 0.0], [1.0, 0.0, 0.0])"),
    ("function a2(v)\n v[1] = -1.0\n v\nend\nconst V2 = [5.0, 6.0]", "(a2(V2), V2)",
     "([-1.0, 6.0], [5.0, 6.0])"),
    ("function a3()\n x = zeros(2)\n f = () -> x\n x[1] = 9.0\n (f(), x)\nend", "a3()",
     "([9.0, 0.0], [9.0, 0.0])"),
    ("function a4()\n x = zeros(2)\n t = (x, 1)\n x[1] = 9.0\n (t[1], x)\nend", "a4()",
     "([0.0, 0.0], [9.0, 0.0])"),
    ("struct Box4; v; end\nfunction a5()\n x = zeros(2)\n b = Box4(x)\n x[2] = 3.0\n (b.v, x)\nend",
     "a5()", "([0.0, 0.0], [0.0, 3.0])"),
    ("function a6()\n x = zeros(2)\n xs = [x for _ in 1:1]\n x[1] = 4.0\n (xs[1], x)\nend",
     "a6()", "([0.0, 0.0], [4.0, 0.0])"),
    ("function a7()\n x = zeros(4)\n y = reshape(x, 2, 2)\n x[1] = 1.0\n (x, y)\nend", "a7()",
     "([1.0, 0.0, 0.0, 0.0], [0.0 0.0; 0.0 0.0])"),
    ("function a8()\n x = zeros(3)\n for i in 1:3\n  old = x\n  x[i] = i\n  i == 2 && return old\n end\nend",
     "a8()", "[1.0, 0.0, 0.0]"),
    ("G9 = zeros(2)\nfunction a9()\n G9[1] = 1.0\nend", "(a9(); G9)", "[1.0, 0.0]"),
]


@pytest.mark.parametrize("defs, expr, expected", CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_updates_never_change_other_holders(session: Session, defs, expr, expected) -> None:
    session.eval(defs)
    assert session.eval(f"repr({expr})") == expected


def test_fill_loop_updates_in_place(session: Session, inplace_calls) -> None:
    session.eval("function fill_sq(n)\n x = zeros(n)\n for i in 1:n\n  x[i] = i^2\n end\n x\nend")
    assert session.eval("repr(fill_sq(4))") == "[1.0, 4.0, 9.0, 16.0]"
    assert inplace_calls == [True] * 4


def test_shared_array_is_copied(session: Session, inplace_calls) -> None:
    session.eval("function keep_old(n)\n x = zeros(n)\n y = x\n x[1] = 1.0\n y\nend")
    assert session.eval("repr(keep_old(2))") == "[0.0, 0.0]"
    assert inplace_calls == []           # x stays live through y: the in-place path is not tried
