"""The PJRT runtime: compiles the StableHLO text the compiler emits and runs it.

`get_runtime()` gives the process-wide `Runtime` (made on first use; jax is imported only
then, so `import lang.runtime` stays cheap).  `Runtime.compile(text)` looks in two caches:

* in memory: `sha256(platform, text)` -> the `Executable`, so compiling the same text again
  returns the very same object;
* on disk, in `cache_dir()` (`$ARR_CACHE_DIR/xla`, default `~/.cache/arr/xla`): one file per
  executable, named by a sha256 over the cache format, the jaxlib version, the platform and
  its version, the device kind, the host CPU's feature flags (a CPU executable is machine
  code for this CPU), `$XLA_FLAGS` and the text.  A file is a header (magic, format version,
  the key, the payload's length and sha256) followed by `LoadedExecutable.serialize()`.

A file that is unreadable, truncated, garbage, under the wrong name, or that XLA refuses
to deserialize, is treated as a miss: the text is compiled and the file rewritten.  Files
are written to a uniquely named temp file in the same folder and moved into place with
`os.replace`, so readers never see half a file and concurrent processes may share the
folder (the last writer wins; both wrote the same thing).  An unwritable folder only
means nothing is stored.  Serializing and writing happen on a background thread, so a
compile does not wait for the disk; `flush()` (and the exit of the process) waits for it.

`Executable.__call__` puts numpy arguments on the device with jaxlib's
`batched_device_put` (zero-copy on CPU; roughly 10x cheaper than `jax.device_put`), runs
`execute_sharded`, and returns the outputs as numpy arrays.  These are read-only views of
the device buffers (`base` is set), which the interpreter copies before updating in place.
"""
from __future__ import annotations

import atexit
import hashlib
import os
import platform as _platform
import struct
import threading
import time
import uuid
import weakref
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from lang import resources
from lang.source import error_class

_FORMAT = 1
_MAGIC = b"ARRXLA\x00\x01"
_HEADER = struct.Struct("<8sI32sQ32s")     # magic, format, key, payload length, sha256(payload)
_PLATFORMS = {"cpu", "cuda", "gpu", "rocm", "tpu"}

_RUNTIME: Runtime | None = None
_PENDING: "weakref.WeakSet[threading.Thread]" = weakref.WeakSet()     # cache writes under way


@atexit.register
def _finish_writes() -> None:
    for t in list(_PENDING):
        t.join(timeout=10)


def get_runtime() -> Runtime:
    """The process-wide runtime, created on first use."""
    global _RUNTIME
    if _RUNTIME is None:
        _RUNTIME = Runtime()
    return _RUNTIME


def devices() -> list[str]:
    """The runtime's devices, e.g. `["cpu:0 (cpu)"]` or `["cuda:0 (NVIDIA H100 80GB HBM3)"]`."""
    return [f"{d.platform}:{d.id} ({d.device_kind})" for d in get_runtime().backend.devices()]


def cache_dir() -> Path:
    """Where serialized executables are stored (read from the environment on every call)."""
    return resources.cache_dir() / "xla"


def _compile_error(message: str) -> Exception:
    return error_class("CompileError")(message, None)


