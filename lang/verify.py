"""IR verifier: structural checks run after lowering (in tests, and with ARR_VERIFY=1).

1. Every instruction kind is one of `ir.OPS`; every block ends in one terminator.
2. Block ids are their positions; branch targets exist, with one argument per parameter.
3. Every register is defined once, and defined before use along every path (dominance,
   checked with a simple iterative data-flow over "definitely defined" sets).
4. `arg` appears only in the entry block.
"""
from __future__ import annotations

from .ir import OPS, IRFunction, TERMINATORS


class IRVerifyError(Exception):
    pass


def verify(fn: IRFunction) -> None:
    def fail(msg: str) -> None:
        raise IRVerifyError(f"{fn.name}: {msg}")

    defined_in: dict[int, int] = {}
    for i, blk in enumerate(fn.blocks):
        if blk.id != i:
            fail(f"block {blk.id} at position {i}")
        for r in blk.params:
            if r in defined_in:
                fail(f"%{r} defined twice")
            defined_in[r] = i
        for inst in blk.insts:
            if inst.op not in OPS:
                fail(f"unknown instruction kind {inst.op!r}")
            if inst.op == "arg" and i != 0:
                fail("`arg` outside the entry block")
            if inst.res >= 0:
                if inst.res in defined_in:
                    fail(f"%{inst.res} defined twice")
                defined_in[inst.res] = i
        t = blk.term
        if t is None or t.op not in TERMINATORS:
            fail(f"block{i} has no terminator")
        for k, tgt in enumerate(t.targets):
            if not 0 <= tgt < len(fn.blocks):
                fail(f"block{i} branches to missing block{tgt}")
            if len(t.target_args[k]) != len(fn.blocks[tgt].params):
                fail(f"block{i} passes {len(t.target_args[k])} args to block{tgt}, "
                     f"which takes {len(fn.blocks[tgt].params)}")
    # definitely-defined sets on entry to each block
    succs: dict[int, list[int]] = {b.id: list(b.term.targets) + [
        x.attr for x in b.insts if x.op == "try_enter"] for b in fn.blocks}
    preds: dict[int, list[int]] = {b.id: [] for b in fn.blocks}
    for b, ss in succs.items():
        for s in ss:
            preds[s].append(b)
    everything = set(defined_in)
    out: dict[int, set[int]] = {b.id: set(everything) for b in fn.blocks}
    changed = True
    while changed:
        changed = False
        for blk in fn.blocks:
            inn = set.intersection(*(out[p] for p in preds[blk.id])) if preds[blk.id] else set()
            cur = inn | set(blk.params)
            for inst in blk.insts:
                if inst.res >= 0:
                    cur.add(inst.res)
            if cur != out[blk.id]:
                out[blk.id] = cur
                changed = True
    for blk in fn.blocks:
        inn = set.intersection(*(out[p] for p in preds[blk.id])) if preds[blk.id] else set()
        cur = inn | set(blk.params)
        for inst in blk.insts:
            for a in inst.args:
                if a not in cur:
                    fail(f"%{a} used in block{blk.id} ({inst.op}) before it is defined")
            if inst.res >= 0:
                cur.add(inst.res)
        for a in blk.term.args + tuple(x for ta in blk.term.target_args for x in ta):
            if a not in cur:
                fail(f"%{a} used by the terminator of block{blk.id} before it is defined")
