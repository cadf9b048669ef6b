"""The `arr` command (`python -m lang`): running files with ARGS, `-e`, exit status, include."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 60


def arr(*args: str, cwd: Path, debug: bool = False) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("ARR_DEBUG", None)
    if debug:
        env["ARR_DEBUG"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "lang", *args], cwd=cwd, env=env, capture_output=True, text=True,
        encoding="utf-8", errors="replace", timeout=TIMEOUT_S,
    )


def test_eval_snippet(tmp_path: Path) -> None:
    proc = arr("-e", "println(1 + 2)", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "3\n"


def test_eval_snippet_with_definitions(tmp_path: Path) -> None:
    proc = arr("-e", "f(x) = 2x; println(f(21))", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "42\n"


def test_eval_snippet_error_exits_1(tmp_path: Path) -> None:
    proc = arr("-e", 'error("boom")', cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.startswith("ErrorException: boom"), proc.stderr
    assert "Traceback" not in proc.stderr


def test_file_receives_args(tmp_path: Path) -> None:
    (tmp_path / "args.arr").write_text(
        "println(length(ARGS))\nprintln(ARGS[1])\nprintln(ARGS)\nprintln(typeof(ARGS))\n",
        encoding="utf-8")
    proc = arr("args.arr", "a", "b", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\n")[:4] == ["2", "a", '["a", "b"]', "Vector{String}"]


def test_args_that_look_like_options_go_to_the_script(tmp_path: Path) -> None:
    (tmp_path / "args.arr").write_text("println(ARGS)\n", encoding="utf-8")
    proc = arr("args.arr", "--verbose", "-e", "3", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == '["--verbose", "-e", "3"]\n'


def test_no_args_is_empty(tmp_path: Path) -> None:
    (tmp_path / "args.arr").write_text("println(length(ARGS))\n", encoding="utf-8")
    proc = arr("args.arr", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "0\n"


def test_exit_status_success_and_error(tmp_path: Path) -> None:
    (tmp_path / "ok.arr").write_text('println("fine")\n', encoding="utf-8")
    (tmp_path / "bad.arr").write_text('println("before")\n[1, 2][3]\n', encoding="utf-8")
    ok = arr("ok.arr", cwd=tmp_path)
    bad = arr("bad.arr", cwd=tmp_path)
    assert (ok.returncode, ok.stdout) == (0, "fine\n"), ok.stderr
    assert (bad.returncode, bad.stdout) == (1, "before\n")
    assert bad.stderr.startswith("BoundsError:"), bad.stderr
    assert "Traceback" not in bad.stderr


def test_missing_file_fails_cleanly(tmp_path: Path) -> None:
    proc = arr("no_such_file.arr", cwd=tmp_path)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert "no_such_file.arr" in proc.stderr


def test_include_loads_definitions(tmp_path: Path) -> None:
    (tmp_path / "helper.arr").write_text("triple(x) = 3x\nconst K = 7\n", encoding="utf-8")
    (tmp_path / "main.arr").write_text('include("helper.arr")\nprintln(triple(K))\n', encoding="utf-8")
    proc = arr("main.arr", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "21\n"


def test_error_in_included_file_names_that_file(tmp_path: Path) -> None:
    (tmp_path / "helper.arr").write_text("bad(v) = v[5]\n", encoding="utf-8")
    (tmp_path / "main.arr").write_text('include("helper.arr")\nbad([1])\n', encoding="utf-8")
    proc = arr("main.arr", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.startswith("BoundsError:"), proc.stderr
    assert "helper.arr:1:10" in proc.stderr, proc.stderr


def test_unicode_output(tmp_path: Path) -> None:
    proc = arr("-e", 'σ = 2; println("σ = $σ, 2×2")', cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "σ = 2, 2×2\n"


def test_arr_debug_shows_python_traceback(tmp_path: Path) -> None:
    proc = arr("-e", 'error("boom")', cwd=tmp_path, debug=True)
    assert proc.returncode == 1
    assert "ErrorException: boom" in proc.stderr
    assert "Traceback" in proc.stderr
