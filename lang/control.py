"""Control flow for staging: the `ControlFlow` mixin of `staging.Stager`.

It walks the CFG of one IR function region by region (`cfg.py`) and rebuilds structured
StableHLO:
* `exec_from` traces blocks from one block until a stop block (a join) or an exit of the
  region (a `ret`, the back edge of the loop being traced, an edge leaving it);
* `branch` turns a branch on run-time data into `fork`: each side is traced into its own
  region of a `stablehlo.if` (or `stablehlo.case`) up to the immediate post-dominator, and
  `_merge` joins what they hand out (equal constants stay constants, the rest become the
  operation's results; differing types are a type instability).  Inside an elementwise
  map, `branch_select` runs both sides and joins them with `select`;
* `run_loop` makes a `stablehlo.while` (`loop_while`: a fixed point decides which loop
  values are carried at run time) or, when a value changes type, unrolls the loop at
  compile time (`loop_unrolled`, section 6).  A loop entered with constants is first run
  at compile time (`loop_constant`) for as long as it carries no run-time value of an
  unchanged type.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator

import numpy as np

from . import hlo, types as T
from .cfg import EXIT
from .lattice import _same_const
from .prims.numeric import dtype_of
from .source import NO_SOURCE, NO_SPAN, ArrError, Span
from .values import NamedTupleValue
from .symbolic import (DEAD, Dyn, FrameState, Maybe, NeedConst, NotCompilable, Outcome, StaticError,
                       TooDeep, Unstable,
                       _array_eltype, conform, _is_for_loop, _leaf_dtype, _leaf_skels, _lift_values, _same_abstract,
                       _skel_and_leaves, _widen, describe, flatten, has_dyn, pack_carry, skel_equal,
                       unflatten, unpack_carry)

MAX_UNROLL = 512         # iterations of a loop unrolled at compile time
CONSTANT_LOOP_BUDGET = 64   # iterations `loop_constant` runs before leaving it to `loop_while`
FIXPOINT_TRIES = 6


class ControlFlow:
    """Branches and loops (mixed into `staging.Stager`, whose state it uses: `em`, `err`,
    `frames`, `unrolling`, `batch`, `mask`, and its emission helpers)."""

    def exec_from(self, fr: FrameState, bid: int, args: tuple, region: Any,
                  stop: int | None) -> Outcome:
        """Trace from block `bid` until `stop` or an exit of `region`."""
        ir = fr.ir
        while True:
            if bid == stop:
                return Outcome.single(("join", bid), args)
            blk = ir.blocks[bid]
            vals = fr.vals
            for p, v in zip(blk.params, args):
                vals[p] = v
            for inst in blk.insts:
                if inst.span.source is not NO_SOURCE:
                    fr.span = inst.span
                v = self.eval_inst(fr, inst)
                if v is DEAD:
                    return Outcome()
                if inst.res >= 0:
                    vals[inst.res] = v
            t = blk.term
            fr.span = t.span if t.span.source is not NO_SOURCE else fr.span
            if t.op == "ret":
                return Outcome.single(("ret",), (vals[t.args[0]],))
            if t.op == "unreachable":
                return Outcome()
            choice = 0
            if t.op == "condbr":
                c = vals[t.args[0]]
                if isinstance(c, Dyn):
                    return self.branch(fr, bid, c, region, stop)
                if type(c) is not bool:
                    self.fail(f"a condition of type {describe(c)}")
                choice = 0 if c else 1
            tgt = t.targets[choice]
            targs = tuple(vals[x] for x in t.target_args[choice])
            nxt = self.edge(fr, bid, tgt, targs, region, stop)
            if isinstance(nxt, Outcome):
                return nxt
            bid, args = nxt

    def edge(self, fr: FrameState, src: int, tgt: int, targs: tuple, region: Any,
             stop: int | None) -> "tuple[int, tuple] | Outcome":
        """Follow src -> tgt: the next block to trace, or the Outcome of leaving."""
        cfg = fr.cfg
        if region.header is not None and tgt == region.header:
            return Outcome.single(("back",), targs)
        if tgt not in region.blocks:
            carry = {r: fr.vals[r] for r in cfg.carry_out(region.header, tgt)}
            return Outcome.single(("exit", tgt), targs, carry)
        if tgt in cfg.loops and src not in cfg.loops[tgt].blocks:
            out = self.run_loop(fr, tgt, targs)
            return self.after(fr, out, region, stop)
        return tgt, targs

    def after(self, fr: FrameState, out: Outcome, region: Any,
              stop: int | None) -> "tuple[int, tuple] | Outcome":
        """Continue from the exits of an inner loop."""
        if out.dead:
            return out
        if len(out.paths) == 1:
            (key, (args, carry)), = out.paths.items()
            return self.resume(fr, key, args, carry, region)
        targets = []
        for key in out.paths:
            b = key[1] if key[0] == "exit" else EXIT
            targets.append(EXIT if b == EXIT or region.is_exit(-1, b) else b)
        j = region.common_pdom(targets)
        # registers of the loop that every exit hands out live on after the join: they
        # are merged there like block arguments
        common = set.intersection(*(set(c) for _, c in out.paths.values()))
        sides = [self._side_resume(fr, key, args, carry, region, None if j == EXIT else j,
                                   common)
                 for key, (args, carry) in out.paths.items()]
        res = self.fork(out.sel, sides)
        if j != EXIT and not res.dead:
            (key, (args, carry)), = res.paths.items()
            fr.vals.update(carry)
            return j, args
        return res

    def _side_resume(self, fr, key, args, carry, region, stop, common):
        def side() -> Outcome:
            nxt = self.resume(fr, key, args, carry, region)
            if isinstance(nxt, Outcome):
                return nxt
            out = self.exec_from(fr, nxt[0], nxt[1], region, stop)
            if stop is not None and ("join", stop) in out.paths:
                a, _ = out.paths[("join", stop)]
                out.paths[("join", stop)] = (a, {r: fr.vals[r] for r in common})
            return out
        return side

    def resume(self, fr: FrameState, key: tuple, args: tuple, carry: dict,
               region: Any) -> "tuple[int, tuple] | Outcome":
        fr.vals.update(carry)
        if key[0] == "ret":
            return Outcome.single(key, args)
        b = key[1]
        if region.header is not None and b == region.header:
            return Outcome.single(("back",), args)
        if b not in region.blocks:
            # leaving this loop too: hand out its own registers as well
            outer = {r: fr.vals[r] for r in fr.cfg.carry_out(region.header, b)}
            return Outcome.single(("exit", b), args, {**outer, **carry})
        return b, args

    def branch(self, fr: FrameState, bid: int, c: Dyn, region: Any,
               stop: int | None) -> Outcome:
        """A condbr on run-time data: an `if` whose sides meet at the post-dominator."""
        if c.shape:
            if self.batch is None:
                self.fail("a condition that is an array")
            return self.branch_select(fr, bid, c, region, stop)
        t = fr.ir.blocks[bid].term
        j = region.ipdom(bid)
        if region.header is not None and (id(fr), region.header) in self.unrolling and j == EXIT:
            if c.origins and _is_for_loop(fr.ir, region.header):
                raise NeedConst("the trip count of an unrolled loop", c.origins, t.span)
            raise Unstable("a loop that cannot keep one type per variable exits on run-time "
                           "data", t.span)
        inner = None if j == EXIT else j
        # a test of a run-time union's flag (`x === nothing`) refines x on each side
        unions = [(r, v) for r, v in fr.vals.items() if isinstance(v, Maybe) and v.flag is c]
        sides = []
        for k in (0, 1):
            tgt = t.targets[k]
            targs = tuple(fr.vals[x] for x in t.target_args[k])
            side = self._side_edge(fr, bid, tgt, targs, region, inner)
            if unions:
                side = self._refined(fr, unions, k == 0, side)
            sides.append(side)
        out = self.fork(c, sides)
        if inner is not None and not out.dead:
            (key, (args, _)), = out.paths.items()
            return self.exec_from(fr, inner, args, region, stop)
        return out

    def _refined(self, fr: FrameState, unions: list, is_nothing: bool,
                 side: Callable[[], Outcome]) -> Callable[[], Outcome]:
        def traced() -> Outcome:
            for r, m in unions:
                fr.vals[r] = None if is_nothing else m.value
            try:
                return side()
            finally:
                for r, m in unions:
                    fr.vals[r] = m
        return traced

    def branch_select(self, fr: FrameState, bid: int, c: Dyn, region: Any,
                      stop: int | None) -> Outcome:
        """A branch on elements inside an elementwise map: both sides run on every
        element, under a mask for their run-time checks, and `select` joins them."""
        t = fr.ir.blocks[bid].term
        j = region.ipdom(bid)
        inner = None if j == EXIT else j
        mask0 = self.mask
        notc = self.op("stablehlo.not", [c], c.arr_type, np.bool_, c.shape)
        outs = []
        try:
            for k, m in ((0, c), (1, notc)):
                self.mask = m if mask0 is None else \
                    self.logical("and", self.dyn(mask0, None, m.shape), m)
                targs = tuple(fr.vals[x] for x in t.target_args[k])
                outs.append(self._side_edge(fr, bid, t.targets[k], targs, region, inner)())
        finally:
            self.mask = mask0
        live = [o for o in outs if not o.dead]
        if not live:
            return Outcome()
        if len(live) == 1:
            out = live[0]
        else:
            if len(outs[0].paths) != 1 or list(outs[0].paths) != list(outs[1].paths):
                self.fail("control flow that differs between the elements of a broadcast")
            (key, (a0, _)), = outs[0].paths.items()
            (_, (a1, _)), = outs[1].paths.items()
            out = Outcome.single(key, self.select_values(c, a0, a1))
        if inner is not None:
            (key, (args, _)), = out.paths.items()
            return self.exec_from(fr, inner, args, region, stop)
        return out

    def select_values(self, c: Dyn, a: Any, b: Any) -> Any:
        """Leafwise `c ? a : b` of two values of one type."""
        la: list = []
        lb: list = []
        sa, sb = flatten(a, la), flatten(b, lb)
        if not skel_equal(sa, sb):
            raise Unstable(f"a value is {describe(a)} for some elements and {describe(b)} "
                           f"for others", self.span)
        out = []
        for x, y in zip(la, lb):
            if not isinstance(x, (Dyn, np.ndarray)) and not isinstance(y, (Dyn, np.ndarray)) \
                    and _same_const(x, y):
                out.append(x)
            else:
                out.append(self.select(c, x, y))
        return unflatten(sa, iter(out))

    def _side_edge(self, fr, src, tgt, targs, region, stop):
        def side() -> Outcome:
            if tgt == stop:
                return Outcome.single(("join", tgt), targs)
            nxt = self.edge(fr, src, tgt, targs, region, stop)
            if isinstance(nxt, Outcome):
                return nxt
            return self.exec_from(fr, nxt[0], nxt[1], region, stop)
        return side

    def fork(self, pred: Dyn, sides: list[Callable[[], Outcome]]) -> Outcome:
        """Trace each side into its own region and join them in one `stablehlo.if` (two
        sides, `pred` a Bool) or `stablehlo.case` (`pred` an index)."""
        traced = []
        err0 = self.err
        for side in sides:
            self.err = err0
            with self.em.region() as lines:
                out = self.side_or_deopt(side)
            traced.append((out, self.err, lines))
        self.err = err0
        keys: list[tuple] = []
        for out, _, _ in traced:
            for k in out.paths:
                if k not in keys:
                    keys.append(k)
        # what each side hands out: [selector], one payload per key, its error state
        per_side = []
        for out, err, lines in traced:
            with self.em.reenter(lines):
                vals: list = []
                if len(keys) > 1:
                    vals.append(self._side_selector(out, keys))
                for k in keys:
                    if k in out.paths:
                        a, carry = out.paths[k]
                        vals.append((a, pack_carry(carry)))
                    elif k in self.defaults and not out.dead:
                        a, carry = self.defaults[k]
                        vals.append((a, pack_carry(carry)))
                    else:
                        vals.append(None)
                vals.append(err)
            per_side.append(vals)
        self._join_tapes(per_side, [lines for _, _, lines in traced])
        merged = self._merge(per_side, [lines for _, _, lines in traced], pred, keys)
        self.err = merged[-1]
        result = Outcome()
        if all(out.dead for out, _, _ in traced):
            return result
        i = 0
        if len(keys) > 1:
            result.sel = merged[0]
            i = 1
        for k in keys:
            a, carry = merged[i]
            result.paths[k] = (a, unpack_carry(carry))
            i += 1
        return result

    def side_or_deopt(self, side: Callable[[], Outcome]) -> Outcome:
        """Trace one side of a run-time branch.  A side that needs the interpreter
        (building a string for an error message, printing) becomes a *deoptimization*:
        if it is taken at run time, the call runs again in the interpreter (compiled
        code has no side effects, so nothing is done twice)."""
        saved = (len(self.frames), dict(self.frames[-1].vals) if self.frames else None,
                 self.batch, self.mask)
        try:
            return side()
        except (Unstable, NeedConst, TooDeep):
            raise
        except NotCompilable as e:
            if self.batch is not None or saved[2] is not None:
                raise
            del self.frames[saved[0]:]
            if saved[1] is not None:
                self.frames[-1].vals.clear()
                self.frames[-1].vals.update(saved[1])
            reason = e.reason
            self.raise_now(lambda details: Deopt(reason))
            return Outcome()

    def _join_tapes(self, per_side: list[list], regions: list) -> None:
        """Tapes of compiled differentiation (ad_staging.Tape) that differ between the
        sides are spilled, each in its own side, to buffers that hold every side's
        records: then they have one type and merge like any value."""
        found: dict[tuple, dict[int, Any]] = {}
        for s, vals in enumerate(per_side):
            for path, t in _tapes_in(vals, ()):
                found.setdefault(path, {})[s] = t
        for path, by_side in found.items():
            tapes = list(by_side.values())
            first = flatten(tapes[0], [])
            if len(tapes) < 2 or all(skel_equal(flatten(t, []), first) for t in tapes[1:]):
                continue
            cap, kinds = type(tapes[0]).joined(tapes)
            saved = self.err
            for s, t in by_side.items():
                with self.em.reenter(regions[s]):
                    self.err = per_side[s][-1]          # a spill may set the error state
                    per_side[s] = _replace_at(per_side[s], path, t.spill(cap, kinds))
                    per_side[s][-1] = self.err
            self.err = saved

    def _side_selector(self, out: Outcome, keys: list) -> Any:
        """This side's destination as an index into `keys`."""
        if out.dead:
            return 0
        own = list(out.paths)
        if len(own) == 1:
            return keys.index(own[0])
        if all(keys.index(k) == j for j, k in enumerate(own)):
            return out.sel
        return self._remap(out.sel, own, keys)

    def _adjoints(self) -> bool:
        """Whether the code being staged is a backward pass (its values are adjoints)."""
        return bool(self.frames) and getattr(self.frames[-1].ir, "walks_tape", False)

    def _merge(self, per_side: list[list], regions: list[list[str]], pred: Dyn,
               keys: list) -> list:
        """Join the values the sides hand out (None: this side does not go there).  The
        skeletons must agree (else a type instability); leaves that are the same constant
        everywhere stay constants, the others become results of the if/case."""
        n = len(per_side[0])
        skels: list[Any] = [None] * n
        side_leaves: list[list] = [[None] * n for _ in per_side]
        for i in range(n):
            sides = [s for s in range(len(per_side)) if per_side[s][i] is not None]
            lifted = _lift_values([per_side[s][i] for s in sides], self._adjoints())
            for s, v in zip(sides, lifted):
                leaves: list = []
                sk = flatten(v, leaves)
                if skels[i] is None:
                    skels[i] = sk
                elif not skel_equal(skels[i], sk):
                    self._instability([vals[i] for vals in per_side], i, keys)
                side_leaves[s][i] = leaves
        out_types: list[str] = []
        decisions: list[list] = []
        for i in range(n):
            present = [side_leaves[s][i] for s in range(len(per_side))
                       if side_leaves[s][i] is not None]
            dec: list = []
            for j in range(len(present[0]) if present else 0):
                vs = [p[j] for p in present]
                if all(not isinstance(v, (Dyn, np.ndarray)) and _same_const(v, vs[0])
                       for v in vs):
                    dec.append(("const", vs[0]))
                    continue
                dt = _leaf_dtype(vs[0])
                shape = max((v.shape if isinstance(v, (Dyn, np.ndarray)) else () for v in vs),
                            key=len)
                # an integer picked by the branch depends on what the branch tested
                # (NeedConst follows it back to the arguments it came from)
                origins = frozenset(pred.origins) if not shape and dt.kind in "iub" else \
                    frozenset()
                if origins or (not shape and dt.kind in "iub"):
                    for v in vs:
                        if isinstance(v, Dyn):
                            origins |= v.origins
                dec.append(("dyn", dt, shape, origins))
                out_types.append(hlo.tensor(dt, shape))
            decisions.append(dec)
        for s, lines in enumerate(regions):
            with self.em.reenter(lines):
                rets = []
                for i in range(n):
                    leaves = side_leaves[s][i]
                    for j, dec in enumerate(decisions[i]):
                        if dec[0] == "dyn":
                            d = self.const(0, dec[1], dec[2]) if leaves is None else \
                                self.dyn(leaves[j], dec[1], dec[2])
                            rets.append((d.name, d.htype))
                self.em.ret(rets)
        if pred.dtype == np.bool_:
            opname, operand = "stablehlo.if", pred
        else:
            opname, operand = "stablehlo.case", self.convert(pred, np.int32)
        names = self.em.op(opname, [(operand.name, operand.htype)], out_types, "", regions)
        it = iter(names)
        results = []
        for i in range(n):
            if skels[i] is None:
                results.append(None)
                continue
            leaf_skels: list = []
            _leaf_skels(skels[i], leaf_skels)
            leaves = []
            for dec, ls in zip(decisions[i], leaf_skels):
                if dec[0] == "const":
                    leaves.append(dec[1])
                else:
                    leaves.append(Dyn(next(it), ls.arr_type, dec[1], dec[2], dec[3]))
            results.append(unflatten(skels[i], iter(leaves)))
        return results

    def _instability(self, versions: list, i: int, keys: list) -> None:
        """Raise Unstable naming the variable whose type differs between the sides, both
        types, and the lines where the two values come from."""
        names: list = []
        block = None
        fr = self.frames[-1] if self.frames else None
        pos = i - (1 if len(keys) > 1 else 0)
        if fr is not None and 0 <= pos < len(keys) and keys[pos][0] in ("join", "exit"):
            block = keys[pos][1]
            names = [fr.ir.names.get(p) for p in fr.ir.blocks[block].params]
        vs = [v for v in versions if v is not None]
        found = []
        if len(vs) >= 2 and all(isinstance(v, tuple) and len(v) == 2 for v in vs[:2]):
            for k, (x, y) in enumerate(zip(vs[0][0], vs[1][0])):
                if x is None or y is None or isinstance(x, Maybe) or isinstance(y, Maybe):
                    continue                  # `nothing` or a value: a run-time union
                if not skel_equal(flatten(x, []), flatten(y, [])):
                    found.append((k, x, y))
        if not found:
            raise Unstable("a value has different types on the two sides of a branch",
                           self.span)
        k, x, y = next((f for f in found if f[0] < len(names) and names[f[0]]), found[0])
        nm = names[k] if k < len(names) and names[k] else None
        what = f"variable `{nm}`" if nm else "a value"
        if describe(x) == describe(y):
            # same type, different constants (strings, functions): the interpreter's
            # job, but not a type instability
            raise Unstable(f"{what} is a {describe(x)} chosen at run time", self.span,
                           quiet=True)
        spans = self._incoming_spans(fr, block, k) if fr is not None and block is not None \
            else []
        if len(spans) >= 2:
            raise Unstable(f"{what} is {describe(x)} (line {spans[0].line}) or "
                           f"{describe(y)} (line {spans[1].line}) depending on run-time data",
                           spans[1])
        raise Unstable(f"{what} is {describe(x)} on one path and {describe(y)} on another",
                       self.span)

    def _incoming_spans(self, fr: FrameState, block: int, k: int) -> list:
        """Where the k-th argument of `block` is defined, per incoming edge."""
        spans = []
        for b in fr.cfg.preds.get(block, []):
            t = fr.ir.blocks[b].term
            for tgt, targs in zip(t.targets, t.target_args):
                if tgt == block and k < len(targs):
                    sp = self._def_span(fr, targs[k])
                    if sp is not None:
                        spans.append(sp)
        return spans

    def run_loop(self, fr: FrameState, h: int, entry: tuple) -> Outcome:
        saved = self.defaults
        self.defaults = {}          # the enclosing loop's defaults are not this loop's
        try:
            return self._run_loop(fr, h, entry)
        finally:
            self.defaults = saved

    def _run_loop(self, fr: FrameState, h: int, entry: tuple) -> Outcome:
        region = fr.cfg.region(h)
        if not any(s == EXIT for b in region.blocks for s in region.succs[b]
                   if any(t != h for t in fr.cfg.succs[b]) or not fr.cfg.succs[b]):
            # only an error can end it: leave it to the interpreter, which Ctrl-C stops
            self.fail("a loop that never ends")
        first: Exception | None = None
        if fr.ir.walks_tape:
            return self.loop_tape_walk(fr, h, entry, region)
        else:
            if not has_dyn(entry):
                out = self.loop_constant(fr, h, entry, region)
                if out is not None:
                    return out
            try:
                return self.loop_while(fr, h, entry, region)
            except (Unstable, NeedConst) as e:
                if isinstance(e, NeedConst) and e.origins:
                    raise
                first = e
        key = (id(fr), h)
        self.unrolling.add(key)
        try:
            return self.loop_unrolled(fr, h, entry, region)
        except NeedConst as e:
            if e.origins or first is None:
                raise
            raise first
        except Unstable:
            if first is None:
                raise
            raise first
        finally:
            self.unrolling.discard(key)

    def loop_tape_walk(self, fr: FrameState, h: int, entry: tuple, region: Any) -> Outcome:
        """A backward pass's walk over its tape (ad.py, ad_staging.Tape): one iteration per
        record while the records are known at compile time (unrolled), then a while loop
        over the records in the tape's buffers."""
        key = (id(fr), h)
        self.unrolling.add(key)
        try:
            return self.loop_unrolled(fr, h, entry, region, until=_buffered_tape_in)
        finally:
            self.unrolling.discard(key)

    def loop_unrolled(self, fr: FrameState, h: int, entry: tuple, region: Any,
                      until: Callable[[tuple], bool] | None = None) -> Outcome:
        """The loop run at compile time, one iteration after another; from the iteration
        whose values satisfy `until`, a `stablehlo.while` (a tape walk's buffers)."""
        args = entry
        for _ in range(MAX_UNROLL):
            if until is not None and until(args):
                self.unrolling.discard((id(fr), h))
                return self.loop_while(fr, h, args, region)
            out = self.exec_from(fr, h, args, region, None)
            if list(out.paths) == [("back",)]:
                args = out.paths[("back",)][0]
                continue
            if ("back",) in out.paths:
                raise Unstable("a loop exits on run-time data", self.span)
            return out
        self.fail(f"a loop that changes types runs more than {MAX_UNROLL} times")
        raise AssertionError

    def loop_constant(self, fr: FrameState, h: int, entry: tuple, region: Any) -> Outcome | None:
        """A loop entered with compile-time constants only (the shape scan in `broadcast`,
        `ntuple`'s growing tuple): run it at compile time, iteration by iteration, as long
        as that is what `run_loop` would end up doing anyway, i.e. while every iteration
        hands constants, or values of new types, to the next.  None (and nothing emitted)
        when the loop turns out to be a `stablehlo.while` after all: it carries run-time
        values of unchanged types, exits on run-time data, or runs too long."""
        key = (id(fr), h)
        self.unrolling.add(key)
        saved = self._trace_state(fr)
        try:
            with self.em.region() as lines:
                args = entry
                for _ in range(CONSTANT_LOOP_BUDGET):
                    out = self.exec_from(fr, h, args, region, None)
                    back = out.paths.get(("back",))
                    if back is None:
                        break
                    if len(out.paths) > 1 or (has_dyn(back[0]) and _same_types(args, back[0])):
                        out = None
                        break
                    args = back[0]
                else:
                    out = None
        except (Unstable, NeedConst, StaticError):
            out = None
        finally:
            self.unrolling.discard(key)
        if out is None:
            self._restore_trace_state(fr, saved)
            return None
        self.em.lines.extend(lines)
        return out

    @contextmanager
    def scratch(self, fr: FrameState) -> Iterator[None]:
        saved = self._trace_state(fr)
        with self.em.region():
            try:
                yield
            finally:
                self._restore_trace_state(fr, saved)

    def _trace_state(self, fr: FrameState) -> tuple:
        """What tracing a region changes, to undo it (`scratch`, `loop_constant`)."""
        return dict(fr.vals), self.err, len(self.errors)

    def _restore_trace_state(self, fr: FrameState, saved: tuple) -> None:
        fr.vals.clear()
        fr.vals.update(saved[0])
        self.err = saved[1]
        del self.errors[saved[2]:]

    def loop_while(self, fr: FrameState, h: int, entry: tuple, region: Any) -> Outcome:
        state = list(entry) + [self.err]
        names = [fr.ir.names.get(p) for p in fr.ir.blocks[h].params]
        abstract = [_skel_and_leaves(v) for v in state]
        out = None
        # a backward pass carries one adjoint per register: becoming run-time unions
        # (`nothing` or a number) can take them a few rounds each
        for _ in range(FIXPOINT_TRIES * (4 if fr.ir.walks_tape else 1)):
            with self.scratch(fr):
                holders = [self._placeholders(sk, decs) for sk, decs in abstract]
                self.err = holders[-1]
                out = self.exec_from(fr, h, tuple(holders[:-1]), region, None)
                back = out.paths.get(("back",))
                back_state = list(back[0]) + [self.err] if back else None
                if back_state is not None and any(_is_tape(v) for v in back_state[:-1]):
                    # a tape carried in buffers may overflow at any iteration (TapeFull):
                    # the error state is a run-time value of the loop
                    back_state[-1] = tuple(
                        x if isinstance(x, Dyn) else
                        Dyn(self.em.fresh("p"), T.BUILTIN_TYPES["Int64"], np.int64, ())
                        for x in back_state[-1])
                exits = [(k, p) for k, p in out.paths.items() if k != ("back",)]
                exit_skels = {}
                for k, (a, carry) in exits:
                    exit_skels[k] = flatten((a, pack_carry(carry)), [])
            if back is None:
                # never loops back with these values: run the body once, unrolled
                return self.exec_from(fr, h, entry, region, None)
            # a tape of compiled differentiation that gained records: carried as buffers
            # that hold the records of every iteration
            lifted = False
            for k, ((sk, decs), v) in enumerate(zip(abstract, back_state)):
                if _is_tape(v):
                    before = self._placeholders(sk, decs)
                    target = type(v).joined([before, v], newest_wins=True)
                    if not (isinstance(before, type(v)) and before.holds(*target)):
                        abstract[k] = _skel_and_leaves(v.abstract(*target))
                        lifted = True
                    back_state[k] = v.abstract(*target)
            # `nothing` on entry and a value after an iteration (or the reverse): the
            # variable is a run-time union; lift the entry and trace again
            for k, ((sk, decs), v) in enumerate(zip(abstract, back_state)):
                a, b = _lift_values([self._placeholders(sk, decs), v], fr.ir.walks_tape)
                if not skel_equal(flatten(a, []), sk):
                    abstract[k] = _skel_and_leaves(a)
                    lifted = True
                back_state[k] = b
            if lifted:
                continue
            new = []
            for k, ((sk, decs), v, nm) in enumerate(zip(abstract, back_state,
                                                         names + ["(error state)"])):
                try:
                    new.append(_widen(sk, decs, v, nm, self.span))
                except Unstable as e:
                    raise self._loop_instability(fr, h, k, nm, state[k], v) or e
            if all(_same_abstract(a, b) for a, b in zip(abstract, new)):
                break
            abstract = new
        else:
            raise Unstable("a loop whose variables keep changing", self.span)
        if not exits:
            # only an error can end it: leave it to the interpreter, which Ctrl-C stops
            self.fail("a loop that never ends")
        # exit values that are the iteration's state as it started (a tape's buffers,
        # handed out with a record more) need no slots of their own: carrying an array
        # twice makes XLA copy it every iteration
        state_leaves: list = []
        for v, (sk, decs) in zip(holders, abstract):
            ls: list = []
            flatten(v, ls)
            state_leaves.extend(x for x, dec in zip(ls, decs) if dec[0] == "dyn")
        where = {id(x): i for i, x in enumerate(state_leaves)}
        alias = {}
        for k, (a, carry) in exits:
            ls = []
            flatten((a, pack_carry(carry)), ls)
            alias[k] = [where.get(id(x)) if isinstance(x, Dyn) else None for x in ls]
        return self._emit_while(fr, h, entry, region, abstract, exits, exit_skels, alias)

    def _loop_instability(self, fr: FrameState, h: int, k: int, name: str | None,
                          before: Any, after: Any) -> "Unstable | None":
        """Name the variable, its type before the loop and after an iteration, and the lines
        where each was assigned (section 6)."""
        if name is None or k >= len(fr.ir.blocks[h].params):
            return None
        body = fr.cfg.loops[h].blocks
        lines = {}
        for b in fr.cfg.preds.get(h, []):
            t = fr.ir.blocks[b].term
            for tgt, targs in zip(t.targets, t.target_args):
                if tgt == h and k < len(targs):
                    span = self._def_span(fr, targs[k]) or t.span
                    lines["after" if b in body else "before"] = span
        if describe(before) == describe(after):
            return None
        b, a = lines.get("before"), lines.get("after")
        where = (f" (line {b.line})" if b is not None else "", f" (line {a.line})" if a is not None else "")
        return Unstable(f"variable `{name}` changes type in a loop: {describe(before)}{where[0]} "
                        f"and {describe(after)}{where[1]}", a or self.span)

    def _def_span(self, fr: FrameState, reg: int) -> Span | None:
        bid = fr.cfg.def_block.get(reg)
        if bid is None:
            return None
        for inst in fr.ir.blocks[bid].insts:
            if inst.res == reg and inst.span is not NO_SPAN:
                return inst.span
        return None

    def _placeholders(self, skel: Any, decs: list) -> Any:
        leaves = []
        for dec in decs:
            if dec[0] == "const":
                leaves.append(dec[1])
            else:
                leaves.append(Dyn(self.em.fresh("p"), dec[3], dec[1], dec[2]))
        return unflatten(skel, iter(leaves))

    def _header_exits(self, fr: FrameState, h: int, keys: list) -> dict:
        """Exits taken only from the header, whose values are all header parameters,
        values from before the loop, or values the header computes from them (the tape of
        compiled differentiation with the header's record pushed): they need no slots of
        their own in the loop state (carrying an array twice would make XLA copy it every
        iteration); the header is run once more on the final state.  Maps each such key
        to its (argument registers, carried registers)."""
        out = {}
        body = fr.cfg.loops[h].blocks
        params = fr.ir.blocks[h].params
        for k in keys:
            if k[0] != "exit":
                continue
            b = k[1]
            if [p for p in fr.cfg.preds.get(b, []) if p in body] != [h]:
                continue
            t = fr.ir.blocks[h].term
            targs = next(ta for tg, ta in zip(t.targets, t.target_args) if tg == b)
            carried = fr.cfg.carry_out(h, b)
            if all(r in params or fr.cfg.def_block.get(r) == h or
                   fr.cfg.def_block.get(r) not in body for r in list(targs) + carried):
                out[k] = (tuple(targs), carried)
        return out

    def _emit_while(self, fr, h, entry, region, abstract, exits, exit_skels, alias) -> Outcome:
        from_header = self._header_exits(fr, h, [k for k, _ in exits])
        all_exit_keys = [k for k, _ in exits]
        exit_keys = [k for k in all_exit_keys if k not in from_header]
        # the loop state: selector, the header's run-time leaves, each exit's leaves
        state_types: list[tuple[np.dtype, tuple, Any]] = [(np.dtype(np.int64), (), T.BUILTIN_TYPES["Int64"])]
        for sk, decs in abstract:
            for dec in decs:
                if dec[0] == "dyn":
                    state_types.append((dec[1], dec[2], dec[3]))
        exit_leaf_types: dict[tuple, list] = {}
        for k in exit_keys:
            ls: list = []
            _leaf_skels(exit_skels[k], ls)
            exit_leaf_types[k] = [(np.dtype(dtype_of(s.arr_type)) if s.shape is None else
                                   np.dtype(dtype_of(_array_eltype(s.arr_type))),
                                   () if s.shape is None else s.shape, s.arr_type) for s in ls]
            state_types.extend(t for t, a in zip(exit_leaf_types[k], alias[k]) if a is None)
        htypes = [hlo.tensor(dt, sh) for dt, sh, _ in state_types]
        # initial values
        init = [self.const(0, np.int64)]
        entry = tuple(conform(v, sk) for (sk, _), v in zip(abstract, entry))  # (may check)
        for (sk, decs), v in zip(abstract, list(entry) + [self.err]):
            v = conform(v, sk)
            leaves: list = []
            flatten(v, leaves)
            for dec, leaf in zip(decs, leaves):
                if dec[0] == "dyn":
                    init.append(self.dyn(leaf, dec[1], dec[2]))
        for k in exit_keys:
            for (dt, sh, _), a in zip(exit_leaf_types[k], alias[k]):
                if a is None:
                    init.append(self.const(0, dt, sh))
        # condition: selector == 0 (still looping) and no error
        with self.em.region() as cond:
            params = [(self.em.fresh("c"), t) for t in htypes]
            self.em.block_header(params)
            sel = Dyn(params[0][0], T.BUILTIN_TYPES["Int64"], np.int64, ())
            go = self.compare(sel, self.const(0, np.int64), "EQ")
            err_pos = 1 + sum(1 for sk, decs in abstract[:-1] for d in decs if d[0] == "dyn")
            err_code_dec = abstract[-1][1][0]
            if err_code_dec[0] == "dyn":
                e = Dyn(params[err_pos][0], T.BUILTIN_TYPES["Int64"], np.int64, ())
                ok = self.compare(e, self.const(0, np.int64), "EQ")
                go = self.logical("and", go, ok)
            self.em.ret([(go.name, go.htype)])
        # body
        saved_vals = dict(fr.vals)
        with self.em.region() as body:
            params = [(self.em.fresh("s"), t) for t in htypes]
            self.em.block_header(params)
            it = iter(params[1:])
            state = []
            state_dyn: list = []
            for sk, decs in abstract:
                leaves = []
                for dec in decs:
                    if dec[0] == "const":
                        leaves.append(dec[1])
                    else:
                        leaves.append(Dyn(next(it)[0], dec[3], dec[1], dec[2]))
                        state_dyn.append(leaves[-1])
                state.append(unflatten(sk, iter(leaves)))
            old_exit_leaves = {k: [Dyn(next(it)[0], at, dt, sh)
                                   for (dt, sh, at), a in zip(exit_leaf_types[k], alias[k])
                                   if a is None] for k in exit_keys}
            self.err = state[-1]
            saved_defaults = self.defaults
            # a path that leaves the loop keeps the state as it was (so the state after
            # the loop is the state of the last iteration's start)
            self.defaults = {**self.defaults, ("back",): (tuple(state[:-1]), {})}
            try:
                out = self.exec_from(fr, h, tuple(state[:-1]), region, None)
            finally:
                self.defaults = saved_defaults
            keys = list(out.paths)
            for k in keys:
                if k != ("back",) and k not in all_exit_keys:
                    raise Unstable("a loop exit found late", self.span)
            # new selector
            order = [("back",)] + all_exit_keys
            if out.dead:
                new_sel: Any = 0
            elif len(keys) == 1:
                new_sel = order.index(keys[0])
            else:
                new_sel = self._remap(out.sel, keys, order)
            rets = [self.dyn(new_sel, np.int64)]
            back = out.paths.get(("back",))
            back_state = list(back[0]) + [self.err] if back else None
            for idx, ((sk, decs), nm) in enumerate(zip(abstract, range(len(abstract)))):
                if back_state is not None:
                    v = back_state[idx]
                    if idx == len(abstract) - 1:
                        v = self.err
                    leaves = []
                    sk2 = flatten(conform(v, sk), leaves)
                    if not skel_equal(sk, sk2):
                        raise Unstable("a loop variable changes type", self.span)
                else:
                    leaves = []
                    flatten(conform(self.err if idx == len(abstract) - 1 else state[idx], sk),
                            leaves)
                for dec, leaf in zip(decs, leaves):
                    if dec[0] == "dyn":
                        rets.append(self.dyn(leaf, dec[1], dec[2]))
            for k in exit_keys:
                if k in out.paths:
                    a, carry = out.paths[k]
                    leaves = []
                    sk2 = flatten((a, pack_carry(carry)), leaves)
                    if not skel_equal(exit_skels[k], sk2):
                        raise Unstable("a value leaving the loop changes type", self.span)
                    for (dt, sh, _), leaf, al in zip(exit_leaf_types[k], leaves, alias[k]):
                        if al is None:
                            rets.append(self.dyn(leaf, dt, sh))
                        elif leaf is not state_dyn[al]:
                            raise Unstable("a loop exit hands out a value found late",
                                           self.span)
                else:
                    rets.extend(old_exit_leaves[k])
            self.em.ret([(r.name, r.htype) for r in rets])
        fr.vals.clear()
        fr.vals.update(saved_vals)
        names = self.em.op("stablehlo.while", [(x.name, x.htype) for x in init], htypes, "",
                           [cond, body])
        it2 = iter(names)
        sel_out = Dyn(next(it2), T.BUILTIN_TYPES["Int64"], np.int64, ())
        final_state = []
        final_dyn: list = []
        for sk, decs in abstract:
            leaves = []
            for dec in decs:
                if dec[0] == "const":
                    leaves.append(dec[1])
                else:
                    leaves.append(Dyn(next(it2), dec[3], dec[1], dec[2]))
                    final_dyn.append(leaves[-1])
            final_state.append(unflatten(sk, iter(leaves)))
        self.err = final_state[-1]
        result = Outcome()
        params = fr.ir.blocks[h].params
        rerun = False
        for k in all_exit_keys:
            if k in from_header:
                targs, carried = from_header[k]
                if not rerun and any(fr.cfg.def_block.get(r) == h and r not in params
                                     for r in list(targs) + carried):
                    # values the header computes: run it again on the final state
                    rerun = True
                    for p, v in zip(params, final_state):
                        fr.vals[p] = v
                    for inst in fr.ir.blocks[h].insts:
                        v = self.eval_inst(fr, inst)
                        if inst.res >= 0:
                            fr.vals[inst.res] = v

                def value(r: int) -> Any:
                    return final_state[params.index(r)] if r in params and not rerun \
                        else fr.vals[r]
                result.paths[k] = (tuple(value(r) for r in targs),
                                   {r: value(r) for r in carried})
                continue
            leaves = [Dyn(next(it2), at, dt, sh) if al is None else final_dyn[al]
                      for (dt, sh, at), al in zip(exit_leaf_types[k], alias[k])]
            a, carry = unflatten(exit_skels[k], iter(leaves))
            result.paths[k] = (a, unpack_carry(carry))
        if len(all_exit_keys) > 1:
            one = self.const(1, np.int64)
            result.sel = self.op("stablehlo.subtract", [sel_out, one], sel_out.arr_type, np.int64, ())
        return result

    def _remap(self, sel: Any, keys: list, order: list) -> Any:
        """The index into `order` of the destination that `sel` picks among `keys`."""
        if all(order.index(k) == j for j, k in enumerate(keys)):
            return sel
        res: Any = order.index(keys[-1])
        for j, k in enumerate(keys[:-1]):
            hit = self.compare(self.dyn(sel, np.int64), self.const(j, np.int64), "EQ")
            res = self.select(hit, order.index(k), res)
        return res


