"""The SSA IR: functions made of basic blocks with block arguments.

A value is an `int` register number.  Each `Inst` writes at most one register (`res`,
-1 when it produces nothing).  Operands are register numbers; constants are made with
the `const` instruction.  A block ends in exactly one terminator:

    br   target(args...)
    condbr cond ? then(args...) : else(args...)
    ret  value
    unreachable

Block arguments replace phi nodes (as in MLIR and Cranelift).  The instruction kinds
are listed in `OPS` with a line saying what each one does; the verifier (`verify.py`)
rejects anything else.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .source import Span, NO_SPAN

OPS: dict[str, str] = {
    "const":     "res = attr (a literal value)",
    "arg":       "res = the attr-th argument of the function (only in the entry block)",
    "sparam":    "res = the value bound to `where` parameter attr for this call",
    "getglobal": "res = global variable attr (UndefVarError if unbound)",
    "setglobal": "global attr = args[0]",
    "call":      "res = args[0](args[1:]...); attr = (splat flags or None, kwnames)",
    "prim":      "res = intrinsic attr applied to args",
    "tuple":     "res = (args...)",
    "namedtuple": "res = (attr[0] = args[0], ...)",
    "getfield":  "res = args[0].attr",
    "closure":   "res = a closure of the lambda attr capturing args",
    "capture":   "res = the attr-th captured value of the running closure",
    "self":      "res = the running closure itself",
    "box_new":   "res = a fresh mutable cell (for variables shared by closures / try)",
    "box_get":   "res = contents of cell args[0] (UndefVarError attr if empty)",
    "box_set":   "cell args[0] = args[1]",
    "checkdef":  "res = args[0]; UndefVarError attr if it is the undefined marker",
    "typeassert": "res = args[0] after checking it isa args[1] (TypeError)",
    "boolcheck": "res = args[0] after checking it is a Bool (TypeError in a condition)",
    "defmethod": "add the method described by attr to its function",
    "defstruct": "define the struct type described by attr",
    "defabstract": "define the abstract type described by attr",
    "try_enter": "push a handler: an exception jumps to block attr with the error value",
    "try_leave": "pop the innermost handler",
    "macro":     "res = the built-in macro attr applied to args (@code_ir, ...)",
}
TERMINATORS = ("br", "condbr", "ret", "unreachable")


class Undefined:
    """The marker held by a local variable before its first assignment."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "#undef"


UNDEF = Undefined()


@dataclass(slots=True)
class Inst:
    op: str
    res: int
    args: tuple[int, ...] = ()
    attr: Any = None
    span: Span = NO_SPAN


@dataclass(slots=True)
class Terminator:
    op: str                                 # one of TERMINATORS
    args: tuple[int, ...] = ()              # ret: (value,); condbr: (cond,)
    targets: tuple[int, ...] = ()           # block ids
    target_args: tuple[tuple[int, ...], ...] = ()
    span: Span = NO_SPAN


@dataclass(slots=True)
class Block:
    id: int
    params: list[int] = field(default_factory=list)
    insts: list[Inst] = field(default_factory=list)
    term: Terminator | None = None

    def reads(self) -> set[int]:
        """The registers this block's instructions and terminator read."""
        used: set[int] = set()
        for inst in self.insts:
            used.update(inst.args)
        if self.term is not None:
            used.update(self.term.args)
            for ta in self.term.target_args:
                used.update(ta)
        return used


@dataclass(slots=True, weakref_slot=True)
class IRFunction:
    """One lowered body: a method, a lambda or a top-level thunk."""
    name: str
    nargs: int                              # positional args incl. packed varargs and kw
    blocks: list[Block]
    span: Span
    nregs: int = 0
    names: dict[int, str] = field(default_factory=dict)   # register -> source variable
    is_closure: bool = False
    walks_tape: bool = False    # a backward pass (ad.py): staging unrolls its tape loop

    def block(self, bid: int) -> Block:
        return self.blocks[bid]
