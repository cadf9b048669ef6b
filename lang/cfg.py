"""Control-flow analysis of an IR function, for turning its CFG back into structured
StableHLO (`stablehlo.if`, `stablehlo.while`).

`analyze(ir)` gives a `CFG` with:
* dominators (`dominates(a, b)`), computed by the iterative data-flow algorithm;
* natural loops: a back edge is an edge u -> h where h dominates u; the loop of header h
  is h plus every block that reaches a back-edge source without passing through h;
* for each *region* (the whole function, or one loop seen from its header), the
  post-dominator tree of the region graph: the region's blocks plus a virtual `EXIT` node
  that every edge leaving the region goes to (a `ret`, a `break` out of the loop, and the
  back edge to the region's own header);
* for each loop, the registers defined inside it and used after it (`carry_out`), which the
  compiled loop must hand out along each exit edge (those whose definition dominates the
  exit's target).

The lowering (`staging.py`) walks a region from its entry; at a branch on run-time data it
emits an `if` whose two sides run up to the branch block's immediate post-dominator in the
region (`Region.ipdom`), where they meet again.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .ir import IRFunction

EXIT = -1


@dataclass
class Loop:
    header: int
    blocks: frozenset[int]


@dataclass
class Region:
    """The whole function (`header is None`) or the body of one loop."""
    header: int | None
    blocks: frozenset[int]
    succs: dict[int, list[int]]               # region graph: EXIT for edges that leave
    pdom: dict[int, frozenset[int]] = field(default_factory=dict)

    def is_exit(self, src: int, tgt: int) -> bool:
        return tgt == self.header or tgt not in self.blocks

    def ipdom(self, b: int) -> int:
        """The nearest block that every path from b to the region's exit passes through."""
        return self.common_pdom([s for s in self.succs[b]])

    def common_pdom(self, nodes: list[int]) -> int:
        sets = [self.pdom.get(n, frozenset((n,))) if n != EXIT else frozenset((EXIT,))
                for n in nodes]
        common = frozenset.intersection(*sets) if sets else frozenset((EXIT,))
        if not common or common == {EXIT}:
            return EXIT
        # the closest common post-dominator has the largest post-dominator set
        return max((n for n in common if n != EXIT), key=lambda n: len(self.pdom[n]))


class CFG:
    def __init__(self, ir: IRFunction) -> None:
        self._ir = weakref.ref(ir)      # (the cache below must not keep the IR alive)
        self.succs: dict[int, list[int]] = {}
        for blk in ir.blocks:
            t = blk.term
            self.succs[blk.id] = list(t.targets) if t is not None else []
        self.reachable = self._reachable()
        self.preds: dict[int, list[int]] = {b: [] for b in self.reachable}
        for b in self.reachable:
            for s in self.succs[b]:
                self.preds[s].append(b)
        self.dom = self._dominators()
        self.loops = self._loops()
        self._regions: dict[int | None, Region] = {}
        self._carry: dict[tuple[int, int], list[int]] = {}

    @property
    def ir(self) -> IRFunction:
        return self._ir()

    # ---------------------------------------------------------------- dominators
    def _reachable(self) -> list[int]:
        seen, order, stack = set(), [], [0]
        while stack:
            b = stack.pop()
            if b in seen:
                continue
            seen.add(b)
            order.append(b)
            stack.extend(reversed(self.succs[b]))
        return order

    def _dominators(self) -> dict[int, frozenset[int]]:
        every = frozenset(self.reachable)
        dom = {b: every for b in self.reachable}
        dom[0] = frozenset((0,))
        changed = True
        while changed:
            changed = False
            for b in self.reachable[1:]:
                ps = [dom[p] for p in self.preds[b]]
                new = frozenset.intersection(*ps) | {b} if ps else frozenset((b,))
                if new != dom[b]:
                    dom[b] = new
                    changed = True
        return dom

    def dominates(self, a: int, b: int) -> bool:
        return a in self.dom[b]

    def _loops(self) -> dict[int, Loop]:
        bodies: dict[int, set[int]] = {}
        for u in self.reachable:
            for h in self.succs[u]:
                if self.dominates(h, u):
                    body = bodies.setdefault(h, {h})
                    stack = [u]
                    while stack:
                        n = stack.pop()
                        if n not in body:
                            body.add(n)
                            stack.extend(self.preds[n])
        return {h: Loop(h, frozenset(b)) for h, b in bodies.items()}

    # ---------------------------------------------------------------- regions
    def region(self, header: int | None) -> Region:
        r = self._regions.get(header)
        if r is None:
            blocks = frozenset(self.reachable) if header is None else self.loops[header].blocks
            succs = {}
            for b in blocks:
                out = []
                for s in self.succs[b]:
                    out.append(EXIT if (s == header or s not in blocks) else s)
                if not out:                          # ret / unreachable
                    out = [EXIT]
                succs[b] = out
            r = self._regions[header] = Region(header, blocks, succs)
            r.pdom = _post_dominators(blocks, succs)
        return r

    # ---------------------------------------------------------------- loop values
    @cached_property
    def def_block(self) -> dict[int, int]:
        out = {}
        for blk in self.ir.blocks:
            for p in blk.params:
                out[p] = blk.id
            for inst in blk.insts:
                if inst.res >= 0:
                    out[inst.res] = blk.id
        return out

    @cached_property
    def uses_in(self) -> dict[int, set[int]]:
        """block -> registers its instructions and terminator read."""
        return {blk.id: blk.reads() for blk in self.ir.blocks}

    def carry_out(self, header: int, tgt: int) -> list[int]:
        """Registers defined in the loop of `header`, read outside it, and available at
        `tgt` outside the loop (their definition dominates it)."""
        key = (header, tgt)
        hit = self._carry.get(key)
        if hit is None:
            body = self.loops[header].blocks
            outside: set[int] = set()
            for b in self.reachable:
                if b not in body:
                    outside |= self.uses_in[b]
            db = self.def_block
            hit = sorted(r for r in outside if db.get(r) in body and self.dominates(db[r], tgt))
            self._carry[key] = hit
        return hit


def _post_dominators(blocks: frozenset[int], succs: dict[int, list[int]]) -> dict[int, frozenset[int]]:
    every = frozenset(blocks) | {EXIT}
    pdom = {b: every for b in blocks}
    pdom[EXIT] = frozenset((EXIT,))
    order = sorted(blocks, reverse=True)
    changed = True
    while changed:
        changed = False
        for b in order:
            new = frozenset.intersection(*(pdom[s] for s in succs[b])) | {b}
            if new != pdom[b]:
                pdom[b] = new
                changed = True
    return pdom


# id(ir) -> (weak reference to ir, its CFG); an entry goes with its IR (transformed IR
# refers to the interpreter that made it: a strong reference here kept whole sessions)
_CACHE: dict[int, tuple[Any, CFG]] = {}


def analyze(ir: IRFunction) -> CFG:
    hit = _CACHE.get(id(ir))
    if hit is None or hit[0]() is not ir:
        key = id(ir)
        hit = _CACHE[key] = (weakref.ref(ir, lambda _, key=key: _CACHE.pop(key, None)), CFG(ir))
    return hit[1]
