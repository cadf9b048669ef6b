"""The IR stage: every lowered body verifies, and printed IR matches golden files.

Golden files live in tests/golden/*.ir; run `ARR_UPDATE_GOLDEN=1 pytest tests/test_ir.py`
to rewrite them after an intended change (the diff then shows what changed).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from lang import syntax as S
from lang.interp import Closure
from lang.ir import IRFunction
from lang.lower import LambdaInfo, MethodDef, StructDefInfo, lower_toplevel
from lang.parser import parse
from lang.printer import format_function
from lang.session import Session
from lang.verify import IRVerifyError, verify

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"


def all_functions(fn: IRFunction):
    """`fn` and every body nested in it (methods, lambdas, constructors)."""
    yield fn
    for blk in fn.blocks:
        for inst in blk.insts:
            a = inst.attr
            if isinstance(a, (MethodDef, LambdaInfo)):
                yield from all_functions(a.ir)
            elif isinstance(a, StructDefInfo):
                for c in a.constructors:
                    yield from all_functions(c.ir)


def lower_file(path: Path) -> list[IRFunction]:
    prog = parse(path.read_text(), str(path))
    out = []
    for stmt in prog.stmts:
        out.extend(all_functions(lower_toplevel(stmt, lambda n: False)))
    return out


SOURCES = sorted((ROOT / "stdlib").glob("*.arr")) + sorted((ROOT / "tests" / "programs").glob("*.arr"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_every_lowered_body_verifies(path: Path) -> None:
    try:
        fns = lower_file(path)
    except Exception as e:                 # parse/lowering errors are checked elsewhere
        if type(e).__name__ == "ParseError":
            pytest.skip(f"does not lower on its own: {e.message}")
        raise
    for fn in fns:
        verify(fn)


GOLDEN_CASES = {
    "branch_loop": """
function f(x, n)
    s = 0.0
    for i in 1:n
        if i > 2
            break
        end
        s += x * i
    end
    return s
end
""",
    "closure_box": """
function counter()
    c = 0
    inc = () -> (c += 1)
    inc()
    return c
end
""",
    "short_circuit": """
g(x) = x > 0 && x < 10 ? x : -x
""",
    "try_catch": """
function h(x)
    y = 1
    try
        y = 2
        error("boom")
    catch e
        return y
    end
end
""",
}


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden_ir(name: str) -> None:
    fns = []
    for stmt in parse(GOLDEN_CASES[name], f"{name}.arr").stmts:
        fns.extend(all_functions(lower_toplevel(stmt, lambda n: False)))
    for fn in fns:
        verify(fn)
    text = "\n\n".join(format_function(fn) for fn in fns) + "\n"
    path = GOLDEN / f"{name}.ir"
    if os.environ.get("ARR_UPDATE_GOLDEN") == "1" or not path.exists():
        path.write_text(text)
    assert text == path.read_text(), f"IR of {name} changed:\n{text}"


def test_verifier_rejects_use_before_definition() -> None:
    fn = lower_file_text("k(x) = x + 1")
    body = fn[1]
    blk = body.blocks[0]
    blk.insts[0], blk.insts[-1] = blk.insts[-1], blk.insts[0]
    with pytest.raises(IRVerifyError):
        verify(body)


def test_verifier_rejects_bad_branch_arity() -> None:
    fn = lower_file_text("function m(x)\n  y = 0\n  while y < x\n    y += 1\n  end\n  y\nend")[1]
    for blk in fn.blocks:
        if blk.term.op == "br" and blk.term.target_args[0]:
            blk.term.target_args = ((),)
            break
    else:
        pytest.fail("expected a branch with block arguments")
    with pytest.raises(IRVerifyError):
        verify(fn)


def lower_file_text(text: str) -> list[IRFunction]:
    out = []
    for stmt in parse(text, "t.arr").stmts:
        out.extend(all_functions(lower_toplevel(stmt, lambda n: False)))
    return out


def test_loop_variables_become_block_arguments() -> None:
    fn = lower_file_text("function m(x)\n  y = 0\n  while y < x\n    y += 1\n  end\n  y\nend")[1]
    assert any(blk.params for blk in fn.blocks), format_function(fn)
    # no `checkdef` is left: y is always defined
    assert not any(i.op == "checkdef" for b in fn.blocks for i in b.insts)


def test_code_ir_macro_prints_the_ir(capsys) -> None:
    s = Session()
    s.eval("sq(x) = x * x")
    s.eval("@code_ir sq(3)")
    out = capsys.readouterr().out
    assert "function sq (1 args)" in out and "ret %" in out
