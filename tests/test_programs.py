"""Language tests: every `tests/programs/*.arr` runs through the real CLI, once per mode.

A program states what it must do in comments (Crafting Interpreters style):

    println(1 + 2)            # expect: 3
    x[4]                      # expect error: BoundsError at 7:5
    # expect stderr: attempt to access

* `# expect: TEXT`  - the next line of stdout is exactly TEXT (`# expect:` alone: an empty line).
* `# expect error: Type [at L[:C]]` - the program exits with status 1, and the error report on
  stderr starts with `Type:` (for DomainError also `DomainError with ...`).  With `at L:C` the
  report's `at file:L:C` line must name that line and column; `at L` checks the line only.
* `# expect stderr: TEXT` - stderr contains TEXT.
* `# interpreted: REASON` - nothing in this program compiles (top-level code only, or
  functions that need the interpreter); otherwise, in `jit` mode, at least one call must
  have run as a compiled executable (the JIT reports its counters, `ARR_JIT_STATS=1`).
A program without `# expect error:` must exit 0.  In every case stdout is exactly the expected
lines, and stderr never shows a Python traceback.

Each program runs as its own process (`python -m lang file.arr`, the `arr` command) in two
modes, `interp` (ARR_JIT=0) and `jit` (ARR_JIT=all: every call from the top level is
compiled); both must print the expected output, so both agree.

The selected programs run concurrently, `ARR_TEST_JOBS` at a time (default: the CPU count),
so the whole suite costs about (programs x modes x startup) / cores.
"""
from __future__ import annotations

import difflib
import os
import shutil
import re
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS_DIR = ROOT / "tests" / "programs"
TIMEOUT_S = 60
MODES = {"interp": "0", "jit": "1"}

EXPECT_OUT = re.compile(r"#\s*expect:(?: (.*))?$")
EXPECT_ERROR = re.compile(r"#\s*expect error:\s*([A-Za-z_]\w*)(?:\s+at\s+(\d+)(?::(\d+))?)?\s*$")
EXPECT_STDERR = re.compile(r"#\s*expect stderr: (.*)$")
INTERPRETED = re.compile(r"#\s*interpreted: (.+)$")
JIT_STATS = re.compile(r"^jit-stats: compiled=(\d+) calls=(\d+)", re.M)
ANY_EXPECT = re.compile(r"#\s*expect\b")

# Error names an Arr error report may start with; used to find the report among other stderr
# lines (a warning from the compiler may come first).
KNOWN_ERRORS = (
    "ParseError", "UndefVarError", "MethodError", "BoundsError", "DimensionMismatch", "TypeError",
    "ArgumentError", "DomainError", "InexactError", "DivideError", "OverflowError",
    "StackOverflowError", "ErrorException", "CompileError", "KeyError", "AssertionError",
    "InterruptException",
)
AT_LINE = re.compile(r"^\s*at (.+):(\d+):(\d+)\s*$")


@dataclass
class Expectations:
    stdout: list[str] = field(default_factory=list)
    error: str | None = None
    error_line: int | None = None
    error_col: int | None = None
    stderr: list[str] = field(default_factory=list)
    interpreted: str | None = None


def parse_expectations(path: Path) -> Expectations:
    exp = Expectations()
    for lineno, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if m := EXPECT_ERROR.search(line):
            assert exp.error is None, f"{path.name}:{lineno}: a second `# expect error:`"
            exp.error = m.group(1)
            exp.error_line = int(m.group(2)) if m.group(2) else None
            exp.error_col = int(m.group(3)) if m.group(3) else None
        elif m := EXPECT_STDERR.search(line):
            exp.stderr.append(m.group(1))
        elif m := INTERPRETED.search(line):
            exp.interpreted = m.group(1)
        elif m := EXPECT_OUT.search(line):
            exp.stdout.append(m.group(1) or "")
        elif ANY_EXPECT.search(line):
            raise AssertionError(f"{path.name}:{lineno}: malformed expectation: {line.strip()}")
    return exp


def program_files() -> list[Path]:
    return sorted(PROGRAMS_DIR.glob("*.arr"))


def arr_command() -> list[str]:
    """The `arr` console script installed beside this Python (the real CLI), else
    `python -m lang`, which is the same entry point."""
    script = shutil.which("arr", path=os.path.dirname(sys.executable))
    return [script] if script else [sys.executable, "-m", "lang"]