class Deopt(ArrError):
    """Compiled code took a path that needs the interpreter: the JIT runs the call there
    (never shown to the user)."""
    kind = "Deopt"


def _is_tape(v: Any) -> bool:
    """A tape of compiled differentiation (ad_staging.Tape, not imported here)."""
    return hasattr(type(v), "joined")


def _buffered_tape_in(args: tuple) -> bool:
    """Whether a tape walk's values hold a tape whose records are all in its buffers."""
    return any(_is_tape(a) and not a.suffix and a.kinds for a in args)


def _tapes_in(v: Any, path: tuple) -> Iterator[tuple]:
    """(path, tape) for the tapes of compiled differentiation in nested tuples, lists and
    NamedTuples (the values handed out at a join)."""
    if _is_tape(v):
        yield path, v
    elif type(v) in (tuple, list):
        for i, x in enumerate(v):
            yield from _tapes_in(x, path + (i,))
    elif type(v) is NamedTupleValue:
        for i, x in enumerate(v.values):
            yield from _tapes_in(x, path + (i,))


def _replace_at(v: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    i = path[0]
    if type(v) is NamedTupleValue:
        vals = list(v.values)
        vals[i] = _replace_at(vals[i], path[1:], new)
        return NamedTupleValue(v.names, tuple(vals))
    out = list(v)
    out[i] = _replace_at(out[i], path[1:], new)
    return out if type(v) is list else tuple(out)


def _same_types(a: Any, b: Any) -> bool:
    """Whether two loop states have the same structure and leaf types (element type and
    shape), constants or not.  (A differentiated loop's tape gains records each
    iteration: told apart by its length before flattening it.)"""
    if type(a) is tuple and type(b) is tuple:
        return len(a) == len(b) and all(_same_types(x, y) for x, y in zip(a, b))
    if _is_tape(a) and _is_tape(b) and len(a.suffix) != len(b.suffix):
        return False
    return skel_equal(flatten(a, []), flatten(b, []))
