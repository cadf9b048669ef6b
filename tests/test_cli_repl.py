"""The plain REPL (`arr` with no arguments) driven through a pipe."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_repl(text: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "lang"], input=text, capture_output=True,
                          text=True, env=env, timeout=60)


def test_definitions_survive_errors_and_values_are_displayed() -> None:
    proc = run_repl('sq(x) = x * x\nsq("a", 1)\nsq(3)\n[1.0, 2.0]\n')
    assert proc.returncode == 0
    assert "MethodError: no method matching sq(::String, ::Int64)" in proc.stderr
    assert "arr> 9\n" in proc.stdout
    assert "2-element Vector{Float64}:\n 1.0\n 2.0" in proc.stdout


def test_multiline_input_and_help(tmp_path: Path) -> None:
    lib = tmp_path / "lib.arr"
    lib.write_text('"Add one."\ninc(x) = x + 1\n')
    proc = run_repl(f'include("{lib}")\nfunction twice(x)\n    inc(inc(x))\nend\ntwice(1)\n?inc\n')
    assert proc.returncode == 0, proc.stderr
    assert "arr> 3\n" in proc.stdout
    assert "Add one." in proc.stdout and 'generic function "inc"' in proc.stdout


def test_trailing_semicolon_hides_the_value() -> None:
    proc = run_repl("x = 41;\nx + 1\n")
    out = proc.stdout
    assert "41" not in out and "42" in out


def test_ctrl_c_interrupts_a_loop_and_keeps_the_session() -> None:
    import signal
    import time
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.Popen([sys.executable, "-m", "lang"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        p.stdin.write("kept = 41\nfunction spin()\n  s = 0\n  while true\n    s += 1\n  end\nend\n"
                      "println(\"spinning\")\nspin()\n")
        p.stdin.flush()
        # wait for the start-up (which rebuilds the stdlib cache after a compiler change)
        seen = ""
        deadline = time.time() + 120
        while "spinning" not in seen and time.time() < deadline:
            ch = p.stdout.read(1)
            if not ch:
                break
            seen += ch
        time.sleep(1)                      # the loop is spinning
        p.send_signal(signal.SIGINT)
        time.sleep(0.5)
        assert p.poll() is None, "the REPL exited on Ctrl-C"
        out, err = p.communicate("kept + 1\n", timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
    assert "InterruptException" in err
    assert "arr> 42" in seen + out


def test_ans_holds_the_last_value_and_exit_ends_the_repl() -> None:
    proc = run_repl("1 + 2\nans * 10\nexit(4)\nprintln(\"not reached\")\n")
    assert proc.returncode == 4
    assert "arr> 30" in proc.stdout and "not reached" not in proc.stdout
