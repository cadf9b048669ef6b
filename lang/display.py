"""Printing Arr values exactly as Julia 1.10 prints them.

Three entry points, one per Julia printing verb:

* `print_string(v)`   - `print`, `println`, `string`, string interpolation: strings raw,
  symbols bare, Float32/Float16 without their type marks (`1.0`).
* `repr_string(v)`    - `show`, `repr`: the two-argument `show`, which is also how an
  element prints inside a container (`"a"`, `:a`, `1.0f0`, `Float32[1.0, 2.0]`).
* `display_string(v)` - the REPL's `show(io, MIME"text/plain", v)` with `:limit => true`
  on a 24x80 terminal (`3-element Vector{Float64}:` then one element per line).

The code follows Julia's own printing layer (`base/ryu`, `base/show.jl`,
`base/arrayshow.jl`), so the same quirks appear: floats align on the first of `.eEfF`,
`Inf` splits as `In|f`, matrices print compactly (6 significant digits), Float32 inside a
`Float32[...]` loses its `f0`, and Bool inside `Bool[...]` prints `1`/`0`.

Julia threads an `IOContext` through nested `show` calls; here that is `_Ctx`, whose
`typeinfo` is the *printed* name of the type already shown to the reader (`"Float32"`),
or None for `Any`.  Working on type names keeps this module independent of `types.py`
for everything but struct, function and object-array type names.

Arr arrays are numpy arrays whose index `[i, j, k]` is numpy's `[i-1, j-1, k-1]`, so a
row of the printed matrix is a numpy row and the slice `[:, :, k]` is `a[:, :, k-1]`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Callable

import numpy as np

from .values import NamedTupleValue, StepRange, StructValue, Symbol, UnitRange

DISPLAY_ROWS, DISPLAY_COLS = 24, 80     # Julia's displaysize() for a non-tty stream


@dataclass(frozen=True, slots=True)
class _Ctx:
    """The parts of Julia's IOContext that change how values print."""
    typeinfo: str | None = None     # type already known to the reader; None is `Any`
    compact: bool = False           # 6 significant digits, no Float32/Float16 marks
    limit: bool = False             # abbreviate long arrays (REPL display)


_TOP = _Ctx()

# ----------------------------------------------------------------------------- floats

def _shortest_digits(x: Any) -> tuple[str, int]:
    """Shortest round-trip digits of finite nonzero |x| and the decimal point position.

    The value is `0.DIGITS * 10**pt`; DIGITS has no leading or trailing zeros.
    """
    if isinstance(x, float):
        s = repr(abs(float(x)))
    elif isinstance(x, (np.float32, np.float16)):
        s = np.format_float_scientific(abs(x), unique=True, trim="-")
    else:   # other float formats (BFloat16): the fewest digits that read back the same
        cls = type(x)
        s = next((t for t in (f"{abs(float(x)):.{p}e}" for p in range(17))
                  if cls(float(t)) == abs(x)), repr(abs(float(x))))
    mant, _, exp = s.partition("e")
    whole, _, frac = mant.partition(".")
    allds = whole + frac
    stripped = allds.lstrip("0")
    pt = len(whole) + (int(exp) if exp else 0) - (len(allds) - len(stripped))
    return stripped.rstrip("0"), pt


def _round_to_6(x: Any, digits: str, pt: int) -> tuple[str, int]:
    """Julia's `reduce_shortest(x, 999_999)`: cut the shortest digits to 6 significant.

    Rounds half up on the shortest digits, except half-even when they are exact.
    """
    if len(digits) <= 6:
        return digits, pt
    kept, first_dropped = int(digits[:6]), int(digits[6])
    if first_dropped == 5 and len(digits) == 7 and kept % 2 == 0:
        exact = Decimal(float(x)) == Decimal(f"0.{digits}e{pt}")
        up = not exact
    else:
        up = first_dropped >= 5
    kept += up
    if kept == 1_000_000:
        return "1", pt + 1
    return str(kept).rstrip("0"), pt


