"""Deterministic text form of the IR (what `@code_ir` shows and golden tests hold)."""
from __future__ import annotations

from .ir import Inst, IRFunction, Terminator


def _attr_text(inst: Inst) -> str:
    a = inst.attr
    if inst.op == "const":
        from .display import repr_string
        try:
            return repr_string(a)
        except Exception:           # the display module must never break IR printing
            return repr(a)
    if inst.op in ("closure",):
        return f"<{a.name}>"
    if inst.op in ("defmethod",):
        return f"<method {a.name or '(callable)'}>"
    if inst.op in ("defstruct",):
        return f"<struct {a.node.name}>"
    if inst.op == "defabstract":
        return f"<abstract {a.name}>"
    if inst.op == "prim":
        return ".".join(str(x) for x in a) if isinstance(a, tuple) else str(a)
    if inst.op == "call":
        flags, kws = a
        return ""
    if a is None:
        return ""
    if isinstance(a, tuple):
        return " ".join(str(x) for x in a)
    return str(a)


def _regs(args) -> str:
    return ", ".join(f"%{a}" for a in args)


def format_inst(inst: Inst, names: dict[int, str]) -> str:
    lhs = f"%{inst.res} = " if inst.res >= 0 else ""
    if inst.op == "call":
        flags, kws = inst.attr
        parts = []
        nkw = len(kws)
        pos = inst.args[1:len(inst.args) - nkw] if nkw else inst.args[1:]
        for i, r in enumerate(pos):
            parts.append(f"%{r}" + ("..." if flags and flags[i] else ""))
        for k, r in zip(kws, inst.args[len(inst.args) - nkw:]):
            parts.append(f"{k}=%{r}" if k != "..." else f"%{r}...")
        body = f"call %{inst.args[0]}({', '.join(parts)})"
    elif inst.op == "prim":
        body = f"prim {_attr_text(inst)}({_regs(inst.args)})"
    else:
        attr = _attr_text(inst)
        body = inst.op + (f" {attr}" if attr else "") + (f" {_regs(inst.args)}" if inst.args else "")
    line = lhs + body
    note = names.get(inst.res)
    loc = f"line {inst.span.line}" if inst.span.source.text else ""
    comment = ", ".join(x for x in (note, loc) if x)
    return f"    {line:<44} # {comment}" if comment else f"    {line}"


def format_term(t: Terminator) -> str:
    def tgt(i: int) -> str:
        return f"block{t.targets[i]}({_regs(t.target_args[i])})"
    if t.op == "br":
        return f"    br {tgt(0)}"
    if t.op == "condbr":
        return f"    condbr %{t.args[0]} ? {tgt(0)} : {tgt(1)}"
    if t.op == "ret":
        return f"    ret %{t.args[0]}"
    return "    unreachable"


def format_function(fn: IRFunction) -> str:
    out = [f"function {fn.name} ({fn.nargs} args) at {fn.span.location()}"]
    for blk in fn.blocks:
        params = f"({_regs(blk.params)})" if blk.params else ""
        out.append(f"  block{blk.id}{params}:")
        for inst in blk.insts:
            out.append(format_inst(inst, fn.names))
        if blk.term is not None:
            out.append(format_term(blk.term))
    return "\n".join(out)


def format_typed(typed) -> str:
    """`@code_typed`: the IR with each value's inferred type (and shape), then the result."""
    from .types import show_type
    fn = typed.ir

    def ann(reg: int) -> str:
        v = typed.values.get(reg)
        if v is None:
            return ""
        text = "::" + show_type(v.type)
        if v.shape:
            text += " " + "×".join(map(str, v.shape))
        if v.is_const and not hasattr(v.const, "info"):
            from .display import repr_string
            try:
                text += " = " + repr_string(v.const)
            except Exception:
                pass
        return text

    out = [f"function {fn.name} ({fn.nargs} args) at {fn.span.location()}"]
    for blk in fn.blocks:
        params = ", ".join(f"%{p}{ann(p)}" for p in blk.params)
        out.append(f"  block{blk.id}" + (f"({params})" if blk.params else "") + ":")
        for inst in blk.insts:
            line = format_inst(inst, fn.names)
            if inst.res >= 0:
                code, _, comment = line.partition("  #")
                line = f"{code.rstrip():<48} {ann(inst.res)}"
            out.append(line)
        if blk.term is not None:
            out.append(format_term(blk.term))
    out.append(f"  => {show_type(typed.ret.type)}" +
               (" " + "×".join(map(str, typed.ret.shape)) if typed.ret.shape else ""))
    for ins in typed.instabilities:
        out.append(f"  type instability: {ins.message()}")
    if typed.interpreter_only:
        out.append("  runs in the interpreter: " + ", ".join(typed.interpreter_only))
    return "\n".join(out)
