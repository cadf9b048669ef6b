"""Every error type of LANGUAGE.md section 7, as the user sees it from the `arr` command.

For each case the program is written to a file and run with `python -m lang FILE`. The test
checks the exit status (1), the first line of stderr (`Type: message`, phrased as Julia 1.10
phrases it), the `at FILE:LINE:COL` line, the quoted source line, the caret under the span,
and that no Python traceback leaks out.

The report format (lang/source.py):

    BoundsError: attempt to access 3-element Vector{Float64} at index [4]
      at prog.arr:2:5
        2 | y = x[4]
          |     ^^^^
    Stacktrace:
      [1] f at prog.arr:7:3
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 60
FILE = "prog.arr"


def run_file(tmp_path: Path, source: str, *, debug: bool = False) -> subprocess.CompletedProcess[str]:
    (tmp_path / FILE).write_text(source, encoding="utf-8")
    env = dict(os.environ)
    env.pop("ARR_DEBUG", None)
    env.pop("ARR_STRICT", None)
    if debug:
        env["ARR_DEBUG"] = "1"
    env["ARR_JIT"] = "0"
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "lang", FILE], cwd=tmp_path, env=env, capture_output=True,
        text=True, encoding="utf-8", errors="replace", timeout=TIMEOUT_S,
    )


@dataclass(frozen=True)
class Case:
    id: str
    source: str
    header: str                 # regex the first stderr line must match in full
    line: int
    col: int | None = None      # None: the column is not checked
    width: int | None = None    # None: the caret's width is not checked
    stderr_has: tuple[str, ...] = ()
    stdout: str = ""


CASES = [
    # ---------------------------------------------------------------- UndefVarError
    Case("undefvar", "x = 1\nprintln(y_undefined)\n",
         re.escape("UndefVarError: `y_undefined` not defined"), 2, 9, 11),
    Case("undefvar_in_function", "function f(x)\n    return helper_missing(x)\nend\nf(1)\n",
         re.escape("UndefVarError: `helper_missing` not defined"), 2, 12),
    # ---------------------------------------------------------------- MethodError
    Case("method_no_match", 'f(x::String) = x\nprintln(f("a"))\nf(1)\n',
         re.escape("MethodError: no method matching f(::Int64)"), 3, 1, 4,
         stderr_has=("Closest candidates", f"{FILE}:1"), stdout="a\n"),
    Case("method_operator", 'y = "a" * 2\n',
         re.escape("MethodError: no method matching *(::String, ::Int64)"), 1, 5),
    Case("method_ambiguous", "g(x::Int, y) = 1\ng(x, y::Int) = 2\ng(1, 2)\n",
         r"MethodError: .*ambiguous.*", 3, 1, 7),
    # ---------------------------------------------------------------- BoundsError
    Case("bounds_vector", "x = [1.0, 2.0, 3.0]\ny = x[4]\n",
         re.escape("BoundsError: attempt to access 3-element Vector{Float64} at index [4]"), 2, 5, 4),
    Case("bounds_matrix", "A = [1 2; 3 4]\nA[3, 1]\n",
         re.escape("BoundsError: attempt to access 2×2 Matrix{Int64} at index [3, 1]"), 2, 1, 7),
    Case("bounds_in_function", "function get3(v)\n    v[3]\nend\nget3([1, 2])\n",
         re.escape("BoundsError: attempt to access 2-element Vector{Int64} at index [3]"), 2, 5, 4,
         stderr_has=("Stacktrace:", "get3")),
    # ---------------------------------------------------------------- DimensionMismatch
    Case("dimension_broadcast", "a = [1, 2] .+ [1, 2, 3]\n",
         r"DimensionMismatch: arrays could not be broadcast to a common size.*", 1, 5),
    Case("dimension_plus", "a = [1, 2] + [1, 2, 3]\n", r"DimensionMismatch: .+", 1, 5),
    # ---------------------------------------------------------------- TypeError
    Case("type_nonbool", 'println("a")\nif 1\n    println("b")\nend\n',
         re.escape("TypeError: non-boolean (Int64) used in boolean context"), 2, stdout="a\n"),
    Case("type_assert", "x = 1\ny = x::Float64\n",
         re.escape("TypeError: in typeassert, expected Float64, got a value of type Int64"), 2, 5),
    # ---------------------------------------------------------------- ArgumentError
    Case("argument_thrown", 'throw(ArgumentError("negative size"))\n',
         re.escape("ArgumentError: negative size"), 1, 1),
    Case("argument_empty_reduce", "m = maximum(Float64[])\n", r"ArgumentError: .+", 1, 5),
    # ---------------------------------------------------------------- DomainError
    Case("domain_sqrt", "y = sqrt(-1.0)\n", r"DomainError(:| with).*-1\.0.*", 1, 5, 10,
         stderr_has=("sqrt",)),
    # ---------------------------------------------------------------- InexactError
    Case("inexact_int", "y = Int(3.5)\n", re.escape("InexactError: Int64(3.5)"), 1, 5, 8),
    # ---------------------------------------------------------------- DivideError
    Case("divide_div", "q = div(7, 0)\n", re.escape("DivideError: integer division error"), 1, 5, 9),
    Case("divide_in_function", "h(a, b) = a ÷ b\nh(1, 0)\n",
         re.escape("DivideError: integer division error"), 1, 11),
    # ---------------------------------------------------------------- OverflowError
    Case("overflow_factorial", "factorial(21)\n", r"OverflowError: .*21.*", 1, 1, 13),
    # ---------------------------------------------------------------- StackOverflowError
    Case("stack_overflow", "f(n) = f(n + 1) + 1\nf(1)\n", r"StackOverflowError:?.*", 1),
    # ---------------------------------------------------------------- ErrorException
    Case("error_call", 'error("boom")\n', re.escape("ErrorException: boom"), 1, 1, 13),
    Case("error_in_function",
         'function check(x)\n    x > 0 || error("not positive")\n    x\nend\ncheck(-1)\n',
         re.escape("ErrorException: not positive"), 2, 14, stderr_has=("Stacktrace:", "check")),
    # ---------------------------------------------------------------- CompileError
    # (asking for the StableHLO of a function that only the interpreter can run)
    Case("compile_code_hlo", "shout(x) = println(x)\n@code_hlo shout(2.0)\n",
         r"CompileError: shout cannot be compiled: .*", 2, 1, 20),
    # ---------------------------------------------------------------- ParseError
    Case("parse_token", "x = 1\ny = 1 +* 2\n", r"ParseError: .+", 2, 8),
    Case("parse_paren", "println(1))\n", r"ParseError: .+", 1, 11),
    Case("parse_end", "x = 1\nend\n", r"ParseError: .+", 2, 1),
    # ---------------------------------------------------------------- others the runtime has
    Case("assertion", "@assert 1 == 2\n", re.escape("AssertionError: 1 == 2"), 1, 1),
    Case("user_exception", "struct Oops <: Exception\n    code::Int\nend\nthrow(Oops(3))\n",
         r"Oops\b.*", 4, 1),
]


def parse_report(stderr: str) -> tuple[list[str], re.Match[str] | None, int | None]:
    """The stderr lines, the `at` line's match and its index."""
    lines = stderr.split("\n")
    for i, line in enumerate(lines):
        m = re.match(r"^\s*at (.+):(\d+):(\d+)\s*$", line)
        if m:
            return lines, m, i
    return lines, None, None


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_error_report(case: Case, tmp_path: Path) -> None:
    proc = run_file(tmp_path, case.source)
    report = f"--- stderr ---\n{proc.stderr}\n--- stdout ---\n{proc.stdout}"
    assert proc.returncode == 1, f"exit status {proc.returncode}\n{report}"
    assert "Traceback" not in proc.stderr, report
    assert proc.stdout == case.stdout, report

    lines, at, at_index = parse_report(proc.stderr)
    assert re.fullmatch(case.header, lines[0]), f"first line {lines[0]!r} !~ {case.header!r}\n{report}"

    assert at is not None and at_index is not None, f"no `at file:line:col` line\n{report}"
    assert at.group(1).endswith(FILE), report
    got_line, got_col = int(at.group(2)), int(at.group(3))
    assert got_line == case.line, f"line {got_line}, expected {case.line}\n{report}"
    if case.col is not None:
        assert got_col == case.col, f"column {got_col}, expected {case.col}\n{report}"

    # The quoted source line, then the caret line under the span.
    source_line = case.source.split("\n")[case.line - 1]
    assert at_index + 2 < len(lines), report
    quoted, caret = lines[at_index + 1], lines[at_index + 2]
    m = re.match(rf"^\s*{case.line} \| (.*)$", quoted)
    assert m and m.group(1) == source_line, f"quoted source line {quoted!r}\n{report}"
    m = re.match(r"^\s*\| ( *)(\^+)\s*$", caret)
    assert m, f"caret line {caret!r}\n{report}"
    assert len(m.group(1)) + 1 == got_col, f"caret at column {len(m.group(1)) + 1}, report says {got_col}\n{report}"
    # The caret line's bar lines up with the quoted line's bar.
    assert caret.index("|") == quoted.index("|"), report
    if case.width is not None:
        assert len(m.group(2)) == case.width, f"caret width {len(m.group(2))}, expected {case.width}\n{report}"

    for text in case.stderr_has:
        assert text in proc.stderr, f"stderr lacks {text!r}\n{report}"


