"""Intrinsics: the small set of operations the Arr standard library is built on.

Each intrinsic is one `Primitive` record keeping all of its rules together:
  * `impl`   - the reference evaluation used by the interpreter (numpy),
  * `shape`  - the shape/type rule: abstract arguments (`lattice.AbstractValue`) to the
               abstract result, raising the Arr error a call would raise when the
               arguments already decide it (DimensionMismatch for known shapes).
               Higher-order intrinsics get `ctx` first, whose `ctx.infer_call(f, *args)`
               gives the abstract result of calling f,
  * `lower`  - the StableHLO lowering `lower(ctx, *args)` (`@lowering`, see staging.py;
               None for the intrinsics that only the interpreter runs: I/O, strings),
  * `derivative` - the name of its derivative rule (issue 4; written in Arr).

Arr code (the stdlib) calls an intrinsic as `Intrinsics.name(args...)`; the lowering turns
that into a `prim` IR instruction.  Higher-order intrinsics (`needs_ctx=True`) receive the
interpreter context as their first argument: `ctx.call(f, *args)` calls an Arr callable.

Families live in sibling modules (`scalar.py`, `math_functions.py`, `array.py`,
`indexing.py`, `mapreduce.py`, `misc.py`, `strings.py`, `ranges.py`, `random_numbers.py`)
and register themselves with `@primitive` at import time; `PRIMITIVES` is the registry.
`numeric.py` holds the number-representation and shape-rule helpers they share.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable


@dataclass(frozen=True, slots=True)
class Primitive:
    name: str
    impl: Callable[..., Any]
    nargs: int | None = None            # None: variadic
    needs_ctx: bool = False
    shape: Callable[..., Any] | None = None
    lower: Callable[..., Any] | None = None
    derivative: str | None = None       # "none" for non-differentiable; else an Arr rule name
    doc: str = ""


PRIMITIVES: dict[str, Primitive] = {}


def primitive(name: str, nargs: int | None = None, *, needs_ctx: bool = False,
              derivative: str | None = None, shape: Callable[..., Any] | None = None,
              lower: Callable[..., Any] | None = None):
    """Register the decorated function as the reference evaluation of intrinsic `name`."""
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        if name in PRIMITIVES:
            raise ValueError(f"intrinsic {name!r} registered twice")
        PRIMITIVES[name] = Primitive(name, fn, nargs, needs_ctx, shape, lower, derivative,
                                     (fn.__doc__ or "").strip())
        return fn
    return register


def shape_rule(name: str):
    """Attach the decorated function as the shape rule of the intrinsic `name` (registered
    just above it, so a reader sees both on one screen)."""
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        PRIMITIVES[name] = replace(PRIMITIVES[name], shape=fn)
        return fn
    return register


def lowering(name: str):
    """Attach the decorated function as the StableHLO lowering of intrinsic `name`:
    `fn(ctx, *args)` where ctx is the `staging.Stager` and each argument is a symbolic
    value (a constant, a `staging.Dyn`, or a container of them)."""
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        PRIMITIVES[name] = replace(PRIMITIVES[name], lower=fn)
        return fn
    return register


def load_all() -> dict[str, Primitive]:
    """Import every family module so that the registry is complete."""
    from . import (scalar, math_functions, array, mapreduce, indexing, misc,  # noqa: F401
                   strings, ranges, random_numbers)
    from . import misc_lowering, mapreduce_lowering, math_lowering  # noqa: F401  (size)
    from . import array_lowering, indexing_lowering  # noqa: F401  (array.py, indexing.py)
    return PRIMITIVES
