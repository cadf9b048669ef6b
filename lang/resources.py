"""Where the package data lives: `grammar.lark` and `stdlib/`.

In a source checkout they sit beside `lang/`; an installed package carries them in
`lang/_root/` (see `pyproject.toml`).
"""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def root() -> Path:
    for cand in (_HERE / "_root", _HERE.parent):
        if (cand / "grammar.lark").exists() and (cand / "stdlib").is_dir():
            return cand
    raise FileNotFoundError("cannot find grammar.lark and stdlib/ next to the lang package")


def grammar_path() -> Path:
    return root() / "grammar.lark"


def stdlib_dir() -> Path:
    return root() / "stdlib"


def cache_dir() -> Path:
    d = os.environ.get("ARR_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache"), "arr")
    return Path(d)


@lru_cache(maxsize=None)
def compiler_version() -> str:
    """A hash of the compiler's own sources: any change invalidates cached lowerings."""
    h = hashlib.sha256()
    for p in sorted(_HERE.glob("*.py")) + sorted((_HERE / "prims").glob("*.py")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    h.update(grammar_path().read_bytes())
    return h.hexdigest()[:16]