def test_ambiguity_names_both_methods(tmp_path: Path) -> None:
    proc = run_file(tmp_path, "g(x::Int, y) = 1\ng(x, y::Int) = 2\ng(1, 2)\n")
    assert proc.returncode == 1
    assert "ambiguous" in proc.stderr.split("\n")[0]
    # Beyond the call itself, both candidate methods are named.
    assert proc.stderr.count("g(") >= 3, proc.stderr


def test_closest_candidates_are_listed_with_locations(tmp_path: Path) -> None:
    src = "area(r::Float64) = 3.0 * r^2\narea(w::Float64, h::Float64) = w * h\narea(\"big\")\n"
    proc = run_file(tmp_path, src)
    assert proc.returncode == 1
    assert proc.stderr.startswith("MethodError: no method matching area(::String)"), proc.stderr
    assert "Closest candidates" in proc.stderr, proc.stderr
    assert f"{FILE}:1" in proc.stderr and f"{FILE}:2" in proc.stderr, proc.stderr


def test_stacktrace_lists_arr_frames(tmp_path: Path) -> None:
    src = (
        "function level3(x)\n    return x[10]\nend\n"
        "function level2(x)\n    return level3(x) + 1\nend\n"
        "function level1(x)\n    return level2(x) * 2\nend\n"
        "level1([1, 2, 3])\n"
    )
    proc = run_file(tmp_path, src)
    assert proc.returncode == 1
    assert proc.stderr.startswith("BoundsError: "), proc.stderr
    assert f"at {FILE}:2:12" in proc.stderr or re.search(r"at .*prog\.arr:2:12", proc.stderr), proc.stderr
    trace = proc.stderr.split("Stacktrace:", 1)
    assert len(trace) == 2, proc.stderr
    frames = [ln for ln in trace[1].split("\n") if re.match(r"^\s*\[\d+\]", ln)]
    names = " ".join(frames)
    for name in ("level3", "level2", "level1"):
        assert name in names, proc.stderr
    # Frames carry Arr locations (file:line:col), not Python ones.
    assert all(re.search(r"prog\.arr:\d+:\d+", ln) for ln in frames), proc.stderr
    assert ".py" not in proc.stderr


def test_stack_overflow_is_not_a_python_recursion_error(tmp_path: Path) -> None:
    src = "function down(n)\n    return down(n + 1) + 1\nend\ndown(0)\n"
    proc = run_file(tmp_path, src)
    assert proc.returncode == 1
    assert proc.stderr.startswith("StackOverflowError"), proc.stderr[:2000]
    assert "RecursionError" not in proc.stderr
    assert "Traceback" not in proc.stderr
    # A report the user can read: repeated frames are not printed ten thousand times.
    assert len(proc.stderr.split("\n")) < 500, f"{len(proc.stderr.splitlines())} lines of stderr"


def test_output_before_the_error_is_kept(tmp_path: Path) -> None:
    proc = run_file(tmp_path, 'println("one")\nprintln("two")\nerror("three")\nprintln("four")\n')
    assert proc.returncode == 1
    assert proc.stdout == "one\ntwo\n"
    assert proc.stderr.startswith("ErrorException: three")


def test_caught_error_exits_zero(tmp_path: Path) -> None:
    proc = run_file(tmp_path, 'try\n    error("x")\ncatch e\n    println(e.msg)\nend\n')
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "x\n"

