"""A session: one interpreter with its globals, the stdlib loaded, and a way to run code.

Running source text:
1. parse it into top-level statements;
2. for each statement, lower it to a thunk (against the globals defined so far, which
   decide the soft scope of loops) and run it in the interpreter.

The stdlib's lowered thunks are cached on disk (pickled, keyed by the hash of the stdlib
sources and of the compiler), so start-up does not re-parse or re-lower it.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from . import resources
from .interp import Builtin, Interpreter
from .lower import lower_toplevel
from .source import LIBRARY_PREFIXES, error_class

_STDLIB_CACHE_FORMAT = 1


class Session:
    """An Arr session.  `Session().eval("f(x) = 2x"); Session.eval("f(3)")` -> 6."""

    def __init__(self, *, stdlib: bool = True, args: tuple[str, ...] = ()) -> None:
        self.interp = Interpreter()
        self.interp.session = self
        g = self.interp.globals
        g["include"] = Builtin("include", self._include_builtin)
        g["exit"] = Builtin("exit", _exit)
        g["devices"] = Builtin("devices", _devices)
        g["_ad_pullback"] = Builtin("_ad_pullback", self._pullback_builtin, _staged_pullback)
        g["_ad_fcall"] = Builtin("_ad_fcall", self._fcall_builtin, _staged_fcall)
        g["_ad_hvp"] = Builtin("_ad_hvp", self._hvp_builtin)
        from . import types as T
        from .values import obj_array
        g["ARGS"] = obj_array(list(args), T.BUILTIN_TYPES["String"])
        self._including: list[Path] = []
        self._replaying = False
        if stdlib:
            self.load_stdlib()

    def _pullback_builtin(self, f: Any, *args: Any) -> Any:
        """`pullback(f, args...)` (stdlib/ad.arr): reverse mode, lang/ad.py."""
        from .ad import ad_of
        return ad_of(self.interp).pullback(f, args)

    def _fcall_builtin(self, f: Any, df: Any, *pairs: Any, **kw: Any) -> Any:
        """`_ad_fcall(f, df, x1, dx1, ...)` = `(f(x...), tangent)` (stdlib/ad.arr's
        `derivative`): forward mode, lang/ad_forward.py."""
        from .ad import ad_of
        return ad_of(self.interp).fwd.fcall(f, df, *pairs, **kw)

    def _hvp_builtin(self, f: Any, args: tuple, direction: Any) -> Any:
        """`_ad_hvp(f, args, v)`: f's whole gradient `(dself, dargs...)` differentiated in
        the direction v (stdlib/ad.arr's rules for `gradient` of `gradient`)."""
        from .ad import ad_of
        return ad_of(self.interp).fwd.reverse_rules().hvp(f, tuple(args), tuple(direction or ()))

    # ------------------------------------------------------------------ running code
    def eval(self, text: str, filename: str = "<input>") -> Any:
        """Run source text; return the value of its last statement."""
        from .parser import parse
        prog = parse(text, filename)
        value = None
        for stmt in prog.stmts:
            value = self.run_statement(stmt)
        return value

    def run_statement(self, stmt: Any) -> Any:
        thunk = lower_toplevel(stmt, self.interp.globals.__contains__)
        if os.environ.get("ARR_VERIFY") == "1":
            from .verify import verify
            verify(thunk)
        return self.interp.run(thunk, [], None, None)

    def include(self, path: str | os.PathLike) -> Any:
        p = Path(path)
        if not p.is_absolute() and self._including:
            p = self._including[-1].parent / p
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as e:
            raise error_class("SystemError")(f"opening file \"{path}\": {e.strerror}") from None
        self._including.append(p)
        try:
            return self.eval(text, str(path) if not self._including[:-1] else str(p))
        finally:
            self._including.pop()

    def _include_builtin(self, path: Any) -> Any:
        if self._replaying:
            return None
        if not isinstance(path, str):
            raise error_class("MethodError")("include expects a file name (a String)")
        return self.include(path)

    # ------------------------------------------------------------------ the stdlib
    def load_stdlib(self) -> None:
        base = resources.stdlib_dir()
        if str(base) not in LIBRARY_PREFIXES:
            LIBRARY_PREFIXES.append(str(base))
        files = sorted(base.glob("*.arr"))
        if not (base / "Base.arr").exists():
            return
        # the folder is part of the key: cached spans name the files they came from
        h = hashlib.sha256((resources.compiler_version() + str(base)).encode())
        for f in files:
            h.update(f.name.encode())
            h.update(f.read_bytes())
        key = h.hexdigest()[:24]
        cache = resources.cache_dir() / f"stdlib-{_STDLIB_CACHE_FORMAT}-{key}.pickle"
        thunks = _read_cache(cache)
        if thunks is not None:
            # the recording holds the statements of included files too, in order, so
            # `include` itself does nothing while it is replayed
            self._replaying = True
            try:
                for t in thunks:
                    self.interp.run(t, [], None, None)
            finally:
                self._replaying = False
            return
        recorded: list[Any] = []
        original = lower_toplevel

        def recording_run(stmt: Any) -> Any:
            thunk = original(stmt, self.interp.globals.__contains__)
            recorded.append(pickle.dumps(thunk, protocol=pickle.HIGHEST_PROTOCOL))
            return self.interp.run(thunk, [], None, None)

        self.run_statement = recording_run          # type: ignore[method-assign]
        try:
            self.include(base / "Base.arr")
        finally:
            del self.run_statement
        _write_cache(cache, recorded)


class ArrExit(BaseException):
    """`exit(code)`: ends the program (a BaseException, so no Arr `catch` stops it)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _devices() -> Any:
    """`devices()`: the devices compiled code runs on (`ARR_PLATFORM`, default the CPU)."""
    from .runtime import devices
    from .values import obj_array
    from . import types as T
    return obj_array(devices(), T.BUILTIN_TYPES["String"])


def _staged_fcall(st: Any) -> Any:
    """`_ad_fcall` in compiled code (lang/ad_staging.py)."""
    from .ad_staging import staged_forward
    return staged_forward(st).fcall


def _staged_pullback(st: Any) -> Any:
    """`_ad_pullback` in compiled code (lang/ad_staging.py)."""
    from .ad_staging import staged_ad
    return lambda f, *args: staged_ad(st).pullback(f, args)


def _exit(code: Any = 0) -> None:
    if isinstance(code, bool) or not isinstance(code, int):
        raise error_class("MethodError")("exit expects an integer exit code")
    raise ArrExit(code)


def _read_cache(path: Path) -> list[Any] | None:
    try:
        data = path.read_bytes()
        blobs = pickle.loads(data)
        return [pickle.loads(b) for b in blobs]
    except Exception:               # missing, corrupt or stale: rebuild
        return None


def _write_cache(path: Path, blobs: list[bytes]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".stdlib-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(blobs, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)       # atomic: concurrent writers each install a whole file
        # keep the few newest caches (several stdlib folders or versions may be in use)
        old = sorted(path.parent.glob("stdlib-*.pickle"), key=lambda p: p.stat().st_mtime)
        for p in old[:-8]:
            p.unlink(missing_ok=True)
    except OSError:
        pass