def _host_fingerprint() -> str:
    """What a CPU executable depends on beyond the text: the instruction set extensions."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith(("flags", "Features")):
                    return line.strip()
    except OSError:
        pass
    return f"{_platform.machine()} {_platform.processor()}"


class Executable:
    """A compiled module: call it with the arguments of `@main`, get its results."""

    def __init__(self, runtime: Runtime, loaded: Any) -> None:
        from jax.core import ShapedArray
        from jaxlib import xla_client as xc

        self._loaded = loaded
        self._devices = [runtime.device]
        self._sharding = runtime.sharding
        self._put = xc.batched_device_put
        shape = xc.XlaComputation(loaded.hlo_modules()[0].as_serialized_hlo_module_proto()).program_shape()
        # (dtype, shape, aval) of each parameter; the aval is built once, not per call
        self._params = [(s.numpy_dtype(), s.dimensions(), ShapedArray(s.dimensions(), s.numpy_dtype()))
                        for s in shape.parameter_shapes()]
        result = shape.result_shape()
        self.n_outputs: int = len(result.tuple_shapes()) if result.is_tuple() else 1
        self.n_inputs: int = len(self._params)
        self.dispatch = ""          # how `run_trusted` calls it: "c++" or "python" (after a call)

    def __call__(self, args: Sequence[Any]) -> list[np.ndarray]:
        if len(args) != self.n_inputs:
            raise _compile_error(f"compiled function takes {self.n_inputs} arguments, got {len(args)}")
        put, sharding, devs = self._put, self._sharding, self._devices
        bufs = []
        for x, (dtype, shape, aval) in zip(args, self._params):
            have = getattr(x, "dtype", None)        # (`dtype == None` holds for float64)
            if have is None or have != dtype or x.shape != shape:
                x = self._coerce(x, dtype, shape, len(bufs))
            bufs.append(put(aval, sharding, [x], devs))
        # the inputs alias the callers' numpy memory: return only once the run is over
        if not self.n_outputs:
            self._loaded.execute_sharded(bufs, with_tokens=True).consume_token().block_until_ready()
            return []
        out = self._loaded.execute_sharded(bufs)
        return [np.asarray(r[0]) for r in out.disassemble_into_single_device_arrays()]

    def run_trusted(self, args: Sequence[Any]) -> list[Any]:
        """The outputs, as device arrays, for callers that already pass numpy values of the
        parameters' exact dtypes and shapes (the JIT, whose cache key guarantees it): no
        checks.  The caller must wait for an output (`np.asarray`) before it changes an
        input array in place, since inputs may alias numpy memory.

        The first call builds `self.run_trusted`, the fastest caller available: jaxlib's
        C++ dispatcher (`_fast_caller`) when this jax has it, else `_run_python`."""
        run = None
        if self.n_outputs and os.environ.get("ARR_FAST_CALL", "1") != "0":
            run = _fast_caller(self)
        self.dispatch = "c++" if run else "python"
        self.run_trusted = run or self._run_python       # type: ignore[method-assign]
        return self.run_trusted(args)

    def _run_python(self, args: Sequence[Any]) -> list[Any]:
        """Transfer, execute and unpack from Python: about 3 us per step."""
        put, sharding, devs = self._put, self._sharding, self._devices
        bufs = [put(p[2], sharding, [x if type(x) is np.ndarray else np.asarray(x, p[0])], devs)
                for x, p in zip(args, self._params)]
        if not self.n_outputs:
            self._loaded.execute_sharded(bufs, with_tokens=True).consume_token().block_until_ready()
            return []
        return [r[0] for r in self._loaded.execute_sharded(bufs).disassemble_into_single_device_arrays()]

    @staticmethod
    def _coerce(x: Any, dtype: np.dtype, shape: tuple[int, ...], i: int) -> np.ndarray:
        """A Python scalar becomes a numpy value of the parameter's type; anything else is an error."""
        fits = {"b": bool, "i": int, "u": int, "f": (int, float)}.get(dtype.kind, (int, float, complex))
        if shape == () and isinstance(x, fits) and not isinstance(x, np.generic):
            try:
                return np.asarray(x, dtype=dtype)
            except (OverflowError, ValueError):
                pass
        got = f"{x.dtype}{list(x.shape)}" if hasattr(x, "dtype") else type(x).__name__
        raise _compile_error(f"argument {i + 1} of compiled function: expected {dtype}{list(shape)}, got {got}")


def _fast_caller(exe: Executable) -> Any | None:
    """`args -> outputs` through the C++ dispatcher that `jax.jit` uses for compiled
    functions (`jaxlib._jax.pjit`, as JAX's own ahead-of-time `Compiled.__call__` does):
    the arguments' signature check, their transfer to the device, the execution and the
    unpacking of the results all happen in C++, about 4 us less per call than
    `_run_python`.  Nothing is traced: the dispatcher is handed our executable.

    The first call of each argument signature goes through `miss`, which runs the
    executable from Python and returns the data the dispatcher caches.  These are jax's
    private modules: any mismatch (another jax version) gives None, and the caller falls
    back to `_run_python`."""
    try:
        from jax._src import tree_util
        from jax._src.interpreters import pxla
        from jaxlib import _jax
        shardings = [exe._sharding] * exe.n_inputs
        out_tree = tree_util.tree_structure([0] * exe.n_outputs)
        loaded = exe._loaded

        def miss(*args: Any) -> tuple:
            outs = exe._run_python(args)
            try:
                fast = pxla.MeshExecutableFastpathData(
                    loaded, out_tree, shardings, [exe._sharding] * len(outs),
                    [o.aval for o in outs], [o._committed for o in outs],
                    [True] * len(args), [None] * len(args), [])
            except Exception:   # noqa: BLE001 -- another jax: every call comes here, still right
                fast = None
            return outs, fast, False

        call = _jax.pjit("arr", None, miss, [], [], pxla.JitGlobalCppCacheKeys(),
                         tree_util.dispatch_registry, pxla.cc_shard_arg)
        return lambda args: call(*args)
    except Exception:           # noqa: BLE001 -- any incompatibility: use the Python path
        return None