def format_float(x: Any, *, typed: bool = False, compact: bool = False,
                 fromprint: bool = False) -> str:
    """Julia's `show(io, x::IEEEFloat)` (`Ryu.writeshortest`) for Float64/32/16.

    `typed` adds Float32's `f0` / Float16's `Float16(...)`; `fromprint` is `print(x)`,
    which for Float32 also writes the exponent with `e` instead of `f`.
    """
    kind = _FLOAT_KIND.get(type(x)) or _DTYPE_NAMES.get(np.dtype(type(x)).name, "Float64")
    typed = typed and not compact and not fromprint
    suffix = {"Float32": "32", "Float16": "16", "BFloat16": "16"}.get(kind, "") if typed else ""
    xf = float(x)
    neg = bool(np.signbit(x))
    if xf != xf:
        return "NaN" + suffix
    if xf in (np.inf, -np.inf):
        return ("-Inf" if neg else "Inf") + suffix
    if xf == 0.0:
        body = "-0.0" if neg else "0.0"
    else:
        digits, pt = _shortest_digits(x)
        if compact:
            digits, pt = _round_to_6(x, digits, pt)
        n = len(digits)
        if -4 < pt <= (3 if kind == "Float16" else 6):
            if pt <= 0:
                body = "0." + "0" * -pt + digits
            elif pt >= n:
                body = digits + "0" * (pt - n) + ".0"
            else:
                body = digits[:pt] + "." + digits[pt:]
        else:
            expchar = "f" if kind == "Float32" and not fromprint else "e"
            body = digits[0] + "." + (digits[1:] or "0") + expchar + str(pt - 1)
        if neg:
            body = "-" + body
    if typed and kind == "Float32" and "f" not in body:
        body += "f0"
    elif typed and kind in ("Float16", "BFloat16"):
        body = f"{kind}({body})"
    return body


# ----------------------------------------------------------------------------- type names

_DTYPE_NAMES = {
    "float64": "Float64", "float32": "Float32", "float16": "Float16", "bfloat16": "BFloat16",
    "int8": "Int8", "int16": "Int16", "int32": "Int32", "int64": "Int64",
    "uint8": "UInt8", "uint16": "UInt16", "uint32": "UInt32", "uint64": "UInt64",
    "bool": "Bool",
}
_FLOAT_KIND: dict[type, str] = {float: "Float64", np.float64: "Float64",
                                np.float32: "Float32", np.float16: "Float16"}


def _eltype_name(a: np.ndarray) -> str:
    """The printed element type of an Arr array."""
    et = getattr(a, "eltype", None)
    if et is not None:
        return str(et)
    if a.dtype == object:
        return "Any"
    if a.dtype.kind == "U":
        return "String"
    return _DTYPE_NAMES.get(a.dtype.name, a.dtype.name)


def _array_type_name(eltype: str, ndim: int) -> str:
    if ndim == 1:
        return f"Vector{{{eltype}}}"
    if ndim == 2:
        return f"Matrix{{{eltype}}}"
    return f"Array{{{eltype}, {ndim}}}"


def typeof_name(v: Any) -> str:
    """`string(typeof(v))`, computed locally where possible, else by `types.typeof`."""
    if isinstance(v, bool):
        return "Bool"
    if isinstance(v, int):
        return "Int64"
    if isinstance(v, float):
        return "Float64"
    if isinstance(v, np.generic):
        return _DTYPE_NAMES.get(v.dtype.name, v.dtype.name)
    if isinstance(v, str):
        return "String"
    if isinstance(v, Symbol):
        return "Symbol"
    if v is None:
        return "Nothing"
    if isinstance(v, tuple):
        return "Tuple{" + ", ".join(typeof_name(e) for e in v) + "}"
    if isinstance(v, np.ndarray):
        return _array_type_name(_eltype_name(v), v.ndim)
    if isinstance(v, StructValue):
        return str(v.type)
    from . import types
    return str(types.typeof(v))


