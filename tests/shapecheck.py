"""Checking an intrinsic's shape rule against its reference evaluation.

`check_rule(name, *args)` runs the reference evaluation on concrete arguments and the
shape rule on their abstractions, twice: once with the constants known and once with
only types and shapes.  The abstract result must contain the concrete result; when the
evaluation raises an Arr error, the rule must either raise the same kind of error or
return normally (an error that depends on values, like DomainError for sqrt(-1.0),
cannot be known from types and shapes).
"""
from __future__ import annotations

from typing import Any

from lang import lattice as L
from lang.dispatch import GenericFunction
from lang.prims import PRIMITIVES, load_all
from lang.source import ArrError

load_all()


class InferCtx:
    """Stands in for inference in the shape rules of higher-order intrinsics:
    `infer_call(f, *args)` evaluates f on representative values (the constants when
    known, else zeros of the element type) through the given Python table."""

    def __init__(self, table: dict[str, Any]):
        self.table = table

    def call(self, f: Any, *args: Any) -> Any:
        if isinstance(f, GenericFunction):
            return self.table[f.name](*args)
        return f(*args)

    def infer_call(self, f: L.AbstractValue, *args: L.AbstractValue) -> L.AbstractValue:
        from lang.prims.scalar import convert_to_dtype  # noqa: F401  (import check only)
        from lang import types as T
        import numpy as np
        vals = []
        for a in args:
            if a.is_const:
                vals.append(a.const)
            else:
                t = L.eltype(a) if L.is_array(a) else a.type
                vals.append(_zero(t))
        return L.of_value(self.call(f.const, *vals), keep_const=False)


def _zero(t: Any) -> Any:
    from lang import types as T
    import numpy as np
    name = T.show_type(t)
    if name == "Int64":
        return 0
    if name == "Float64":
        return 0.0
    if name == "Bool":
        return False
    return T.numpy_dtype(t).type(0)


def check_rule(name: str, *args: Any, ctx: Any = None) -> L.AbstractValue | None:
    """Assert the rule of intrinsic `name` agrees with its evaluation on `args`."""
    p = PRIMITIVES[name]
    assert p.shape is not None, f"intrinsic {name} has no shape rule"
    try:
        result = p.impl(ctx, *args) if p.needs_ctx else p.impl(*args)
        error = None
    except ArrError as e:
        result, error = None, e
    out = None
    for keep in (True, False):
        abstract = [L.of_value(a, keep_const=keep) for a in args]
        try:
            out = p.shape(ctx, *abstract) if p.needs_ctx else p.shape(*abstract)
        except ArrError as e:
            assert error is not None and e.kind == error.kind, (
                f"{name}{args}: the rule raised {e.kind}: {e.message}, the evaluation "
                f"{'raised ' + error.kind if error else 'returned ' + repr(result)}")
            continue
        assert isinstance(out, L.AbstractValue), f"{name}: the rule returned {out!r}"
        if error is None:
            assert L.contains(out, result), (
                f"{name}{args} (constants {'known' if keep else 'unknown'}): the rule says "
                f"{out!r}, the evaluation gave {result!r} of type "
                f"{L.of_value(result)!r}")
    return out
