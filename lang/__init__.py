"""Arr: a Julia-flavoured array language.

The public Python API:

    import lang
    s = lang.Session(); s.eval("f(x) = 2x"); s.eval("f(3)")   # -> 6
    lang.eval("sum([1.0, 2.0])")                              # -> 3.0
    m = lang.load("model.arr")                                # runs the file

Errors are raised as `lang.ArrError` subclasses.
"""
from __future__ import annotations

from typing import Any

from .source import ArrError

__all__ = ["ArrError", "Session", "eval", "load"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "Session":
        from .session import Session
        return Session
    raise AttributeError(name)


def eval(text: str) -> Any:  # noqa: A001  (mirrors Julia's and the spec's name)
    """Evaluate Arr source in a fresh session and return its last value."""
    from .session import Session
    return Session().eval(text)


def load(path: str) -> Any:
    """Run a file's top level in a fresh session; returns the session (globals as attributes)."""
    from .session import Session
    s = Session()
    s.include(path)
    return s