def _implicit_eltype(a: np.ndarray) -> bool:
    """Julia's `typeinfo_implicit(eltype(a))`: elements that print unambiguously bare."""
    et = getattr(a, "eltype", None)
    if et is None:
        return a.dtype.name in ("float64", "int64") or a.dtype.kind == "U"
    return _implicit_type(et)


def _implicit_type(t: Any) -> bool:
    """`typeinfo_implicit`: Float64, Int64, String, Symbol, singletons (`Nothing`,
    `typeof(sin)`, field-less structs), and concrete arrays and tuples of those."""
    from . import types as T
    if t is T.Float64 or t is T.Int64 or t is T.String or t is T.SymbolType:
        return True
    if not T.is_concrete(t):
        return False
    tn = t.typename
    if tn is T.ARRAY_TN:
        return _implicit_type(t.params[0])
    if tn is T.TUPLE_TN:
        return all(_implicit_type(p) for p in t.params)
    return tn.fieldnames == () and tn is not T.NAMEDTUPLE_TN and t not in T.NUMERIC_INFO


# ----------------------------------------------------------------------------- strings

_ESCAPES = {"\\": "\\\\", '"': '\\"', "$": "\\$", "\a": "\\a", "\b": "\\b", "\t": "\\t",
            "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r", "\x1b": "\\e"}


def quote_string(s: str) -> str:
    """Julia's `show(io, s::String)`: quoted, with `escape_string(s, ('"', '$'))`."""
    out = ['"']
    for i, c in enumerate(s):
        esc = _ESCAPES.get(c)
        if esc is not None:
            out.append(esc)
        elif c == "\0":
            nxt = s[i + 1] if i + 1 < len(s) else ""
            out.append("\\x00" if "0" <= nxt <= "7" else "\\0")
        elif c.isprintable():
            out.append(c)
        else:
            code = ord(c)
            nxt = s[i + 1] if i + 1 < len(s) else ""
            full = nxt != "" and nxt in "0123456789abcdefABCDEF"
            if code < 0x80:
                out.append(f"\\x{code:02x}")
            elif code <= 0xFFFF:
                out.append(f"\\u{code:04x}" if full else f"\\u{code:02x}")
            else:
                out.append(f"\\U{code:08x}" if full else f"\\U{code:04x}")
    out.append('"')
    return "".join(out)


