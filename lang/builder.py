"""Building SSA IR directly from variable reads and writes.

This is the algorithm of Braun et al., "Simple and Efficient Construction of Static
Single Assignment Form" (CC 2013), with block arguments in place of phi nodes:

1. The lowering calls `write_var(var, reg)` on assignment and `read_var(var)` on use.
2. A read that finds no definition in the current block asks the predecessors; where a
   block has several predecessors (or is not sealed yet: a loop header whose back edges
   are still unknown) it gets a new block parameter, whose incoming values are looked
   up in each predecessor.
3. `seal(block)` is called once all predecessors of a block are known.
4. `finish()` drops unreachable blocks, removes trivial parameters (all incoming values
   the same), fills in the branch arguments, removes `checkdef`s on values that are
   always defined and constants nobody uses, and renumbers the blocks.  The result passes `verify.verify`.
"""
from __future__ import annotations

from typing import Any

from .ir import Block, Inst, IRFunction, Terminator, UNDEF
from .source import Span, NO_SPAN


class Builder:
    def __init__(self, name: str, span: Span) -> None:
        self.name = name
        self.span = span
        self.blocks: list[Block] = []
        self.nregs = 0
        self.defs: list[dict[str, int]] = []
        self.preds: list[list[int]] = []
        self.sealed: set[int] = set()
        self.incomplete: list[dict[str, int]] = []
        self.phi_ops: dict[int, dict[int, int]] = {}
        self.phi_var: dict[int, str] = {}
        self.names: dict[int, str] = {}
        self.undef_reg = -1
        self.entry = self.new_block()
        self.seal(self.entry)
        self.cur: int | None = self.entry

    # ------------------------------------------------------------ blocks and instructions
    def new_block(self) -> int:
        bid = len(self.blocks)
        self.blocks.append(Block(bid))
        self.defs.append({})
        self.preds.append([])
        self.incomplete.append({})
        return bid

    def new_reg(self) -> int:
        r = self.nregs
        self.nregs += 1
        return r

    def ensure_open(self) -> int:
        """The current block; after a return/break, a fresh unreachable one for dead code."""
        if self.cur is None:
            self.cur = self.new_block()
            self.seal(self.cur)
        return self.cur

    def emit(self, op: str, args: tuple[int, ...] = (), attr: Any = None,
             span: Span = NO_SPAN, result: bool = True) -> int:
        bid = self.ensure_open()
        res = self.new_reg() if result else -1
        self.blocks[bid].insts.append(Inst(op, res, tuple(args), attr, span))
        return res

    def const(self, value: Any, span: Span = NO_SPAN) -> int:
        return self.emit("const", (), value, span)

    def undef(self) -> int:
        if self.undef_reg < 0:
            self.undef_reg = self.new_reg()
            self.blocks[self.entry].insts.insert(0, Inst("const", self.undef_reg, (), UNDEF))
        return self.undef_reg

    # ------------------------------------------------------------ terminators
    def _edge(self, src: int, dst: int) -> None:
        self.preds[dst].append(src)

    def br(self, target: int, span: Span = NO_SPAN) -> None:
        if self.cur is None:
            return
        self.blocks[self.cur].term = Terminator("br", (), (target,), ((),), span)
        self._edge(self.cur, target)
        self.cur = None

    def condbr(self, cond: int, then: int, else_: int, span: Span = NO_SPAN) -> None:
        assert then != else_
        bid = self.ensure_open()
        self.blocks[bid].term = Terminator("condbr", (cond,), (then, else_), ((), ()), span)
        self._edge(bid, then)
        self._edge(bid, else_)
        self.cur = None

    def ret(self, value: int, span: Span = NO_SPAN) -> None:
        bid = self.ensure_open()
        self.blocks[bid].term = Terminator("ret", (value,), (), (), span)
        self.cur = None

    def try_enter(self, handler: int, span: Span = NO_SPAN) -> None:
        bid = self.ensure_open()
        self.blocks[bid].insts.append(Inst("try_enter", -1, (), handler, span))
        self._edge(bid, handler)

    def unreachable(self, span: Span = NO_SPAN) -> None:
        bid = self.ensure_open()
        self.blocks[bid].term = Terminator("unreachable", (), (), (), span)
        self.cur = None

    # ------------------------------------------------------------ variables (Braun et al.)
    def write_var(self, var: str, reg: int) -> None:
        bid = self.ensure_open()
        self.defs[bid][var] = reg
        self.names.setdefault(reg, var)

    def read_var(self, var: str, bid: int | None = None) -> int:
        if bid is None:
            bid = self.ensure_open()
        reg = self.defs[bid].get(var)
        if reg is not None:
            return reg
        return self._read_var_recursive(var, bid)

    def _new_param(self, bid: int, var: str) -> int:
        reg = self.new_reg()
        self.blocks[bid].params.append(reg)
        self.phi_ops[reg] = {}
        self.phi_var[reg] = var
        self.names.setdefault(reg, var)
        return reg

    def _read_var_recursive(self, var: str, bid: int) -> int:
        if bid not in self.sealed:
            reg = self._new_param(bid, var)
            self.incomplete[bid][var] = reg
        elif len(self.preds[bid]) == 1:
            reg = self.read_var(var, self.preds[bid][0])
        elif not self.preds[bid]:
            reg = self.undef()
        else:
            reg = self._new_param(bid, var)
            self.defs[bid][var] = reg
            self._add_operands(var, reg, bid)
        self.defs[bid][var] = reg
        return reg

    def _add_operands(self, var: str, reg: int, bid: int) -> None:
        for pred in self.preds[bid]:
            self.phi_ops[reg][pred] = self.read_var(var, pred)

    def seal(self, bid: int) -> None:
        if bid in self.sealed:
            return
        for var, reg in self.incomplete[bid].items():
            self._add_operands(var, reg, bid)
        self.incomplete[bid] = {}
        self.sealed.add(bid)

    # ------------------------------------------------------------ finishing
    def finish(self, nargs: int, *, is_closure: bool = False) -> IRFunction:
        alias: dict[int, int] = {}

        def find(r: int) -> int:
            while r in alias:
                r = alias[r]
            return r

        # 1. reachability from the entry block
        reachable: set[int] = set()
        stack = [self.entry]
        while stack:
            b = stack.pop()
            if b in reachable:
                continue
            reachable.add(b)
            term = self.blocks[b].term
            if term is not None:
                stack.extend(term.targets)
            stack.extend(i.attr for i in self.blocks[b].insts if i.op == "try_enter")
        for b in range(len(self.blocks)):
            self.preds[b] = [p for p in self.preds[b] if p in reachable]
        # 2. trivial block parameters
        changed = True
        while changed:
            changed = False
            for b in reachable:
                blk = self.blocks[b]
                for p in list(blk.params):
                    if p not in self.phi_ops:
                        continue        # a handler's error value, set by the interpreter
                    ops = {find(self.phi_ops[p][pred]) for pred in self.preds[b]} - {p}
                    if len(ops) <= 1:
                        alias[p] = ops.pop() if ops else self.undef()
                        blk.params.remove(p)
                        changed = True
        # 3. branch arguments, operand rewriting
        for b in reachable:
            blk = self.blocks[b]
            for inst in blk.insts:
                inst.args = tuple(find(a) for a in inst.args)
            term = blk.term
            if term is None:
                continue
            term.args = tuple(find(a) for a in term.args)
            term.target_args = tuple(
                tuple(find(self.phi_ops[p][b]) for p in self.blocks[t].params)
                for t in term.targets)
        # 4. checkdef only where the value may be the undefined marker
        maybe_undef: set[int] = {self.undef_reg} if self.undef_reg >= 0 else set()
        changed = True
        while changed:
            changed = False
            for b in reachable:
                for p in self.blocks[b].params:
                    if p in self.phi_ops and p not in maybe_undef and any(
                            find(self.phi_ops[p][pred]) in maybe_undef for pred in self.preds[b]):
                        maybe_undef.add(p)
                        changed = True
        for b in reachable:
            blk = self.blocks[b]
            kept = []
            for inst in blk.insts:
                if inst.op == "checkdef" and inst.args[0] not in maybe_undef:
                    alias[inst.res] = inst.args[0]
                    continue
                kept.append(inst)
            blk.insts = kept
        if alias:
            for b in reachable:
                blk = self.blocks[b]
                for inst in blk.insts:
                    inst.args = tuple(find(a) for a in inst.args)
                if blk.term is not None:
                    blk.term.args = tuple(find(a) for a in blk.term.args)
                    blk.term.target_args = tuple(tuple(find(a) for a in ta)
                                                 for ta in blk.term.target_args)
        # 5. drop constants nobody uses (left behind by the steps above)
        used: set[int] = set()
        for b in reachable:
            used |= self.blocks[b].reads()
        for b in reachable:
            blk = self.blocks[b]
            blk.insts = [i for i in blk.insts if not (i.op == "const" and i.res not in used)]
        # 6. renumber blocks in order of creation
        order = sorted(reachable)
        newid = {old: i for i, old in enumerate(order)}
        blocks = []
        for old in order:
            blk = self.blocks[old]
            blk.id = newid[old]
            if blk.term is None:       # cannot happen for lowered code; keep the verifier happy
                blk.term = Terminator("unreachable")
            blk.term.targets = tuple(newid[t] for t in blk.term.targets)
            for inst in blk.insts:
                if inst.op == "try_enter":
                    inst.attr = newid[inst.attr]
            blocks.append(blk)
        names = {r: n for r, n in self.names.items() if not n.startswith("#")}
        return IRFunction(self.name, nargs, blocks, self.span, self.nregs, names, is_closure)
