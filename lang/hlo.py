"""StableHLO text: element types, tensor types, and an emitter that writes operations in
MLIR's generic syntax (`%3 = "stablehlo.add"(%1, %2) : (tensor<f64>, tensor<f64>) ->
tensor<f64>`), which every StableHLO version parses.

`Emitter` keeps one list of lines per open region; `region()` opens a nested one (the
body of a `while`, a side of an `if`) and gives its lines back.  Values defined outside a
region may be used inside it (StableHLO's control-flow regions capture implicitly).

The emitter records every operation it writes (`Op`), and `Emitter.module` hands the
module's text to `hlo_passes.rewrite`, which reshapes it where XLA would compile it badly.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from typing import NamedTuple

import numpy as np

from . import hlo_passes

# numpy dtype -> StableHLO element type
ELEMENT = {
    np.dtype(np.float64): "f64", np.dtype(np.float32): "f32", np.dtype(np.float16): "f16",
    np.dtype(np.int64): "i64", np.dtype(np.int32): "i32", np.dtype(np.int16): "i16",
    np.dtype(np.int8): "i8", np.dtype(np.uint64): "ui64", np.dtype(np.uint32): "ui32",
    np.dtype(np.uint16): "ui16", np.dtype(np.uint8): "ui8", np.dtype(np.bool_): "i1",
}


def tensor(dtype: np.dtype, shape: tuple[int, ...]) -> str:
    dims = "".join(f"{d}x" for d in shape)
    return f"tensor<{dims}{ELEMENT[np.dtype(dtype)]}>"


def literal(value: object, dtype: np.dtype) -> str:
    """A scalar as a `dense<...>` element."""
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return "true" if value else "false"
    if dtype.kind == "f":
        v = float(value)
        if v != v or v in (float("inf"), float("-inf")):
            # exact bit pattern for NaN and infinities
            bits = np.array(v, dtype=dtype).view(f"u{dtype.itemsize}")
            return f"0x{int(bits):0{dtype.itemsize * 2}X}"
        text = repr(float(np.array(v, dtype=dtype)))
        if "e" in text and "." not in text:          # MLIR wants `1.0e-10`, not `1e-10`
            text = text.replace("e", ".0e")
        return text
    return str(int(value))


def dense(array: np.ndarray) -> str:
    """A whole array as a `dense<...>` attribute value."""
    a = np.asarray(array)
    if a.size == 0 and a.ndim > 0:
        return "dense<>"
    if a.ndim == 0:
        return f"dense<{literal(a.item(), a.dtype)}>"
    if a.size and np.all(a == a.flat[0]) and not (a.dtype.kind == "f" and np.isnan(a.flat[0])):
        return f"dense<{literal(a.flat[0], a.dtype)}>"

    def rows(x: np.ndarray) -> str:
        if x.ndim == 1:
            return "[" + ", ".join(literal(v, a.dtype) for v in x.tolist()) + "]"
        return "[" + ", ".join(rows(r) for r in x) + "]"
    return f"dense<{rows(a)}>"


def i64_array(values: tuple[int, ...] | list[int]) -> str:
    return "array<i64" + "".join(f": {v}" if i == 0 else f", {v}"
                                  for i, v in enumerate(values)) + ">"


class Op(NamedTuple):
    """One operation as emitted: its result (None for none or several), name, operands
    and their types, result type and attributes."""
    res: str | None
    name: str
    operands: tuple[str, ...]
    types: tuple[str, ...]
    rtype: str
    attrs: str


class Emitter:
    """Writes the operations of one function, region by region."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.count = 0
        self.depth = 1
        self.ops: list[Op] = []        # every operation emitted, for `hlo_passes`

    def fresh(self, hint: str = "v") -> str:
        self.count += 1
        return f"%{hint}{self.count}"

    def op(self, name: str, operands: list[tuple[str, str]], results: list[str],
           attrs: str = "", regions: list[list[str]] | None = None) -> list[str]:
        """Emit `name` on (value, type) operands giving values of the `results` types;
        returns the result names."""
        outs = [self.fresh() for _ in results]
        if len(outs) == 1:
            lhs = f"{outs[0]} = "
        elif outs:
            base = self.fresh("m")
            lhs = f"{base}:{len(outs)} = "
            outs = [f"{base}#{i}" for i in range(len(outs))]
        else:
            lhs = ""
        ops = ", ".join(v for v, _ in operands)
        intypes = ", ".join(t for _, t in operands)
        restypes = ", ".join(results)
        if len(results) != 1:
            restypes = f"({restypes})"
        reg = ""
        if regions is not None:
            reg = " (" + ", ".join("{\n" + "\n".join(r) + "\n" + "  " * self.depth + "}"
                                   for r in regions) + ")"
        attr = f" {{{attrs}}}" if attrs else ""
        self.lines.append(f"{'  ' * self.depth}{lhs}\"{name}\"({ops}){reg}{attr} : "
                          f"({intypes}) -> {restypes}")
        one = len(outs) == 1
        self.ops.append(Op(outs[0] if one else None, name, tuple(v for v, _ in operands),
                           tuple(t for _, t in operands), results[0] if one else "", attrs))
        return outs

    def ret(self, operands: list[tuple[str, str]], name: str = "stablehlo.return") -> None:
        ops = ", ".join(v for v, _ in operands)
        types = ", ".join(t for _, t in operands)
        self.lines.append(f"{'  ' * self.depth}\"{name}\"({ops}) : ({types}) -> ()")
        self.ops.append(Op(None, name, tuple(v for v, _ in operands),
                           tuple(t for _, t in operands), "", ""))

    def block_header(self, params: list[tuple[str, str]]) -> None:
        args = ", ".join(f"{v}: {t}" for v, t in params)
        self.lines.append(f"{'  ' * self.depth}^bb0({args}):")

    @contextmanager
    def region(self) -> Iterator[list[str]]:
        saved = self.lines
        self.lines = []
        self.depth += 1
        try:
            yield self.lines
        finally:
            self.depth -= 1
            self.lines = saved

    @contextmanager
    def reenter(self, lines: list[str]) -> Iterator[None]:
        """Append to a region opened earlier (to finish a side of an `if`)."""
        saved = self.lines
        self.lines = lines
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
            self.lines = saved

    def module(self, params: list[tuple[str, str]], results: list[str]) -> str:
        sig = ", ".join(f"{v}: {t}" for v, t in params)
        res = ", ".join(results)
        body = hlo_passes.rewrite("\n".join(self.lines), self.ops)
        return (f"module @arr {{\n  func.func public @main({sig}) -> ({res}) {{\n{body}\n"
                f"  }}\n}}\n")