def _elided_string(s: str, limit: int) -> str:
    """Julia's `show(io, MIME"text/plain", s)` under `:limit`: a string longer than `limit`
    UTF-8 code units keeps its head and tail around ` ⋯ N bytes ⋯ `."""
    nbytes = len(s.encode())
    if nbytes <= limit - 2:
        return quote_string(s)
    short = len(" ⋯  bytes ⋯ ") + 4
    chars = max(limit, short + 1) - short
    d = len(str(nbytes - chars))
    chars -= d
    chars += d - len(str(nbytes - chars))
    chars = max(0, chars)
    head, tail = s[:(chars + 1) // 2], s[len(s) - chars // 2:] if chars // 2 else ""
    middle = s[len(head):len(s) - len(tail)]
    n, t = len(middle.encode()), short + len(str(nbytes - chars)) - 1
    if 4 * t <= n or t <= n and t <= len(middle):
        return f"{quote_string(head)} ⋯ {n} bytes ⋯ {quote_string(tail)}"
    return quote_string(s)


_IDENT = re.compile(r"^[^\W\d][\w!]*$")
_QUOTED_SYMS = {":", "::", ":=", "=", "==", "===", "=>", "`"}
_NOT_IDENTIFIERS = {"true", "false"}
_OPERATOR = re.compile(r"^\.?([-+*/\\^%÷&|!<>=≈≤≥≠∘⊗⊕×⋅√∛~]|[<>=!]=|===|!==|//|>>>|>>|<<"
                       r"|->|\|>|<\||&&|\|\||\.\.|…)=?$")


def show_symbol(name: str) -> str:
    """Julia's `show(io, s::Symbol)`: `:a`, `:+`, `:(==)` or `Symbol("a b")`."""
    if name in _QUOTED_SYMS:
        return f":({name})"
    if (_IDENT.match(name) and name not in _NOT_IDENTIFIERS) or _OPERATOR.match(name):
        return ":" + name
    return f"Symbol({quote_string(name)})"


# ----------------------------------------------------------------------------- scalars

def _function_name(f: Any) -> str:
    """`sin`; an anonymous function prints `#3` for the internal name `#3#4` (Julia's
    `var"#3#4"`).  Closures always print with their leading `#`."""
    name = str(getattr(f, "name", "") or "anonymous")
    if name.startswith('var"') and name.endswith('"'):
        name = name[4:-1]
    if type(f).__name__ == "Closure" and not name.startswith("#"):
        name = "#" + name
    second = name.find("#", 1) if name.startswith("#") else -1
    return name[:second] if second > 0 else name


_FUNCTION_CLASSES = ("GenericFunction", "Closure", "Builtin")


def _is_function(v: Any) -> bool:
    """Generic functions (dispatch.py), closures and Python builtins (interp.py)."""
    return type(v).__name__ in _FUNCTION_CLASSES


def _method_count(f: Any) -> int:
    methods = getattr(f, "methods", None)
    try:
        return len(methods) if methods is not None else 1
    except TypeError:
        return 1


def _scalar_formatter(name: str, ctx: _Ctx) -> Callable[[Any], str]:
    """Element formatter for a numeric array of element type `name` printed in `ctx`."""
    if name in ("Float64", "Float32", "Float16", "BFloat16"):
        typed = not ctx.compact and ctx.typeinfo != name
        compact = ctx.compact
        if name == "Float64" and not compact:
            return lambda x: format_float(float(x))
        return lambda x: format_float(x, typed=typed, compact=compact)
    if name == "Bool":
        if ctx.typeinfo == "Bool":
            return lambda x: "1" if x else "0"
        return lambda x: "true" if x else "false"
    if name.startswith("UInt"):
        width = 2 * np.dtype(name.lower()).itemsize
        return lambda x: f"0x{int(x):0{width}x}"
    return lambda x: str(int(x))


def _array_elements(a: np.ndarray, ctx: _Ctx) -> Callable[[Any], str]:
    """The per-element `show` for the elements of `a` (fast path for numeric arrays)."""
    if a.dtype.kind not in "fiub" and a.dtype.name != "bfloat16":
        return lambda x: _show(x, ctx)
    return _scalar_formatter(_DTYPE_NAMES.get(a.dtype.name, a.dtype.name), ctx)


def _show(v: Any, ctx: _Ctx) -> str:
    """Julia's two-argument `show(io, v)` under the IOContext `ctx`."""
    if isinstance(v, bool):
        return ("1" if v else "0") if ctx.typeinfo == "Bool" else ("true" if v else "false")
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return format_float(v, compact=ctx.compact)
    if isinstance(v, str):
        return quote_string(v)
    if isinstance(v, np.generic):
        name = _DTYPE_NAMES.get(v.dtype.name, v.dtype.name)
        if v.dtype.kind == "V" or name in ("Float32", "Float16", "BFloat16"):
            return format_float(v, typed=ctx.typeinfo != name, compact=ctx.compact)
        return _scalar_formatter(name, ctx)(v)
    if isinstance(v, Symbol):
        return show_symbol(v.name)
    if v is None:
        return "nothing"
    if isinstance(v, np.ndarray):
        return _show_array(v, ctx)
    if isinstance(v, tuple):
        return _show_tuple(v, ctx)
    if isinstance(v, NamedTupleValue):
        return _show_named_tuple(v, ctx)
    if isinstance(v, (UnitRange, StepRange)):
        return _show_range(v)
    if isinstance(v, StructValue):
        return _show_struct(v, ctx)
    if _is_function(v):
        return _function_name(v)
    return str(v)       # types (their __str__ is Julia's), and anything unforeseen


def _show_tuple(t: tuple, ctx: _Ctx) -> str:
    known = ctx.typeinfo is not None and ctx.typeinfo.startswith("Tuple{") \
        and ctx.typeinfo == typeof_name(t)
    parts = [_show(e, replace(ctx, typeinfo=typeof_name(e)) if known else ctx) for e in t]
    return "(" + ", ".join(parts) + ("," if len(t) == 1 else "") + ")"


def _show_named_tuple(nt: NamedTupleValue, ctx: _Ctx) -> str:
    if not nt.names:
        return "NamedTuple()"
    known = ctx.typeinfo is not None and ctx.typeinfo == typeof_name(nt)
    parts = [f"{n} = {_show(e, replace(ctx, typeinfo=typeof_name(e) if known else None))}"
             for n, e in zip(nt.names, nt.values)]
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def _show_range(r: UnitRange | StepRange) -> str:
    if isinstance(r, UnitRange):
        if isinstance(r.start, (int, np.integer)) and not isinstance(r.start, bool):
            return f"{_show(r.start, _TOP)}:{_show(r.stop, _TOP)}"
        # Julia's `1.0:3.0` is a StepRangeLen, shown with its step.
        start, stop = float(r.start), float(r.start) + max(len(r) - 1, 0)
        return f"{format_float(start)}:{format_float(1.0)}:{format_float(stop)}"
    return ":".join(_show(x, _TOP) for x in (r.start, r.step, r.stop))


def _struct_field_names(v: StructValue) -> tuple[str, ...]:
    from . import types as T
    return tuple(T.struct_fieldnames(v.type))


def _show_struct(v: StructValue, ctx: _Ctx) -> str:
    """Julia's `show_default`: `Point(1.0, 2.0)`; a Pair shows as `a => b`."""
    inner = replace(ctx, typeinfo=None)
    if _struct_field_names(v) == ("first", "second") and _is_builtin_pair(v.type):
        return f"{_show(v.fields[0], inner)} => {_show(v.fields[1], inner)}"
    return f"{v.type}(" + ", ".join(_show(f, inner) for f in v.fields) + ")"


# ----------------------------------------------------------------------------- arrays: show

def _typeinfo_prefix(a: np.ndarray, ctx: _Ctx) -> tuple[str, _Ctx]:
    """Julia's `typeinfo_prefix`: the eltype prefix to print and the elements' context."""
    eltype = _eltype_name(a)
    known = ctx.typeinfo is not None and ctx.typeinfo == _array_type_name(eltype, a.ndim)
    if known:
        return "", replace(ctx, typeinfo=eltype)
    if a.size > 0 and _implicit_eltype(a):
        return "", ctx
    return eltype, replace(ctx, typeinfo=eltype)


def _items(a: np.ndarray) -> list:
    """Elements of a 1-d array, as Python scalars where that loses nothing (fast path)."""
    if a.dtype.kind in "biu" or a.dtype == np.float64:
        return a.tolist()
    return list(a)


def _show_array(a: np.ndarray, ctx: _Ctx) -> str:
    prefix, ectx = _typeinfo_prefix(a, ctx)
    fmt = _array_elements(a, ectx)
    if a.ndim == 0:
        return f"fill({fmt(a[()])})"
    if a.ndim == 1:
        items = _items(a)
        if ctx.limit and len(a) > 20:
            head = ", ".join(fmt(x) for x in items[:10])
            tail = ", ".join(fmt(x) for x in items[-10:])
            return f"{prefix}[{head}  …  {tail}]"
        return prefix + "[" + ", ".join(fmt(x) for x in items) + "]"
    if a.size == 0:
        return _array_type_name(_eltype_name(a), a.ndim) + \
            "(undef, " + ", ".join(str(d) for d in a.shape) + ")"
    if a.ndim == 2:
        body = _show_matrix_rows(a, fmt, ctx.limit)
        return prefix + "[" + body + (";;" if a.shape[1] == 1 else "") + "]"
    # N-d: slices [:, :, I...] in column-major order of the trailing indices, joined by
    # as many `;` as the highest dimension that advanced (`[1 3; 2 4;;; 5 7; 6 8]`).
    tail_shape = a.shape[2:]
    out, last, reached_last = [prefix, "["], None, False
    for idx in np.ndindex(*tail_shape[::-1]):
        idx = idx[::-1]
        if last is not None:
            changed = max(d for d in range(len(idx)) if idx[d] > last[d])
            out.append(";" * (changed + 3) + " ")
            reached_last = reached_last or changed + 3 == a.ndim
        out.append(_show_matrix_rows(a[(slice(None), slice(None)) + idx], fmt, ctx.limit))
        last = idx
    if not reached_last:
        out.append(";" * a.ndim)
    out.append("]")
    return "".join(out)


def _show_matrix_rows(m: np.ndarray, fmt: Callable[[Any], str], limit: bool) -> str:
    """`1 2; 3 4`: Julia's `_show_nonempty` body, abbreviated to 2+2 rows/cols if limit."""
    nr, nc = m.shape
    rows, cols = list(range(nr)), list(range(nc))
    rdots, cdots = limit and nr > 4, limit and nc > 4
    if rdots:
        rows = [0, 1, nr - 2, nr - 1]
    if cdots:
        cols = [0, 1, nc - 2, nc - 1]
    out = []
    for k, i in enumerate(rows):
        row = m[i]
        if cdots:
            out.append(f"{fmt(row[0])} {fmt(row[1])} … {fmt(row[nc - 2])} {fmt(row[nc - 1])}")
        else:
            out.append(" ".join(fmt(x) for x in _items(row)))
        if i < nr - 1:
            out.append("; ")
        if rdots and k == 1:
            out.append("… ; ")
    return "".join(out)


# ----------------------------------------------------------------------------- display

_ALIGN_RE = re.compile(r"^(.*?)((?:[.eEfF].*)?)$", re.S)


def _alignment(x: Any, s: str) -> tuple[int, int]:
    """Julia's `alignment(io, x)` given `s = sprint(show, x)`: (left, right) widths."""
    if isinstance(x, (bool, int, np.integer, np.bool_)):
        return len(s), 0
    if isinstance(x, (float, np.floating)):
        m = _ALIGN_RE.match(s)
        return len(m.group(1)), len(m.group(2))
    return 0, len(s)


def _display_inline(x: Any, ctx: _Ctx) -> str:
    """An element of a displayed array: 3-arg `show` unless multi-line, then 2-arg.

    The two differ only for functions (`sin (generic function with 1 method)`), empty
    arrays and very long strings; any nonempty array is multi-line in 3-arg form.
    """
    if _is_function(x) or isinstance(x, str) or isinstance(x, np.ndarray) and x.size == 0:
        return _display(x, ctx)
    return _show(x, ctx)


class _Cells:
    """Lazily formatted cells of a matrix: `(text, alignment)` per element."""

    def __init__(self, m: np.ndarray, ctx: _Ctx) -> None:
        self.m, self.ctx = m, ctx
        self.cache: dict[tuple[int, int], tuple[str, tuple[int, int]]] = {}
        self.fmt = _array_elements(m, ctx)
        self.plain = m.dtype != object

    def get(self, i: int, j: int) -> tuple[str, tuple[int, int]]:
        hit = self.cache.get((i, j))
        if hit is None:
            x = self.m[i, j]
            s = self.fmt(x)
            a = _alignment(x, s)
            if not self.plain:
                s = _display_inline(x, self.ctx)
            hit = self.cache[(i, j)] = (s, a)
        return hit


def _align_cols(cells: _Cells, rows: list[int], cols: list[int], ncols: int,
                if_complete: int, otherwise: int, sep: int) -> list[tuple[int, int]]:
    """Julia's `alignment(io, X, rows, cols, ...)`: column widths that fit the screen."""
    a: list[tuple[int, int]] = []
    for j in cols:
        ls = [cells.get(i, j)[1] for i in rows]
        a.append((max((p[0] for p in ls), default=0), max((p[1] for p in ls), default=0)))
        if len(a) > 1 and sum(l + r for l, r in a) + sep * len(a) >= if_complete:
            a.pop()
            break
    if 1 < len(a) < ncols:
        while sum(l + r for l, r in a) + sep * len(a) >= otherwise:
            a.pop()
    return a


def _matrix_row(cells: _Cells, A: list[tuple[int, int]], i: int, cols: list[int],
                ncols: int, sep: str) -> str:
    out = []
    for k, j in enumerate(cols):
        if k >= len(A):
            break
        s, a = cells.get(i, j)
        right = "" if j == ncols - 1 else " " * (A[k][1] - a[1])
        out.append(" " * (A[k][0] - a[0]) + s + right)
        if k < len(A) - 1:
            out.append(sep)
    return "".join(out)


def _vdots_row(A: list[tuple[int, int]], sep: str, mod: int, m: int, pad_right: bool) -> str:
    out = []
    for k in range(1, len(A) + 1):
        left, w = A[k - 1][0], A[k - 1][0] + A[k - 1][1]
        if k % mod == m:
            lpad = " " * max(0, left - 1)
            rpad = "" if k == len(A) and not pad_right else " " * max(0, w - 1 - len(lpad))
            out.append(lpad + "⋮" + rpad)
        elif k != len(A) or pad_right:
            out.append(" " * w)
        if k < len(A):
            out.append(sep)
    return "".join(out)


def _print_matrix(m: np.ndarray, ctx: _Ctx, pre: str = " ", sep: str = "  ") -> str:
    """Julia's `print_matrix` with `:limit`: a 24x80 screen, elided with ⋮ … ⋱."""
    hdots, ddots, hmod, vmod = "  …  ", "  ⋱  ", 5, 5
    height, width = DISPLAY_ROWS - 4, DISPLAY_COLS - len(pre)
    presp = " " * len(pre)
    nr, nc = m.shape
    cells = _Cells(m, ctx)
    rows, cols = list(range(nr)), list(range(nc))
    half = height // 2
    if nr > height:
        rows = rows[:half] + rows[nr - (height - 1) // 2:]
    maxcols = width // (1 + len(sep))
    if nc > maxcols:
        cols = cols[:maxcols] + cols[nc - maxcols:]
    A = _align_cols(cells, rows, cols, nc, width, width, len(sep))
    fits = nc <= len(A)
    if not fits:
        c = (width - len(hdots) + 1) // 2 + 1
        Ralign = _align_cols(cells, rows, cols[::-1], nc, c, c, len(sep))[::-1]
        c = width - sum(l + r for l, r in Ralign) - (len(Ralign) - 1) * len(sep) - len(hdots)
        Lalign = _align_cols(cells, rows, cols, nc, c, c, len(sep))
        rcols = list(range(nc - len(Ralign), nc))
    lines: list[str] = []
    for n, i in enumerate(rows):
        if fits:
            line = _matrix_row(cells, A, i, cols, nc, sep)
        else:
            dots = hdots if n % hmod == 0 else " " * len(hdots)
            line = (_matrix_row(cells, Lalign, i, cols, nc, sep) + dots
                    + _matrix_row(cells, Ralign, i, rcols, nc, sep))
        lines.append((pre if n == 0 else presp) + line)
        if nr > height and n == half - 1:
            if fits:
                vd = _vdots_row(A, sep, vmod, 1, False)
            else:
                r = (len(Ralign) - nc + 1) % vmod
                vd = _vdots_row(Lalign, sep, vmod, 1, True) + ddots + \
                    _vdots_row(Ralign, sep, vmod, r, False)
            lines.append(presp + vd)
    return "\n".join(lines)


def _display_nd(a: np.ndarray, ctx: _Ctx) -> str:
    """Julia's `show_nd` with slice labels `[:, :, 1] =`, skipping middle slices if >10."""
    tail = a.shape[2:]
    nd = len(tail)
    out: list[str] = []
    for rev in np.ndindex(*tail[::-1]):
        idx = rev[::-1]
        skip = False
        for d in range(nd):
            if tail[d] > 10:
                if idx[d] == 3 and all(idx[e] == 0 for e in range(d)):
                    if not any(tail[e] > 10 and 3 < idx[e] + 1 <= tail[e] - 3
                               for e in range(d + 1, nd)):
                        out.append("...\n\n")
                    skip = True
                    break
                if 3 < idx[d] + 1 <= tail[d] - 3:
                    skip = True
                    break
        if skip:
            continue
        out.append("[:, :, " + ", ".join(str(k + 1) for k in idx) + "] =\n")
        out.append(_print_matrix(a[(slice(None), slice(None)) + idx], ctx))
        if tuple(k + 1 for k in idx) != tail:
            out.append("\n\n")
    return "".join(out)


def _summary(a: np.ndarray) -> str:
    """`3-element Vector{Float64}`, `2×3 Matrix{Int64}`, `2×2×2 Array{Float64, 3}`."""
    t = _array_type_name(_eltype_name(a), a.ndim)
    if a.ndim == 0:
        return f"0-dimensional {t}"
    if a.ndim == 1:
        return f"{a.shape[0]}-element {t}"
    return "×".join(str(d) for d in a.shape) + " " + t


def _display_array(a: np.ndarray, ctx: _Ctx) -> str:
    if a.ndim == 0:
        return _summary(a) + ":\n" + _show(a[()], replace(ctx, typeinfo=_eltype_name(a)))
    if a.size == 0:
        return _show(a, ctx) if a.ndim == 1 or ctx.compact else _summary(a)
    inner = replace(ctx, typeinfo=_eltype_name(a),
                    compact=ctx.compact or a.ndim >= 2 and a.shape[1] > 1)
    if a.ndim == 1:
        body = _print_matrix(a.reshape(-1, 1), inner)
    elif a.ndim == 2:
        body = _print_matrix(a, inner)
    else:
        body = _display_nd(a, inner)
    return _summary(a) + ":\n" + body


def _alias_note(t: Any) -> str:
    """` (alias for Array{Float64, 1})` after `Vector{Float64}` in the REPL."""
    from . import types as T
    if type(t) is T.DataType and t.typename in (T.ARRAY_TN, T.AbstractArray.body.body.typename) \
            and t.params[1] in (1, 2) and type(t.params[1]) is int:
        return f" (alias for {t.typename.name}{{{t.params[0]}, {t.params[1]}}})"
    for alias, full in (("Vector", "Array{T, 1} where T"), ("Matrix", "Array{T, 2} where T")):
        if t is T.BUILTIN_TYPES[alias]:
            return f" (alias for {full})"
    return ""


def _display(v: Any, ctx: _Ctx) -> str:
    """Julia's `show(io, MIME"text/plain", v)`."""
    if isinstance(v, np.ndarray):
        return _display_array(v, ctx)
    if type(v).__name__ in ("DataType", "UnionAll"):
        return str(v) + _alias_note(v)
    if isinstance(v, str) and ctx.limit:
        screen = DISPLAY_ROWS * DISPLAY_COLS
        return _elided_string(v, screen if ctx.typeinfo is not None else 7 * screen)
    if _is_function(v):
        n = _method_count(v)
        return f"{_function_name(v)} (generic function with {n} method{'' if n == 1 else 's'})"
    return _show(v, ctx)


# ----------------------------------------------------------------------------- public API

def print_string(v: Any) -> str:
    """What `print(v)` writes (and `string(v)`, and `"$v"`)."""
    if isinstance(v, str):
        return v
    if isinstance(v, Symbol):
        return v.name
    if isinstance(v, (np.float32, np.float16)):
        return format_float(v, fromprint=True)
    if isinstance(v, np.unsignedinteger):
        return str(int(v))
    return _show(v, _TOP)


def repr_string(v: Any) -> str:
    """What `show(v)` / `repr(v)` writes."""
    return _show(v, _TOP)


def display_string(v: Any) -> str:
    """What the REPL shows for `v` (24x80 terminal); empty for `nothing`."""
    if v is None:
        return ""
    return _display(v, _Ctx(limit=True))


def _is_builtin_pair(t: Any) -> bool:
    from . import types
    pair_name = types.unwrap(types.BUILTIN_TYPES["Pair"])[0].typename
    return getattr(t, "typename", None) is pair_name
