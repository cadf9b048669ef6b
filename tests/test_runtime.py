"""The PJRT runtime: running compiled StableHLO, and its in-memory and on-disk caches."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("jax")

from lang import runtime  # noqa: E402
from lang.source import ArrError, error_class  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

SAMPLE = """module @m {
  func.func public @main(%a: tensor<f64>, %x: tensor<3xf64>) -> (tensor<3xf64>, tensor<i64>) {
    %b = "stablehlo.broadcast_in_dim"(%a) {broadcast_dimensions = array<i64>} : (tensor<f64>) -> tensor<3xf64>
    %y = "stablehlo.add"(%x, %b) : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
    %c = "stablehlo.constant"() {value = dense<7> : tensor<i64>} : () -> tensor<i64>
    "func.return"(%y, %c) : (tensor<3xf64>, tensor<i64>) -> ()
  }
}
"""

# compiles SAMPLE in a fresh process, runs it and prints the result and the stats
CHILD = f"""
import json, numpy as np
from lang import runtime
rt = runtime.get_runtime()
y, c = rt.compile({SAMPLE!r})([np.float64(2.0), np.arange(3.0)])
print(json.dumps({{"y": y.tolist(), "c": int(c), "stats": rt.stats}}))
"""


@pytest.fixture
def rt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> runtime.Runtime:
    monkeypatch.setenv("ARR_CACHE_DIR", str(tmp_path))
    r = runtime.get_runtime()
    r.clear_memory()
    return r


def child(cache: Path) -> subprocess.Popen:
    env = dict(os.environ, ARR_CACHE_DIR=str(cache), PYTHONPATH=str(ROOT))
    env.pop("ARR_PLATFORM", None)
    return subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def fresh_process(cache: Path) -> dict:
    proc = child(cache)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    result = json.loads(out)
    assert result["y"] == [2.0, 3.0, 4.0] and result["c"] == 7
    return result["stats"]


def entries(cache: Path) -> list[Path]:
    return sorted((cache / "xla").glob("*.xla"))


def test_import_does_not_load_jax() -> None:
    code = "import sys, lang.runtime; print('jax' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60)
    assert out.stdout.strip() == "False", out.stderr


def test_run_sample_keeps_64_bit_types(rt: runtime.Runtime) -> None:
    exe = rt.compile(SAMPLE)
    assert exe.n_outputs == 2
    y, c = exe([np.float64(2.0), np.arange(3.0)])
    assert isinstance(y, np.ndarray) and y.dtype == np.float64 and y.tolist() == [2.0, 3.0, 4.0]
    assert isinstance(c, np.ndarray) and c.dtype == np.int64 and c.shape == () and c == 7
    # float64 precision survives the round trip (no silent float32)
    [y2, _] = exe([np.float64(0.1), np.array([1e-17, 0.0, 1.0])])
    assert y2[0] == 0.1 + 1e-17 and y2[1] == 0.1


def test_python_scalars_are_converted(rt: runtime.Runtime) -> None:
    y, _ = rt.compile(SAMPLE)([2, np.arange(3.0)])
    assert y.tolist() == [2.0, 3.0, 4.0]


def test_wrong_arguments_are_errors(rt: runtime.Runtime) -> None:
    exe = rt.compile(SAMPLE)
    compile_error = error_class("CompileError")
    for args in ([np.float64(1.0)], [np.int64(1), np.arange(3.0)], [1.0, np.arange(3)],
                 [1.0, np.arange(4.0)], [1.0 + 2j, np.arange(3.0)]):
        with pytest.raises(compile_error):
            exe(args)


def test_inputs_can_change_after_the_call(rt: runtime.Runtime) -> None:
    x = np.arange(3.0)
    y, _ = rt.compile(SAMPLE)([np.float64(1.0), x])
    x[:] = 100.0
    assert y.tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("fast", ["1", "0"])
def test_trusted_calls(rt: runtime.Runtime, monkeypatch: pytest.MonkeyPatch, fast: str) -> None:
    """The JIT's call path: jaxlib's C++ dispatcher where this jax has it (ARR_FAST_CALL=0
    turns it off), the Python path otherwise; both give device arrays with exact types."""
    monkeypatch.setenv("ARR_FAST_CALL", fast)
    rt.clear_memory()
    exe = rt.compile(SAMPLE)
    x = np.arange(3.0)
    for a in (2.0, 0.1, np.float64(-1.5)):
        y, c = (np.asarray(o) for o in exe.run_trusted([a, x]))
        assert y.dtype == np.float64 and y.tolist() == [a, a + 1, a + 2] and int(c) == 7
    assert exe.dispatch == ("c++" if fast == "1" else "python")
    x[:] = 100.0            # the inputs are the caller's again once an output was read
    assert np.asarray(exe.run_trusted([1.0, x])[0]).tolist() == [101.0] * 3


def test_trusted_calls_survive_a_dispatcher_that_refuses(rt: runtime.Runtime,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """If jax's private fast-path record cannot be built (another jax version), every call
    takes the dispatcher's slow path, and the results stay right."""
    from jax._src.interpreters import pxla

    def refuse(*a: object, **k: object) -> None:
        raise TypeError("changed")
    monkeypatch.setattr(pxla, "MeshExecutableFastpathData", refuse)
    rt.clear_memory()
    exe = rt.compile(SAMPLE)
    for a in (1.0, 2.0, 3.0):
        assert np.asarray(exe.run_trusted([a, np.arange(3.0)])[0]).tolist() == [a, a + 1, a + 2]


