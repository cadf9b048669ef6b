"""Rewrites of an emitted module where XLA's CPU backend would compile it badly.

Both matter most for differentiated loops that staging unrolled (`control.loop_constant`):
the adjoint of a 32-step LSTM ran 3x faster with them, and they are exact.

- `batched_products`: an accumulated sum of matrix products whose inner dimension is
  small, as a weight's adjoint accumulates over the steps of a loop (sum_t dg_t * h_t'),
  becomes one product of the concatenated factors: [dg_1 ... dg_T] * [h_1 ... h_T]'.
  Small products run far below the CPU's peak; one large one runs near it.
- `fences`: XLA's CPU fusion copies a chain of cheap elementwise operations into every
  consumer of its result (`CpuInstructionFusion::IsExpensive` is false for them).  In an
  unrolled recurrence, such as an adjoint carried backwards through the steps, each step
  then recomputes the whole chain behind it: time quadratic in the trip count.  A shared
  value with a long cheap chain behind it is materialised once, through a gather with
  `iota` indices.  That is the identity, and XLA neither removes nor duplicates a gather.
  A transposed matrix on the left of a product is fenced as well: XLA folds the transpose
  into the product, whose CPU kernel then runs 2-3x slower than on the transposed copy.

`rewrite` applies both to the module's text.  The emitter records every operation it
writes (`hlo.Op`); a rewritten value keeps its name, so no use of it changes.
`ARR_HLO_PASSES=0` turns both off (to measure them, or to rule them out).
"""
from __future__ import annotations

import os
import re
from typing import Any, Sequence

# Operations that XLA's CPU backend fuses into their consumers and duplicates freely.
CHEAP = frozenset("stablehlo." + n for n in (
    "add subtract multiply negate maximum minimum select compare clamp and or xor not "
    "abs sign floor ceil round_nearest_even round_nearest_afz convert bitcast_convert "
    "broadcast_in_dim reshape transpose slice dynamic_slice dynamic_update_slice "
    "concatenate pad reverse iota is_finite sine cosine shift_left "
    "shift_right_logical shift_right_arithmetic").split())
FENCE_CHAIN = 8      # a shared value with this many cheap operations behind it is fenced
BATCH_INNER = 64     # products with an inner dimension up to this are batched
MATMUL = ("dot_dimension_numbers = #stablehlo.dot<lhs_contracting_dimensions = [1], "
          "rhs_contracting_dimensions = [0]>")
_TENSOR = re.compile(r"tensor<((?:\d+x)*)(\w+)>")


def shape_of(htype: str) -> tuple[tuple[int, ...], str] | None:
    m = _TENSOR.fullmatch(htype)
    if m is None:
        return None
    return tuple(int(d) for d in m.group(1).split("x") if d), m.group(2)


def rewrite(body: str, ops: Sequence[Any]) -> str:
    """`body` (the lines of a function) with the rewrites above applied."""
    if os.environ.get("ARR_HLO_PASSES") == "0":
        return body
    users: dict[str, int] = {}
    user: dict[str, Any] = {}
    for op in ops:
        for v in set(op.operands):
            users[v] = users.get(v, 0) + 1
            user[v] = op
    plans = batched_products(ops, users, user)
    fenced = fences(ops, users, plans)
    if not plans and not fenced:
        return body
    out: list[str] = []
    for line in body.split("\n"):
        text = line.lstrip()
        name = text.split(" = ", 1)[0] if text.startswith("%") else ""
        if name not in plans and name not in fenced:
            out.append(line)
            continue
        pad = line[:len(line) - len(text)]
        new = plans.get(name, [text])
        if name in fenced:
            raw = f"%r{name[1:]}"
            new = new[:-1] + [raw + new[-1][len(name):]] + _fence(name, raw, fenced[name])
        out.extend(pad + t for t in new)
    return "\n".join(out)


