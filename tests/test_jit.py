"""The JIT (section 10): one executable per call signature, caches, errors from compiled code.

These tests run Arr through `Session` in this process (to look at the JIT's counters) and
through the `arr` command in fresh processes (for the disk cache).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("jax")

from lang.session import Session  # noqa: E402
from lang.source import ArrError  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

SIMULATE = """
struct Params
    rate::Float64
    limit::Float64
end

function simulate(p::Params, x0, n)
    x = x0
    i = 0
    while i < n
        if x > p.limit
            x = x - p.rate * x
        else
            x = x + p.rate
        end
        i += 1
    end
    x
end
"""


def session(src: str, jit: bool = True) -> Session:
    s = Session()
    s.interp.jit_on = jit
    s.eval(src, "test.arr")
    return s


def reference(src: str, call: str):
    return session(src, jit=False).eval(call)


def test_loop_branch_struct_compiles_once() -> None:
    s = session(SIMULATE)
    first = s.eval("simulate(Params(0.25, 2.0), 0.5, 40)")
    jit = s.interp.jit
    assert jit is not None and jit.stats["compiled"] == 1
    assert jit.stats["calls"] == 1
    text = next(iter(jit.entries.values())).variants[()].text
    assert "stablehlo.while" in text and ("stablehlo.if" in text or "stablehlo.select" in text)
    # the same types again: the cached executable runs, nothing is staged or compiled
    second = s.eval("simulate(Params(0.5, 3.0), 1.5, 7)")
    assert jit.stats["compiled"] == 1 and jit.stats["calls"] == 2
    assert first == pytest.approx(reference(SIMULATE, "simulate(Params(0.25, 2.0), 0.5, 40)"))
    assert second == pytest.approx(reference(SIMULATE, "simulate(Params(0.5, 3.0), 1.5, 7)"))
    # other argument types make a second executable
    s.eval("simulate(Params(0.25, 2.0), 0.5, 3.0)")
    assert jit.stats["compiled"] == 2


def test_redefinition_invalidates() -> None:
    s = session("f(x) = x * 2.0\ng(x) = f(x) + 1.0")
    assert s.eval("g(1.0)") == 3.0
    s.eval("f(x) = x * 10.0")
    assert s.eval("g(1.0)") == 11.0


def test_float64_and_int64_stay_64_bit() -> None:
    s = session("h(x, n) = x * 1.0000000001 + n * 4611686018427387904")
    v = s.eval("h(1.0, 1)")
    assert v == 1.0000000001 + 4611686018427387904
    s2 = session("k(n) = n * 3")
    assert s2.eval("k(4611686018427387904)") == (3 * 4611686018427387904 + 2**63) % 2**64 - 2**63


def test_compile_time_dimension_mismatch_points_at_the_star() -> None:
    src = "function m(A, x)\n    y = A * x\n    y\nend\n"
    s = session(src)
    with pytest.raises(ArrError) as info:
        s.eval("m([1.0 2.0; 3.0 4.0], [1.0, 2.0, 3.0])")
    e = info.value
    assert e.kind == "DimensionMismatch"
    text = e.render()
    assert "at test.arr:2:9" in text
    assert "^^^^^" in text


def test_bounds_error_from_compiled_code() -> None:
    src = ("function pick(v, i)\n    s = 0.0\n    k = 1\n    while k <= i\n"
           "        s += v[k]\n        k += 1\n    end\n    s\nend\n")
    s = session(src)
    assert s.eval("pick([1.0, 2.0, 3.0], 2)") == 3.0
    assert s.interp.jit.stats["compiled"] == 1
    with pytest.raises(ArrError) as info:
        s.eval("pick([1.0, 2.0, 3.0], 5)")
    e = info.value
    assert s.interp.jit.stats["compiled"] == 1          # raised by the compiled code
    assert e.kind == "BoundsError"
    assert "attempt to access 3-element Vector{Float64} at index [4]" in e.message
    assert "at test.arr:5:14" in e.render()


def test_error_call_in_compiled_code() -> None:
    src = "function safe_sqrt(x)\n    x < 0 && error(\"negative input\")\n    sqrt(x)\nend\n"
    s = session(src)
    assert s.eval("safe_sqrt(4.0)") == 2.0
    with pytest.raises(ArrError) as info:
        s.eval("safe_sqrt(-1.0)")
    assert info.value.kind == "ErrorException" and info.value.message == "negative input"
    assert "at test.arr:2:14" in info.value.render()
    assert s.interp.jit.stats["compiled"] == 1


def test_type_instability_is_reported_with_lines(capsys, monkeypatch) -> None:
    src = "function f(n)\n    x = 0\n    i = 1\n    while i <= n\n        x = x + 0.5\n" \
          "        i += 1\n    end\n    x\nend\n"
    s = session(src)
    assert s.eval("f(3)") == 1.5                  # runs in the interpreter
    err = capsys.readouterr().err
    assert "variable `x` changes type in a loop: Int64 (line 2) and Float64 (line 5)" in err
    monkeypatch.setenv("ARR_STRICT", "1")
    s2 = session(src)
    with pytest.raises(ArrError) as info:
        s2.eval("f(3)")
    assert info.value.kind == "CompileError"
    assert "at test.arr:5:13" in info.value.render()


def test_shape_deciding_integers_are_specialised() -> None:
    s = session("function z(n)\n    a = zeros(n)\n    a .+ 1.0\nend\n")
    assert list(s.eval("z(3)")) == [1.0, 1.0, 1.0]
    assert list(s.eval("z(2)")) == [1.0, 1.0]
    assert s.interp.jit.stats["compiled"] == 2
    entry = next(iter(s.interp.jit.entries.values()))
    assert entry.spec == frozenset({(0,)})


def test_mixed_mode_printing_function_calls_compiled_code(capsys) -> None:
    s = session("inner(x) = x * x + 1.0\nfunction outer(x)\n    println(\"value: \", inner(x))\n"
                "    nothing\nend\n")
    s.eval("outer(2.0)")
    assert capsys.readouterr().out == "value: 5.0\n"
    stats = s.interp.jit.stats
    assert stats["interpreted"] == 1 and stats["compiled"] == 1


def test_code_hlo_shows_one_module(capsys) -> None:
    s = session(SIMULATE)
    s.eval("@code_hlo simulate(Params(0.25, 2.0), 0.5, 40)")
    out = capsys.readouterr().out
    assert out.count("func.func public @main") == 1
    assert "stablehlo.while" in out


def test_constant_loops_run_at_compile_time(capsys) -> None:
    """A loop entered with constants that hands constants (or values of new types) to the
    next iteration runs while staging (broadcast's shape scan); one that carries run-time
    values of one type is a `stablehlo.while`."""
    s = session("""
function scaled(x)
    n = 0
    for i in 1:5
        n += i
    end
    x .* n
end
function total(x)
    s = 0.0
    for i in 1:10
        s += x[i]
    end
    s
end
""")
    s.eval("@code_hlo scaled([1.0, 2.0])")
    assert "stablehlo.while" not in capsys.readouterr().out
    s.eval("@code_hlo total(collect(1.0:10.0))")
    assert "stablehlo.while" in capsys.readouterr().out
    assert s.eval("total(collect(1.0:10.0))") == 55.0
    assert s.eval("scaled([1.0, 2.0])").tolist() == [15.0, 30.0]


def test_interpret_macro_forces_the_interpreter() -> None:
    s = session(SIMULATE)
    v = s.eval("@interpret simulate(Params(0.25, 2.0), 0.5, 40)")
    assert s.interp.jit is None or s.interp.jit.stats["compiled"] == 0
    assert v == pytest.approx(reference(SIMULATE, "simulate(Params(0.25, 2.0), 0.5, 40)"))


# ---------------------------------------------------------------- the disk cache
def run_arr(path: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, ARR_CACHE_DIR=str(cache), ARR_JIT_STATS="1", ARR_JIT="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-m", "lang", str(path)], env=env,
                          capture_output=True, text=True, timeout=120)


def stats(proc: subprocess.CompletedProcess[str]) -> dict[str, int]:
    m = re.search(r"jit-stats: (.*)", proc.stderr)
    assert m, proc.stderr
    return {k: int(v) for k, v in (kv.split("=") for kv in m.group(1).split())}


def test_disk_cache_survives_a_corrupt_entry(tmp_path: Path) -> None:
    prog = tmp_path / "prog.arr"
    prog.write_text(SIMULATE + "println(simulate(Params(0.25, 2.0), 0.5, 40))\n")
    cache = tmp_path / "cache"
    first = run_arr(prog, cache)
    assert first.returncode == 0, first.stderr
    assert stats(first)["xla_compiles"] == 1
    entries = sorted((cache / "xla").glob("*"))
    assert len(entries) == 1
    again = run_arr(prog, cache)                       # a fresh process: read from disk
    assert again.stdout == first.stdout
    assert stats(again)["disk_hits"] == 1 and stats(again)["xla_compiles"] == 0
    data = entries[0].read_bytes()
    entries[0].write_bytes(data[:40] + b"garbage" * 50)      # corrupt it
    third = run_arr(prog, cache)
    assert third.returncode == 0, third.stderr
    assert third.stdout == first.stdout
    assert stats(third)["xla_compiles"] == 1             # rebuilt
    fourth = run_arr(prog, cache)
    assert stats(fourth)["disk_hits"] == 1               # and the rebuilt entry is good


def test_min_max_signed_zero_and_nan_match_the_interpreter() -> None:
    src = ("function mm(x, y)\n    (max(x, y), min(x, y), max.([x, y], [y, x]))\nend\n")
    cases = [(-0.0, 0.0), (0.0, -0.0), (float("nan"), 1.0), (1.0, float("nan")), (2.0, 3.0)]
    s, ref = session(src), session(src, jit=False)
    for a, b in cases:
        got = s.eval(f"repr(mm({a!r}, {b!r}))".replace("nan", "NaN"))
        want = ref.eval(f"repr(mm({a!r}, {b!r}))".replace("nan", "NaN"))
        assert got == want, (a, b)
    assert s.interp.jit.stats["compiled"] >= 1