class Runtime:
    """One PJRT backend (`$ARR_PLATFORM`, default cpu), its first device and the caches."""

    def __init__(self, platform: str | None = None) -> None:
        name = (platform or os.environ.get("ARR_PLATFORM") or "cpu").strip().lower()
        if name not in _PLATFORMS:
            raise _compile_error(f"ARR_PLATFORM={name!r} is not a known platform "
                                 f"(expected one of {', '.join(sorted(_PLATFORMS))})")
        import jax
        jax.config.update("jax_enable_x64", True)      # before any transfer, or f64 becomes f32
        import jax.extend.backend as jb
        import jaxlib
        from jax.sharding import SingleDeviceSharding
        from jaxlib import xla_client as xc

        try:
            self.backend = jb.get_backend(name)
        except RuntimeError as e:
            raise _compile_error(f"the {name} platform is not available (is its jaxlib plugin "
                                 f"installed?): {e}") from None
        self.platform: str = name
        self.device = self.backend.devices()[0]
        self.sharding = SingleDeviceSharding(self.device)
        self._device_list = xc.DeviceList((self.device,))
        self._options = xc.CompileOptions
        self._memory: dict[str, Executable] = {}
        self.stats: dict[str, Any] = {"compiles": 0, "disk_hits": 0, "memory_hits": 0,
                                      "compile_seconds": 0.0}
        env = [str(_FORMAT), jaxlib.__version__, name, self.backend.platform_version,
               self.device.device_kind, os.environ.get("XLA_FLAGS", "")]
        if self.device.platform == "cpu":
            env.append(_host_fingerprint())
        self._env = "\0".join(env).encode()

    def compile(self, hlo_text: str) -> Executable:
        """The executable for a StableHLO module, from memory, from disk, or compiled now."""
        mkey = hashlib.sha256(self.platform.encode() + b"\0" + hlo_text.encode()).hexdigest()
        exe = self._memory.get(mkey)
        if exe is not None:
            self.stats["memory_hits"] += 1
            return exe
        key = hashlib.sha256(self._env + b"\0" + hlo_text.encode()).digest()
        path = cache_dir() / f"{key.hex()[:40]}.xla"
        start = time.perf_counter()
        loaded = self._load(path, key)
        if loaded is not None:
            self.stats["disk_hits"] += 1
        else:
            try:
                loaded = self.backend.compile_and_load(hlo_text, self._device_list, self._options())
            except Exception as e:      # jax.errors.JaxRuntimeError: the text was rejected
                raise _compile_error(f"XLA could not compile the generated module: {e}") from None
            self.stats["compiles"] += 1
            self._store_later(path, key, loaded)
        self.stats["compile_seconds"] += time.perf_counter() - start
        exe = self._memory[mkey] = Executable(self, loaded)
        return exe

    def clear_memory(self) -> None:
        """Forget the in-memory cache (the disk cache stays, with every pending write)."""
        self.flush()
        self._memory.clear()

    @staticmethod
    def flush() -> None:
        """Wait until the executables compiled so far are on disk."""
        _finish_writes()

    def _load(self, path: Path, key: bytes) -> Any | None:
        """The deserialized executable in `path`, or None if it is missing or not valid."""
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if len(data) < _HEADER.size:
            return None
        magic, fmt, stored_key, length, digest = _HEADER.unpack_from(data)
        payload = data[_HEADER.size:]
        if (magic, fmt, stored_key, length) != (_MAGIC, _FORMAT, key, len(payload)) \
                or hashlib.sha256(payload).digest() != digest:
            return None
        try:
            return self.backend.deserialize_executable(payload, self._device_list, self._options())
        except Exception:       # e.g. written by an incompatible build under a colliding key
            return None

    def _store_later(self, path: Path, key: bytes, loaded: Any) -> None:
        """Serialize and store on a background thread (about 1 ms that the caller need not
        wait for); writes still pending at exit are finished then (`_finish_writes`)."""
        def write() -> None:
            try:
                self._store(path, key, loaded.serialize())
            except Exception:       # noqa: BLE001 -- a cache write is best effort
                pass
        t = threading.Thread(target=write, name="arr-cache-write", daemon=True)
        _PENDING.add(t)
        t.start()

    @staticmethod
    def _store(path: Path, key: bytes, payload: bytes) -> None:
        """Write `path` atomically; give up silently if the folder is not writable."""
        header = _HEADER.pack(_MAGIC, _FORMAT, key, len(payload), hashlib.sha256(payload).digest())
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as f:
                f.write(header + payload)
            os.replace(tmp, path)
        except OSError:
            try:
                tmp.unlink()
            except OSError:
                pass
