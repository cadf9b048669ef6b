"""Source files, spans, and the Arr error hierarchy with caret diagnostics.

Every AST node and IR instruction carries a `Span`.  Errors raised anywhere in the
pipeline are `ArrError` subclasses; `ArrError.render()` gives the message the user sees:

    MethodError: no method matching f(::Int64)
      at script.arr:3:5
        3 | y = f(1)
          |     ^^^^
    Stacktrace:
      [1] g at script.arr:7:3
"""
from __future__ import annotations

import bisect
import os
from dataclasses import dataclass, field
from typing import Any


class SourceFile:
    """A named piece of source text with a line index (compared by identity)."""

    __slots__ = ("name", "text", "_line_starts")

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                starts.append(i + 1)
        self._line_starts = starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def line_text(self, line: int) -> str:
        start = self._line_starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start:] if end < 0 else self.text[start:end]

    def __repr__(self) -> str:
        return f"SourceFile({self.name!r})"


@dataclass(frozen=True, slots=True, eq=False)
class Span:
    """A half-open character range [start, end) in a source file."""

    source: SourceFile
    start: int
    end: int

    @property
    def line(self) -> int:
        return self.source.line_col(self.start)[0]

    @property
    def col(self) -> int:
        return self.source.line_col(self.start)[1]

    def location(self) -> str:
        line, col = self.source.line_col(self.start)
        return f"{self.source.name}:{line}:{col}"

    def to(self, other: "Span") -> "Span":
        return Span(self.source, min(self.start, other.start), max(self.end, other.end))

    def caret_lines(self) -> list[str]:
        line, col = self.source.line_col(self.start)
        text = self.source.line_text(line)
        end_line, end_col = self.source.line_col(max(self.start, self.end - 1))
        width = (end_col - col + 1) if end_line == line else max(1, len(text) - col + 1)
        width = max(1, min(width, max(1, len(text) - col + 1)))
        gutter = str(line)
        pad = " " * len(gutter)
        return [f"  {gutter} | {text}", f"  {pad} | {' ' * (col - 1)}{'^' * width}"]

    def __repr__(self) -> str:
        return f"<{self.location()}>"


NO_SOURCE = SourceFile("<none>", "")

# Source files under these folders are the standard library: an error inside it is
# reported at the innermost user-code location that led there.
LIBRARY_PREFIXES: list[str] = []


def is_library(span: "Span") -> bool:
    name = span.source.name
    return any(name.startswith(p) for p in LIBRARY_PREFIXES)
NO_SPAN = Span(NO_SOURCE, 0, 0)


@dataclass
class Frame:
    """One entry of the Arr call stack: the function running and where it was called."""

    name: str
    span: Span | None


class ArrError(Exception):
    """Base of every error the user can see.  `kind` is the Arr type name."""

    kind = "ArrError"

    def __init__(self, message: str, span: Span | None = None, *, value: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.span = span
        self.value = value          # the Arr exception value, when thrown from Arr code
        self.stack: list[Frame] = []

    def render(self) -> str:
        """The message, the innermost location in user code with a caret, the Arr stack."""
        sep = " " if self.message.startswith("with ") else ": "
        out = [f"{self.kind}{sep}{self.message}"]
        frames = [f for f in self.stack if f.span is not None]
        user = [f for f in frames if not is_library(f.span)]
        span = user[0].span if user else self.span
        if span is not None and span.source is not NO_SOURCE:
            out.append(f"  at {span.location()}")
            out.extend(span.caret_lines())
        # frames inside the stdlib are the implementation: shown only with ARR_DEBUG=1
        shown = frames if os.environ.get("ARR_DEBUG") == "1" else user
        if len(shown) > 1:
            out.append("Stacktrace:")
            out.extend(_stack_lines(shown))
        return "\n".join(out)

    def __str__(self) -> str:
        return self.render()


def _stack_lines(frames: list[Frame]) -> list[str]:
    """Numbered frames; a run of identical frames (deep recursion) is shown once."""
    lines: list[str] = []
    i = 0
    while i < len(frames):
        fr = frames[i]
        j = i
        while j + 1 < len(frames) and frames[j + 1].name == fr.name and \
                frames[j + 1].span.start == fr.span.start and frames[j + 1].span.source is fr.span.source:
            j += 1
        line = f"  [{i + 1}] {fr.name} at {fr.span.location()}"
        if j > i:
            line += f" (repeats {j - i + 1} times)"
        lines.append(line)
        i = j + 1
    return lines


def _make(kind: str) -> type[ArrError]:
    return type(kind, (ArrError,), {"kind": kind, "__doc__": f"The Arr {kind}."})


ParseError = _make("ParseError")
UndefVarError = _make("UndefVarError")
MethodError = _make("MethodError")
BoundsError = _make("BoundsError")
DimensionMismatch = _make("DimensionMismatch")
TypeError_ = _make("TypeError")
ArgumentError = _make("ArgumentError")
DomainError = _make("DomainError")
InexactError = _make("InexactError")
DivideError = _make("DivideError")
OverflowError_ = _make("OverflowError")
StackOverflowError = _make("StackOverflowError")
ErrorException = _make("ErrorException")
CompileError = _make("CompileError")
KeyError_ = _make("KeyError")
InterruptException = _make("InterruptException")
AssertionError_ = _make("AssertionError")

ERROR_CLASSES: dict[str, type[ArrError]] = {
    c.kind: c
    for c in (ParseError, UndefVarError, MethodError, BoundsError, DimensionMismatch, TypeError_,
              ArgumentError, DomainError, InexactError, DivideError, OverflowError_,
              StackOverflowError, ErrorException, CompileError, KeyError_, InterruptException,
              AssertionError_)
}


def error_class(kind: str) -> type[ArrError]:
    """The ArrError subclass for an Arr exception type name (user types get a fresh subclass)."""
    cls = ERROR_CLASSES.get(kind)
    if cls is None:
        cls = ERROR_CLASSES[kind] = _make(kind)
    return cls