def run_arr(args: list[str], cwd: Path, jit: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("ARR_DEBUG", None)
    env.pop("ARR_STRICT", None)
    env["ARR_JIT"] = jit
    env["ARR_JIT_STATS"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run(
        [*arr_command(), *args],
        cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8",
        errors="replace", timeout=TIMEOUT_S,
    )


def stdout_lines(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def error_report_start(stderr: str, expected: str) -> int | None:
    """Index of the stderr line where the error report starts, or None.

    The report is the first line naming an error type, so an earlier warning is allowed but an
    earlier report of a different error is not."""
    lines = stderr.split("\n")
    header = re.compile(rf"^{re.escape(expected)}(:| with )")
    for i, line in enumerate(lines):
        if header.match(line):
            return i
        if any(line.startswith(k + ":") or line.startswith(k + " with ") for k in KNOWN_ERRORS):
            return None
    return None


def run_program(path: Path, mode: str) -> subprocess.CompletedProcess[str] | str:
    """The finished process, or a message saying why there is none.  In `jit` mode every
    call the top level makes is compiled (`ARR_JIT=all`), so that the corpus checks the
    compiled semantics of each operation; a program marked `# interpreted:` runs with the
    default policy instead."""
    jit = MODES[mode]
    if mode == "jit" and parse_expectations(path).interpreted is None:
        jit = "all"
    try:
        return run_arr([path.name], path.parent, jit)
    except subprocess.TimeoutExpired as e:
        return f"timed out after {TIMEOUT_S} s\n--- stdout ---\n{e.stdout}\n--- stderr ---\n{e.stderr}"


def check_program(path: Path, mode: str, proc: subprocess.CompletedProcess[str] | str | None = None) -> list[str]:
    """Check one program's run (made here unless given); return the problems (empty: it passes)."""
    exp = parse_expectations(path)
    if proc is None:
        proc = run_program(path, mode)
    if isinstance(proc, str):
        return [proc]
    problems: list[str] = []
    actual = stdout_lines(proc.stdout)
    if actual != exp.stdout:
        diff = "\n".join(difflib.unified_diff(exp.stdout, actual, "expected", "actual", lineterm=""))
        problems.append(f"stdout differs:\n{diff}")
    if "Traceback" in proc.stderr:
        problems.append("stderr shows a Python traceback")
    if exp.error is None:
        if proc.returncode != 0:
            problems.append(f"exit status {proc.returncode}, expected 0")
    else:
        if proc.returncode != 1:
            problems.append(f"exit status {proc.returncode}, expected 1")
        start = error_report_start(proc.stderr, exp.error)
        if start is None:
            problems.append(f"stderr does not report `{exp.error}:`")
        elif exp.error_line is not None:
            rest = proc.stderr.split("\n")[start + 1:]
            at = next((m for m in map(AT_LINE.match, rest) if m), None)
            want = f"{exp.error_line}" + (f":{exp.error_col}" if exp.error_col else "")
            if at is None:
                problems.append(f"the error report has no `at file:line:col` line (expected {want})")
            else:
                got_line, got_col = int(at.group(2)), int(at.group(3))
                if got_line != exp.error_line or (exp.error_col is not None and got_col != exp.error_col):
                    problems.append(f"error at {got_line}:{got_col}, expected {want}")
    for text in exp.stderr:
        if text not in proc.stderr:
            problems.append(f"stderr lacks {text!r}")
    if mode == "jit" and exp.interpreted is None and exp.error is None:
        m = JIT_STATS.search(proc.stderr)
        if m is None or int(m.group(2)) == 0:
            problems.append("no call ran compiled (mark the program `# interpreted: why` "
                            "if it must stay interpreted)")
    if problems:
        problems.append(f"--- stderr (exit {proc.returncode}) ---\n{proc.stderr}")
    return problems


PROGRAMS = program_files()


def test_programs_exist() -> None:
    assert len(PROGRAMS) >= 140, f"only {len(PROGRAMS)} programs in {PROGRAMS_DIR}"


@pytest.fixture(scope="session")
def program_runs(request: pytest.FixtureRequest):
    """Start every selected program run at once on a pool; tests wait for their own result."""
    jobs = int(os.environ.get("ARR_TEST_JOBS", "0")) or os.cpu_count() or 2
    pool = ThreadPoolExecutor(max_workers=jobs)
    futures: dict[tuple[Path, str], Future] = {}
    for item in request.session.items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if getattr(item, "originalname", "") == "test_program" and "path" in params and "mode" in params:
            key = (params["path"], params["mode"])
            if key not in futures:
                futures[key] = pool.submit(run_program, *key)
    yield futures
    pool.shutdown(wait=False, cancel_futures=True)


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("path", PROGRAMS, ids=[p.name for p in PROGRAMS])
def test_program(path: Path, mode: str, program_runs) -> None:
    future = program_runs.get((path, mode))
    proc = future.result() if future is not None else run_program(path, mode)
    problems = check_program(path, mode, proc)
    if problems:
        pytest.fail(f"{path.name} [{mode}]\n" + "\n".join(problems), pytrace=False)


def test_expectations_parse() -> None:
    """Every program states at least one expectation, and all of them parse."""
    for path in PROGRAMS:
        exp = parse_expectations(path)
        assert exp.stdout or exp.error, f"{path.name} expects nothing"
