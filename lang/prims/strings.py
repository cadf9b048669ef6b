"""Intrinsics on strings and symbols, standard I/O, files and the clock.

These run only in the interpreter; their shape rules still say what they return (a
String, an Int64, `nothing`), and the pure string intrinsics fold to constants when their
arguments are known, so that inference can follow `string(:name)` or `length("abc")`.
The I/O intrinsics never fold: their effects happen when the program runs.
"""
from __future__ import annotations

import sys
import time
from typing import Any

import numpy as np

from . import primitive, shape_rule
from .. import display
from .. import lattice as L
from .. import source
from .. import types
from ..lattice import AbstractValue
from ..values import Symbol, UnitRange, obj_array
from .misc import BOTTOM, bounds_error, fold, known, type_value
from .scalar import dtype_of, make_scalar, type_name

STRING = L.scalar(types.String)
INT = L.scalar(types.Int64)
NOTHING = L.of_value(None)


# ---------------------------------------------------------------- strings and symbols
@primitive("print_string", 1, derivative="none")
def print_string(x: Any) -> str:
    """The text `print(x)` writes (`string(x)`)."""
    if isinstance(x, str):
        return x
    return display.print_string(x)


@shape_rule("print_string")
def print_string_shape(x: AbstractValue) -> AbstractValue:
    return fold(print_string, x) or STRING


@primitive("repr_string", 1, derivative="none")
def repr_string(x: Any) -> str:
    """The text `show(x)` / `repr(x)` writes."""
    return display.repr_string(x)


@shape_rule("repr_string")
def repr_string_shape(x: AbstractValue) -> AbstractValue:
    return fold(repr_string, x) or STRING


@primitive("display_string", 1, derivative="none")
def display_string(x: Any) -> str:
    """The multi-line text the REPL shows for x (`3-element Vector{Float64}:` ...)."""
    return display.display_string(x)


@shape_rule("display_string")
def display_string_shape(x: AbstractValue) -> AbstractValue:
    return fold(display_string, x) or STRING


@primitive("string_concat", 1, derivative="none")
def string_concat(parts: tuple) -> str:
    """The concatenation of a tuple of strings."""
    return "".join(parts)


@shape_rule("string_concat")
def string_concat_shape(parts: AbstractValue) -> AbstractValue:
    return fold(string_concat, parts) or STRING


@primitive("string_length", 1, derivative="none")
def string_length(s: str) -> int:
    """The number of characters of a string."""
    return len(s)


@shape_rule("string_length")
def string_length_shape(s: AbstractValue) -> AbstractValue:
    return fold(string_length, s) or INT


@primitive("string_ncodeunits", 1, derivative="none")
def string_ncodeunits(s: str) -> int:
    """The number of UTF-8 bytes of a string (`ncodeunits`, `sizeof`)."""
    return len(s.encode("utf-8"))


@shape_rule("string_ncodeunits")
def string_ncodeunits_shape(s: AbstractValue) -> AbstractValue:
    return fold(string_ncodeunits, s) or INT


@primitive("string_slice", 3, derivative="none")
def string_slice(s: str, lo: int, hi: int) -> str:
    """The characters lo..hi (1-based, inclusive) of s, with BoundsError."""
    if hi >= lo and (lo < 1 or hi > len(s)):
        raise bounds_error(s, (lo,) if lo == hi else (UnitRange(lo, hi),))
    return s[lo - 1:hi] if hi >= lo else ""


@shape_rule("string_slice")
def string_slice_shape(s: AbstractValue, lo: AbstractValue, hi: AbstractValue) -> AbstractValue:
    return fold(string_slice, s, lo, hi) or STRING


@primitive("string_upper", 1, derivative="none")
def string_upper(s: str) -> str:
    """`uppercase(s)`."""
    return s.upper()


@shape_rule("string_upper")
def string_upper_shape(s: AbstractValue) -> AbstractValue:
    return fold(string_upper, s) or STRING


@primitive("string_lower", 1, derivative="none")
def string_lower(s: str) -> str:
    """`lowercase(s)`."""
    return s.lower()


@shape_rule("string_lower")
def string_lower_shape(s: AbstractValue) -> AbstractValue:
    return fold(string_lower, s) or STRING