def test_memory_cache_compiles_once(rt: runtime.Runtime) -> None:
    before = dict(rt.stats)
    first = rt.compile(SAMPLE)
    second = rt.compile(SAMPLE)
    assert first is second
    assert rt.stats["compiles"] + rt.stats["disk_hits"] == before["compiles"] + before["disk_hits"] + 1
    assert rt.stats["memory_hits"] == before["memory_hits"] + 1
    assert rt.stats["compile_seconds"] > before["compile_seconds"]


def test_disk_cache_in_this_process(rt: runtime.Runtime, tmp_path: Path) -> None:
    before = dict(rt.stats)
    rt.compile(SAMPLE)
    assert rt.stats["compiles"] == before["compiles"] + 1
    rt.flush()              # the file is written on a background thread
    assert entries(tmp_path) and runtime.cache_dir() == tmp_path / "xla"
    rt.clear_memory()
    y, _ = rt.compile(SAMPLE)([np.float64(1.0), np.zeros(3)])
    assert y.tolist() == [1.0, 1.0, 1.0]
    assert rt.stats["disk_hits"] == before["disk_hits"] + 1
    assert rt.stats["compiles"] == before["compiles"] + 1


def test_compile_error(rt: runtime.Runtime) -> None:
    with pytest.raises(error_class("CompileError"), match="XLA could not compile"):
        rt.compile("module { this is not stablehlo")


@pytest.mark.parametrize("damage", ["garbage", "middle", "truncate", "empty"])
def test_corrupt_disk_entry_is_rebuilt(tmp_path: Path, damage: str) -> None:
    assert fresh_process(tmp_path)["compiles"] == 1
    stats = fresh_process(tmp_path)
    assert stats["disk_hits"] == 1 and stats["compiles"] == 0
    [entry] = entries(tmp_path)
    good = entry.read_bytes()
    if damage == "garbage":
        entry.write_bytes(os.urandom(len(good)))
    elif damage == "middle":
        mid = len(good) // 2
        entry.write_bytes(good[:mid] + bytes(b ^ 0xFF for b in good[mid:mid + 16]) + good[mid + 16:])
    elif damage == "truncate":
        entry.write_bytes(good[: len(good) // 2])
    else:
        entry.write_bytes(b"")
    stats = fresh_process(tmp_path)
    assert stats["compiles"] == 1 and stats["disk_hits"] == 0          # rebuilt
    [rewritten] = entries(tmp_path)
    assert len(rewritten.read_bytes()) == len(good)
    stats = fresh_process(tmp_path)
    assert stats["disk_hits"] == 1 and stats["compiles"] == 0          # valid again


def test_entry_under_another_key_is_ignored(tmp_path: Path) -> None:
    fresh_process(tmp_path)
    [entry] = entries(tmp_path)
    other = entry.with_name("0" * 40 + ".xla")
    entry.rename(other)
    stats = fresh_process(tmp_path)
    assert stats["compiles"] == 1            # the key in the header does not match the name


def test_concurrent_processes_share_an_empty_cache(tmp_path: Path) -> None:
    procs = [child(tmp_path) for _ in range(4)]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert json.loads(out)["y"] == [2.0, 3.0, 4.0]
    assert len(entries(tmp_path)) == 1
    assert not list((tmp_path / "xla").glob(".*.tmp"))
    assert fresh_process(tmp_path)["disk_hits"] == 1


def test_unwritable_cache_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ARR_CACHE_DIR", str(blocker))       # cache_dir() cannot be created
    rt = runtime.get_runtime()
    rt.clear_memory()
    y, _ = rt.compile(SAMPLE)([np.float64(0.0), np.arange(3.0)])
    assert y.tolist() == [0.0, 1.0, 2.0]


def test_unknown_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARR_PLATFORM", "nosuchchip")
    with pytest.raises(error_class("CompileError"), match="nosuchchip") as info:
        runtime.Runtime()
    assert isinstance(info.value, ArrError)


def test_missing_platform() -> None:
    # a known platform whose plugin is not installed here (skip where it is)
    try:
        runtime.Runtime("tpu")
    except ArrError as e:
        assert e.kind == "CompileError" and "tpu" in e.message
    else:
        pytest.skip("a TPU backend is available")


def test_devices() -> None:
    devs = runtime.devices()
    assert devs and devs[0].startswith(runtime.get_runtime().platform + ":0")
