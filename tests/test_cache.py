"""The on-disk stdlib cache: it survives corrupt files and concurrent writers."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(cache: Path, code: str = "println(sum([1, 2, 3]))") -> subprocess.CompletedProcess:
    env = dict(os.environ, ARR_CACHE_DIR=str(cache), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "lang", "-e", code], capture_output=True,
                          text=True, env=env, timeout=120)


def stdlib_caches(cache: Path) -> list[Path]:
    return sorted(cache.glob("stdlib-*.pickle"))


def test_corrupt_cache_is_ignored_and_rebuilt(tmp_path: Path) -> None:
    first = run(tmp_path)
    assert first.returncode == 0 and first.stdout == "6\n", first.stderr
    [entry] = stdlib_caches(tmp_path)
    good_size = entry.stat().st_size
    entry.write_bytes(b"not a pickle" + os.urandom(100))
    second = run(tmp_path)
    assert second.returncode == 0 and second.stdout == "6\n", second.stderr
    [rebuilt] = stdlib_caches(tmp_path)
    assert rebuilt.stat().st_size == good_size       # a whole, valid file again
    third = run(tmp_path)
    assert third.returncode == 0 and third.stdout == "6\n"


def test_truncated_cache_is_rebuilt(tmp_path: Path) -> None:
    assert run(tmp_path).returncode == 0
    [entry] = stdlib_caches(tmp_path)
    entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
    again = run(tmp_path)
    assert again.returncode == 0 and again.stdout == "6\n", again.stderr


def test_concurrent_first_runs_share_one_folder(tmp_path: Path) -> None:
    env = dict(os.environ, ARR_CACHE_DIR=str(tmp_path), PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen([sys.executable, "-m", "lang", "-e", f"println({i} + 1)"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env) for i in range(4)]
    outs = [p.communicate(timeout=120) for p in procs]
    for i, (p, (out, err)) in enumerate(zip(procs, outs)):
        assert p.returncode == 0, err
        assert out == f"{i + 1}\n"
    assert not list(tmp_path.glob(".stdlib-*.tmp"))   # no half-written files left behind
    assert run(tmp_path).stdout == "6\n"


def test_corrupt_parser_cache_is_rebuilt(tmp_path: Path) -> None:
    assert run(tmp_path).returncode == 0
    caches = sorted(tmp_path.glob("grammar-*"))
    assert caches, sorted(p.name for p in tmp_path.iterdir())
    for c in caches:
        c.write_bytes(b"\x00garbage")
    again = run(tmp_path)
    assert again.returncode == 0 and again.stdout == "6\n", again.stderr