@primitive("string_find", 3, derivative="none")
def string_find(s: str, sub: str, start: int) -> int:
    """The 1-based character index of the first `sub` in s at or after `start`; 0 if none."""
    return s.find(sub, max(0, start - 1)) + 1


@shape_rule("string_find")
def string_find_shape(s: AbstractValue, sub: AbstractValue, start: AbstractValue) -> AbstractValue:
    return fold(string_find, s, sub, start) or INT


@primitive("string_replace", 3, derivative="none")
def string_replace(s: str, old: str, new: str) -> str:
    """`replace(s, old => new)`."""
    return s.replace(old, new)


@shape_rule("string_replace")
def string_replace_shape(s: AbstractValue, old: AbstractValue, new: AbstractValue) -> AbstractValue:
    return fold(string_replace, s, old, new) or STRING


@primitive("string_split", 2, derivative="none")
def string_split(s: str, delim: Any) -> Any:
    """`split(s)` on whitespace (delim `nothing`) or on a delimiter string: Vector{String}."""
    parts = s.split() if delim is None else s.split(delim)
    return obj_array(parts, types.String)


@shape_rule("string_split")
def string_split_shape(s: AbstractValue, delim: AbstractValue) -> AbstractValue:
    # known text and delimiter decide the number of parts: the Vector's shape
    return fold(string_split, s, delim) or \
        AbstractValue(types.apply_type(types.Array, (types.String, 1)), None)


@primitive("string_strip", 1, derivative="none")
def string_strip(s: str) -> str:
    """`strip(s)`: s without leading and trailing whitespace."""
    return s.strip()


@shape_rule("string_strip")
def string_strip_shape(s: AbstractValue) -> AbstractValue:
    return fold(string_strip, s) or STRING


@primitive("string_codepoint", 2, derivative="none")
def string_codepoint(s: str, i: int) -> int:
    """The Unicode code point of the i-th character (1-based)."""
    if not 1 <= i <= len(s):
        raise bounds_error(s, (i,))
    return ord(s[i - 1])


@shape_rule("string_codepoint")
def string_codepoint_shape(s: AbstractValue, i: AbstractValue) -> AbstractValue:
    return fold(string_codepoint, s, i) or INT


@primitive("string_from_codepoint", 1, derivative="none")
def string_from_codepoint(c: int) -> str:
    """The one-character string of a code point."""
    return chr(int(c))


@shape_rule("string_from_codepoint")
def string_from_codepoint_shape(c: AbstractValue) -> AbstractValue:
    code = known(c)
    if isinstance(code, (int, np.integer)) and not isinstance(code, bool) and \
            0 <= code <= sys.maxunicode:
        return L.of_value(string_from_codepoint(code))
    return STRING


@primitive("parse_number", 2, derivative="none")
def parse_number(T: Any, s: str) -> Any:
    """`parse(T, s)` for a numeric type T (ArgumentError when s is not a number)."""
    dt = dtype_of(T)
    text = s.strip()
    try:
        if dt is None:
            raise ValueError
        if dt.kind in "iu":
            v = int(text.replace("_", ""), 0) if text[:2].lower() in ("0x", "0b", "0o") \
                else int(text.replace("_", ""))
            info = np.iinfo(dt)
            if not info.min <= v <= info.max:
                raise source.OverflowError_(f"overflow parsing \"{s}\"")
            return make_scalar(v, dt)
        if dt.kind == "b":
            if text in ("true", "false"):
                return text == "true"
            raise ValueError
        low = text.lower()
        if low in ("inf", "+inf", "-inf", "nan", "+nan", "-nan", "infinity", "-infinity"):
            v = float(low)
        else:
            v = float(text.replace("_", ""))
        return make_scalar(dt.type(v), dt)
    except ValueError:
        if dt is not None and dt.kind in "iu":
            raise source.ArgumentError(f"invalid base 10 digit {_first_bad_digit(text)!r} in "
                                       f"{_quote(s)}") from None
        raise source.ArgumentError(f"cannot parse {_quote(s)} as {type_name(T)}") from None


