"""Scope analysis: which names are local to a function, and which locals need a box.

Run once per function body (and per top-level statement) before lowering:

1. `assigned` = names assigned in the body (assignments, `for` targets, `local`, the
   `catch` variable, nested named function definitions), not looking inside closures.
   An indexed or dotted update (`x[i] = v`, `x .= v`) rebinds x but does not make it
   local: it updates whatever x names, so `G[1] = 0` in a function updates a global G,
   which is what Julia users see when Julia mutates it.
2. `locals` = parameters + `assigned` - names declared `global`.
3. For each closure directly inside the body (lambda, do-block, comprehension,
   generator, local function) its free names are found, looking through nested
   closures.  A local captured by a closure lives in a box (a shared mutable cell) when
   it is assigned inside a closure, or assigned in the body after the closure is
   created, or is a local function that refers to itself.  Otherwise the closure
   captures its value, which is what Julia's semantics give in that case.
4. A local assigned inside a `try` body is boxed, so the `catch` block and the code
   after it see the last value written before the error.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Iterator

from . import syntax as S

CLOSURE_NODES = (S.Lambda, S.Comprehension, S.Generator)


def children(node: S.Node) -> Iterator[S.Node]:
    for f in fields(node):
        if f.name == "span":
            continue
        v = getattr(node, f.name)
        if isinstance(v, S.Node):
            yield v
        elif isinstance(v, tuple):
            for item in v:
                if isinstance(item, S.Node):
                    yield item
                elif isinstance(item, tuple):
                    yield from (x for x in item if isinstance(x, S.Node))


def target_names(target: S.Node) -> list[str]:
    """Names bound by an assignment target (`x`, `a, b`, `x::T`); [] for `x[i]`, `x.f`."""
    if isinstance(target, S.Name):
        return [target.id]
    if isinstance(target, S.TupleLit):
        out: list[str] = []
        for e in target.elems:
            out.extend(target_names(e))
        return out
    if isinstance(target, S.TypeAssert):
        return target_names(target.value)
    if isinstance(target, S.NamedTupleLit):
        return [v.id for v in target.values if isinstance(v, S.Name)]
    if isinstance(target, S.Splat):
        return target_names(target.value)
    return []


def base_name(target: S.Node) -> str | None:
    """The variable an indexed assignment `x[i][j] = v` rebinds."""
    while isinstance(target, S.Index):
        target = target.obj
    return target.id if isinstance(target, S.Name) else None


def is_local_function(node: S.Node) -> bool:
    return isinstance(node, S.FunctionDef) and node.name is not None


@dataclass
class ScopeInfo:
    locals: set[str]
    boxed: set[str]
    declared_global: set[str]
    declared_local: set[str] = field(default_factory=set)
    assign_positions: dict[str, list[int]] = field(default_factory=dict)


class _Collector:
    """Assignments, reads and closures of one body (not descending into closures)."""

    def __init__(self) -> None:
        self.assigned: dict[str, list[int]] = {}
        self.updated: dict[str, list[int]] = {}
        self.globals: set[str] = set()
        self.declared_local: set[str] = set()
        self.closures: list[S.Node] = []
        self.in_try: set[str] = set()
        self.try_depth = 0

    def assign(self, name: str, pos: int) -> None:
        self.assigned.setdefault(name, []).append(pos)
        if self.try_depth:
            self.in_try.add(name)

    def update(self, name: str, pos: int) -> None:
        """`x[i] = v` or `x .= v`: rebinds x, but does not make x a local (as in Julia,
        where it mutates whatever x already names)."""
        self.updated.setdefault(name, []).append(pos)
        if self.try_depth:
            self.in_try.add(name)

    def visit(self, node: S.Node) -> None:
        if isinstance(node, CLOSURE_NODES):
            self.closures.append(node)
            return
        if isinstance(node, S.FunctionDef):
            if node.name is not None:
                self.assign(node.name, node.span.start)
            self.closures.append(node)
            return
        if isinstance(node, (S.StructDef, S.AbstractDef)):
            return
        if isinstance(node, S.Global):
            self.globals.update(node.names)
        elif isinstance(node, S.Local):
            for n in node.names:
                self.assign(n, node.span.start)
                self.declared_local.add(n)
        elif isinstance(node, (S.Assign, S.OpAssign)) and not isinstance(node.target, S.Index):
            for n in target_names(node.target):
                self.assign(n, node.span.start)
        elif isinstance(node, (S.Assign, S.OpAssign, S.DotAssign)):
            b = base_name(node.target)
            if b is not None:
                self.update(b, node.span.start)
        elif isinstance(node, S.For):
            for spec in node.specs:
                for n in target_names(spec.target):
                    self.assign(n, node.span.start)
        elif isinstance(node, S.Try):
            if node.catch_var:
                self.assign(node.catch_var, node.span.start)
            self.try_depth += 1
            self.visit(node.body)
            self.try_depth -= 1
            for part in (node.catch_body, node.finally_body):
                if part is not None:
                    self.visit(part)
            return
        elif isinstance(node, S.Let):
            # let-bound names are fresh locals of the let; the lowering renames them
            for b in node.bindings:
                if isinstance(b, S.Assign):
                    self.visit(b.value)
            self.visit(node.body)
            return
        for ch in children(node):
            self.visit(ch)


def closure_params(node: S.Node) -> set[str]:
    if isinstance(node, S.Lambda):
        return {p.name for p in node.params + node.kwparams if p.name}
    if isinstance(node, S.FunctionDef):
        ps = {p.name for p in node.params + node.kwparams if p.name}
        if node.self_param is not None and node.self_param.name:
            ps.add(node.self_param.name)
        return ps | {w.name for w in node.where}
    if isinstance(node, (S.Comprehension, S.Generator)):
        out: set[str] = set()
        for spec in node.specs:
            out.update(target_names(spec.target))
        return out
    return set()


def free_names(node: S.Node) -> tuple[set[str], set[str]]:
    """(names used, names assigned) anywhere inside a closure, minus its own params."""
    used: set[str] = set()
    written: set[str] = set()

    def walk(n: S.Node) -> None:
        if isinstance(n, S.Name):
            used.add(n.id)
        elif isinstance(n, (S.Assign, S.OpAssign, S.DotAssign)):
            written.update(target_names(n.target))
            b = base_name(n.target)
            if b is not None:
                written.add(b)
        elif isinstance(n, S.For):
            for spec in n.specs:
                written.update(target_names(spec.target))
        for ch in children(n):
            walk(ch)

    walk(node)
    own = closure_params(node)
    return used - own, written - own


def analyze(body: S.Node, params: set[str], *, toplevel: bool = False) -> ScopeInfo:
    col = _Collector()
    col.visit(body)
    locals_ = (set(params) | set(col.assigned)) - col.globals
    boxed: set[str] = set()
    for clo in col.closures:
        used, written = free_names(clo)
        for v in (used | written) & locals_:
            if v in written:
                boxed.add(v)
            elif any(pos > clo.span.start for pos in col.assigned.get(v, []) + col.updated.get(v, [])):
                boxed.add(v)
            elif is_local_function(clo) and clo.name == v:
                boxed.add(v)
    boxed |= col.in_try & locals_
    return ScopeInfo(locals_, boxed, col.globals, col.declared_local, col.assigned)
