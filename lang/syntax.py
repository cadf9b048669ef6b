"""The Arr AST: frozen dataclasses, every node carrying its `Span`.

The parser (`parser.py`) produces these; the lowering (`lower.py`) consumes them.
Operators are not special nodes: `a + b` is `Call(Name("+"), (a, b))`, `-x` is
`Call(Name("-"), (x,))`, `a:b` is `Call(Name(":"), (a, b))`, `a => b` is
`Call(Name("=>"), ...)`, `x'` is `Call(Name("adjoint"), (x,))` and `2x` is
`Call(Name("*"), (IntLit(2), x))`.  Dotted operators and `f.(x)` are `DotCall`.
Only forms with special evaluation rules (short-circuit, chained comparison,
assignment, indexing with `end`, ...) get their own node.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from .source import Span


@dataclass(frozen=True, slots=True)
class Node:
    span: Span


# ---------------------------------------------------------------- literals and names
@dataclass(frozen=True, slots=True)
class IntLit(Node):
    value: int


@dataclass(frozen=True, slots=True)
class FloatLit(Node):
    value: float
    bits: int = 64          # 32 for `1f0`


@dataclass(frozen=True, slots=True)
class BoolLit(Node):
    value: bool


@dataclass(frozen=True, slots=True)
class StringLit(Node):
    """A string; `parts` alternates text (str) and interpolated expressions."""
    parts: tuple[Union[str, "Expr"], ...]


@dataclass(frozen=True, slots=True)
class SymbolLit(Node):
    name: str


@dataclass(frozen=True, slots=True)
class Name(Node):
    """An identifier or an operator used as a value (`+`, `:` in `reduce(+, x)`)."""
    id: str


@dataclass(frozen=True, slots=True)
class Colon(Node):
    """A bare `:` used as an index (`x[:, 1]`) or value (`dims=:`)."""


@dataclass(frozen=True, slots=True)
class End(Node):
    """`end` inside an indexing expression."""


@dataclass(frozen=True, slots=True)
class Begin(Node):
    """`begin` inside an indexing expression."""


# ---------------------------------------------------------------- calls and operators
@dataclass(frozen=True, slots=True)
class Splat(Node):
    """`xs...` in a call, tuple or array literal."""
    value: "Expr"


@dataclass(frozen=True, slots=True)
class Kwarg(Node):
    """`name=value` after `;` (or after the positional args) in a call.
    `name` is None for a splatted keyword set `f(; kws...)` (value is then the NamedTuple)."""
    name: str | None
    value: "Expr"


@dataclass(frozen=True, slots=True)
class Call(Node):
    func: "Expr"
    args: tuple["Expr", ...]
    kwargs: tuple[Kwarg, ...] = ()


@dataclass(frozen=True, slots=True)
class DotCall(Node):
    """A broadcast call: `f.(a, b)` or `a .+ b` (func = Name("+")) or `.-x`."""
    func: "Expr"
    args: tuple["Expr", ...]
    kwargs: tuple[Kwarg, ...] = ()


@dataclass(frozen=True, slots=True)
class Compare(Node):
    """A comparison chain `a < b <= c`: ops has one fewer entry than operands."""
    ops: tuple[str, ...]
    operands: tuple["Expr", ...]


@dataclass(frozen=True, slots=True)
class And(Node):
    left: "Expr"
    right: "Expr"


@dataclass(frozen=True, slots=True)
class Or(Node):
    left: "Expr"
    right: "Expr"


@dataclass(frozen=True, slots=True)
class IfExpr(Node):
    """`c ? a : b`, and also `if` (then/else are Blocks; `else_` None when absent)."""
    cond: "Expr"
    then: "Expr"
    else_: "Expr | None"


@dataclass(frozen=True, slots=True)
class Index(Node):
    """`obj[i, j]`.  Indices may contain `End`, `Begin` and `Colon`."""
    obj: "Expr"
    indices: tuple["Expr", ...]


@dataclass(frozen=True, slots=True)
class Field(Node):
    """`obj.name`."""
    obj: "Expr"
    name: str


@dataclass(frozen=True, slots=True)
class Curly(Node):
    """`Base{P1, P2}`: a parametric type application (`Vector{Float32}`)."""
    base: "Expr"
    params: tuple["Expr", ...]


@dataclass(frozen=True, slots=True)
class TypeAssert(Node):
    """`expr::T`."""
    value: "Expr"
    type: "Expr"


@dataclass(frozen=True, slots=True)
class WhereType(Node):
    """`T where {S <: Real}` used as a type expression."""
    body: "Expr"
    params: tuple["TypeParam", ...]


# ---------------------------------------------------------------- collections
@dataclass(frozen=True, slots=True)
class TupleLit(Node):
    elems: tuple["Expr", ...]


@dataclass(frozen=True, slots=True)
class NamedTupleLit(Node):
    """`(a=1, b=2)` or `(; a, b)` (value is then `Name(a)`)."""
    names: tuple[str, ...]
    values: tuple["Expr", ...]


@dataclass(frozen=True, slots=True)
class VectLit(Node):
    """`[a, b, c]`, or `T[a, b]` when `eltype` is given."""
    elems: tuple["Expr", ...]
    eltype: "Expr | None" = None


@dataclass(frozen=True, slots=True)
class MatrixLit(Node):
    """`[a b; c d]`: rows separated by `;` or newline, elements in a row by spaces.
    `[a b]` is one row (hcat), `[a; b]` two rows of one element (vcat)."""
    rows: tuple[tuple["Expr", ...], ...]
    eltype: "Expr | None" = None


@dataclass(frozen=True, slots=True)
class ForSpec(Node):
    """`target in iter` (also `target = iter`, `target ∈ iter`) in for loops and comprehensions."""
    target: "Expr"          # Name or TupleLit of Names for destructuring
    iter: "Expr"


@dataclass(frozen=True, slots=True)
class Comprehension(Node):
    """`[expr for i in I, j in J if cond]`; `eltype` for `T[... for ...]`."""
    expr: "Expr"
    specs: tuple[ForSpec, ...]
    cond: "Expr | None" = None
    eltype: "Expr | None" = None


@dataclass(frozen=True, slots=True)
class Generator(Node):
    """`(expr for i in I if cond)`, also a bare generator argument `sum(x^2 for x in xs)`."""
    expr: "Expr"
    specs: tuple[ForSpec, ...]
    cond: "Expr | None" = None


# ---------------------------------------------------------------- functions
@dataclass(frozen=True, slots=True)
class Param(Node):
    """A formal parameter: `x`, `x::T`, `::T`, `x=default`, `xs...`, `xs::T...`."""
    name: str | None
    type: "Expr | None" = None
    default: "Expr | None" = None
    vararg: bool = False


@dataclass(frozen=True, slots=True)
class TypeParam(Node):
    """`T`, `T <: Real`, or `T >: Int` in `where` clauses and struct parameters."""
    name: str
    upper: "Expr | None" = None
    lower: "Expr | None" = None


@dataclass(frozen=True, slots=True)
class Lambda(Node):
    """`x -> body`, `(x, y) -> body`, `function (x) ... end`, and do-block bodies."""
    params: tuple[Param, ...]
    body: "Expr"
    kwparams: tuple[Param, ...] = ()


@dataclass(frozen=True, slots=True)
class FunctionDef(Node):
    """`function f(x::T; k=1) where {T} ... end` or `f(x) = ...`.

    `name` is the function name, or None for a callable-struct method
    `(a::Affine)(x) = ...`, whose receiver is then `self_param`.
    """
    name: str | None
    params: tuple[Param, ...]
    kwparams: tuple[Param, ...]
    where: tuple[TypeParam, ...]
    rettype: "Expr | None"
    body: "Block"
    doc: str | None = None
    self_param: Param | None = None


@dataclass(frozen=True, slots=True)
class DoBlock(Node):
    """`call do x ... end`: `call` is the Call the lambda is inserted into (as first argument)."""
    call: Call
    lam: Lambda


@dataclass(frozen=True, slots=True)
class MacroCall(Node):
    """`@name args...` (space-separated) or `@name(args...)`."""
    name: str
    args: tuple["Expr", ...]


# ---------------------------------------------------------------- statements
@dataclass(frozen=True, slots=True)
class Block(Node):
    stmts: tuple["Expr", ...]


@dataclass(frozen=True, slots=True)
class Assign(Node):
    """`target = value`.  target: Name, Index, Field, TupleLit (destructuring), TypeAssert."""
    target: "Expr"
    value: "Expr"


@dataclass(frozen=True, slots=True)
class OpAssign(Node):
    """`target op= value` (`+=`, `-=`, ...): op is the operator, e.g. "+"."""
    op: str
    target: "Expr"
    value: "Expr"


@dataclass(frozen=True, slots=True)
class DotAssign(Node):
    """`target .= value` (op None) or `target .op= value` (`.+=`)."""
    op: str | None
    target: "Expr"
    value: "Expr"


@dataclass(frozen=True, slots=True)
class If(Node):
    """`if cond ... elseif ... else ... end`; `elseif` chains nest in `else_`."""
    cond: "Expr"
    then: Block
    else_: "Block | If | None"


@dataclass(frozen=True, slots=True)
class While(Node):
    cond: "Expr"
    body: Block


@dataclass(frozen=True, slots=True)
class For(Node):
    """`for i in I, j in J ... end`: specs nest left to right (i outermost)."""
    specs: tuple[ForSpec, ...]
    body: Block


@dataclass(frozen=True, slots=True)
class Break(Node):
    pass


@dataclass(frozen=True, slots=True)
class Continue(Node):
    pass


@dataclass(frozen=True, slots=True)
class Return(Node):
    value: "Expr | None"


@dataclass(frozen=True, slots=True)
class Let(Node):
    """`let a = 1, b ... end`: bindings are Assign or Name nodes."""
    bindings: tuple["Expr", ...]
    body: Block


@dataclass(frozen=True, slots=True)
class Try(Node):
    """`try ... catch err ... finally ... end`; `catch_var` None for a bare `catch`."""
    body: Block
    catch_var: str | None
    catch_body: Block | None
    finally_body: Block | None = None


@dataclass(frozen=True, slots=True)
class Global(Node):
    """`global x`, `global x = v` or `global x += v` (value None when only declaring)."""
    names: tuple[str, ...]
    value: "Assign | OpAssign | None" = None


@dataclass(frozen=True, slots=True)
class Local(Node):
    """`local x`, `local x = v` or `local x += v`."""
    names: tuple[str, ...]
    value: "Assign | OpAssign | None" = None


@dataclass(frozen=True, slots=True)
class Const(Node):
    """`const X = value` at top level."""
    assign: Assign


@dataclass(frozen=True, slots=True)
class StructField(Node):
    name: str
    type: "Expr | None"


@dataclass(frozen=True, slots=True)
class StructDef(Node):
    """`struct Name{T} <: Super; fields...; end`.  `mutable` is parsed so that it can be
    rejected with a clear error.  Inner constructors are FunctionDefs in `constructors`."""
    name: str
    params: tuple[TypeParam, ...]
    supertype: "Expr | None"
    fields: tuple[StructField, ...]
    constructors: tuple[FunctionDef, ...] = ()
    mutable: bool = False
    doc: str | None = None


@dataclass(frozen=True, slots=True)
class AbstractDef(Node):
    """`abstract type Name{T} <: Super end`."""
    name: str
    params: tuple[TypeParam, ...]
    supertype: "Expr | None"
    doc: str | None = None


@dataclass(frozen=True, slots=True)
class Program(Node):
    """A parsed file or REPL input: a sequence of top-level statements."""
    stmts: tuple["Expr", ...]


Expr = Node