@shape_rule("parse_number")
def parse_number_shape(t: AbstractValue, s: AbstractValue) -> AbstractValue:
    folded = fold(parse_number, t, s)
    if folded is not None:
        return folded
    tv = type_value(t)
    if tv is None:
        return L.scalar(types.Real)
    if dtype_of(tv) is None:
        return BOTTOM                   # ArgumentError, whose message quotes the text
    return L.scalar(tv)                 # the numeric types with a dtype are concrete


def _first_bad_digit(text: str) -> str:
    for ch in text.lstrip("+-"):
        if not ch.isdigit():
            return ch
    return text[:1]


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


@primitive("symbol", 1, derivative="none")
def symbol(s: str) -> Symbol:
    """`Symbol(s)`."""
    return Symbol(s)


@shape_rule("symbol")
def symbol_shape(s: AbstractValue) -> AbstractValue:
    return fold(symbol, s) or L.scalar(types.SymbolType)


@primitive("symbol_name", 1, derivative="none")
def symbol_name(s: Symbol) -> str:
    """`string(:name)`."""
    return s.name


@shape_rule("symbol_name")
def symbol_name_shape(s: AbstractValue) -> AbstractValue:
    return fold(symbol_name, s) or STRING


# ---------------------------------------------------------------- I/O and time
@primitive("write_stdout", 1, derivative="none")
def write_stdout(s: str) -> None:
    """Write a string to standard output."""
    sys.stdout.write(s)
    if "\n" in s:
        sys.stdout.flush()
    return None


@shape_rule("write_stdout")
def write_stdout_shape(s: AbstractValue) -> AbstractValue:
    return NOTHING


@primitive("write_stderr", 1, derivative="none")
def write_stderr(s: str) -> None:
    """Write a string to standard error."""
    sys.stderr.write(s)
    sys.stderr.flush()
    return None


@shape_rule("write_stderr")
def write_stderr_shape(s: AbstractValue) -> AbstractValue:
    return NOTHING


@primitive("flush_stdout", 0, derivative="none")
def flush_stdout() -> None:
    """Flush standard output."""
    sys.stdout.flush()
    return None


@shape_rule("flush_stdout")
def flush_stdout_shape() -> AbstractValue:
    return NOTHING


@primitive("isatty_stdout", 0, derivative="none")
def isatty_stdout() -> bool:
    """Whether standard output is a terminal (a progress bar redraws in place there)."""
    try:
        return bool(sys.stdout.isatty())
    except (AttributeError, ValueError):
        return False


@shape_rule("isatty_stdout")
def isatty_stdout_shape() -> AbstractValue:
    return L.scalar(types.Bool)


@primitive("read_file", 1, derivative="none")
def read_file(path: str) -> str:
    """The contents of a text file (`read(path, String)`)."""
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except OSError as e:
        raise source.error_class("SystemError")(f"opening file {_quote(path)}: "
                                                f"{e.strerror}") from None


@shape_rule("read_file")
def read_file_shape(path: AbstractValue) -> AbstractValue:
    return STRING                       # the file is read when the program runs


@primitive("write_file", 2, derivative="none")
def write_file(path: str, s: str) -> int:
    """Write a string to a file, replacing it; returns the number of bytes written."""
    data = s.encode("utf-8")
    try:
        with open(path, "wb") as fh:
            fh.write(data)
    except OSError as e:
        raise source.error_class("SystemError")(f"opening file {_quote(path)}: "
                                                f"{e.strerror}") from None
    return len(data)


@shape_rule("write_file")
def write_file_shape(path: AbstractValue, s: AbstractValue) -> AbstractValue:
    text = known(s)
    if isinstance(text, str):           # the byte count, when the write succeeds
        return L.of_value(len(text.encode("utf-8")))
    return INT


@primitive("read_stdin_line", 0, derivative="none")
def read_stdin_line() -> str:
    """One line of standard input without its newline (`readline()`)."""
    line = sys.stdin.readline()
    return line[:-1] if line.endswith("\n") else line


@shape_rule("read_stdin_line")
def read_stdin_line_shape() -> AbstractValue:
    return STRING


@primitive("time_ns", 0, derivative="none")
def time_ns() -> int:
    """Nanoseconds from a monotonic clock."""
    return time.perf_counter_ns()


@shape_rule("time_ns")
def time_ns_shape() -> AbstractValue:
    return INT