def batched_products(ops: Sequence[Any], users: dict[str, int],
                     user: dict[str, Any]) -> dict[str, list[str]]:
    """For each sum of products to batch, the lines that define it anew (the last one
    under its name)."""
    made = {op.res: op for op in ops if op.res is not None}

    def inner(op: Any) -> bool:       # an add whose only user is an add of the same sum
        u = user.get(op.res)
        return (users.get(op.res) == 1 and u is not None and u.name == "stablehlo.add"
                and u.rtype == op.rtype)

    plans: dict[str, list[str]] = {}
    for root in ops:
        if root.name != "stablehlo.add" or root.res is None or inner(root):
            continue
        leaves: list[str] = []
        stack = list(reversed(root.operands))
        while stack:
            v = stack.pop()
            op = made.get(v)
            if op is not None and op.name == "stablehlo.add" and op.rtype == root.rtype \
                    and users.get(v) == 1:
                stack.extend(reversed(op.operands))
            else:
                leaves.append(v)
        groups: dict[tuple, list[Any]] = {}
        for v in leaves:
            op = made.get(v)
            if op is None or op.name != "stablehlo.dot_general" or users.get(v) != 1 \
                    or op.attrs != MATMUL:
                continue
            a, b = shape_of(op.types[0]), shape_of(op.types[1])
            if a is None or b is None or len(a[0]) != 2 or len(b[0]) != 2 \
                    or a[0][1] > BATCH_INNER:
                continue
            groups.setdefault((a[0][0], b[0][1], a[1]), []).append(op)
        groups = {k: g for k, g in groups.items() if len(g) > 1}
        if not groups:
            continue
        lines: list[str] = []
        terms = [v for v in leaves
                 if not any(made.get(v) in g for g in groups.values())]
        base = f"%b{root.res[1:]}"
        for gi, ((m, n, elem), group) in enumerate(groups.items()):
            k = sum(shape_of(op.types[0])[0][1] for op in group)
            lhs, rhs = f"{base}_{gi}l", f"{base}_{gi}r"
            lt, rt = f"tensor<{m}x{k}x{elem}>", f"tensor<{k}x{n}x{elem}>"
            lines.append(_concat(lhs, [(op.operands[0], op.types[0]) for op in group], 1, lt))
            lines.append(_concat(rhs, [(op.operands[1], op.types[1]) for op in group], 0, rt))
            lines.append(f'{base}_{gi}p = "stablehlo.dot_general"({lhs}, {rhs}) {{{MATMUL}}} : '
                         f"({lt}, {rt}) -> {root.rtype}")
            terms.append(f"{base}_{gi}p")
        acc = terms[0]
        for i, t in enumerate(terms[1:]):
            res = root.res if i == len(terms) - 2 else f"{base}_s{i}"
            lines.append(f'{res} = "stablehlo.add"({acc}, {t}) : '
                         f"({root.rtype}, {root.rtype}) -> {root.rtype}")
            acc = res
        if acc != root.res:                  # one product and nothing else: name it
            lines[-1] = root.res + lines[-1][len(acc):]
        plans[root.res] = lines
    return plans


def fences(ops: Sequence[Any], users: dict[str, int],
           replaced: dict[str, list[str]]) -> dict[str, str]:
    """The values to materialise, each with its type: arrays used by two operations or
    more with at least `FENCE_CHAIN` cheap operations behind them, and transposed
    matrices on the left of a product."""
    chain: dict[str, int] = {}
    made_by: dict[str, Any] = {}
    out: dict[str, str] = {}
    for op in ops:
        if op.name == "stablehlo.dot_general":
            lhs = made_by.get(op.operands[0])
            if lhs is not None and lhs.name == "stablehlo.transpose":
                out[lhs.res] = lhs.rtype
        if op.res is None:
            continue
        made_by[op.res] = op
        if op.name not in CHEAP or op.res in replaced:
            continue
        n = 1 + sum(chain.get(v, 0) for v in op.operands)
        shape = shape_of(op.rtype)
        if n >= FENCE_CHAIN and users.get(op.res, 0) >= 2 and shape is not None \
                and shape[0] and all(shape[0]):
            out[op.res] = op.rtype
            n = 0
        chain[op.res] = min(n, FENCE_CHAIN)
    return out


def _concat(res: str, parts: list[tuple[str, str]], dim: int, rtype: str) -> str:
    names = ", ".join(v for v, _ in parts)
    types = ", ".join(t for _, t in parts)
    return f'{res} = "stablehlo.concatenate"({names}) {{dimension = {dim} : i64}} : ({types}) -> {rtype}'


def _fence(name: str, raw: str, htype: str) -> list[str]:
    """`name` defined as the gather of `raw` at indices 0, 1, ... along its first axis."""
    shape, _ = shape_of(htype)
    idx, itype = f"%i{name[1:]}", f"tensor<{shape[0]}x1xi64>"
    offsets = ", ".join(str(i) for i in range(1, len(shape)))
    sizes = "array<i64: " + ", ".join(str(d) for d in (1,) + shape[1:]) + ">"
    return [f'{idx} = "stablehlo.iota"() {{iota_dimension = 0 : i64}} : () -> {itype}',
            f'{name} = "stablehlo.gather"({raw}, {idx}) {{dimension_numbers = '
            f"#stablehlo.gather<offset_dims = [{offsets}], collapsed_slice_dims = [0], "
            f"start_index_map = [0], index_vector_dim = 1>, slice_sizes = {sizes}}} : "
            f"({htype}, {itype}) -> {htype}"]
