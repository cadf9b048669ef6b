"""The Arr tokenizer: source text to Lark tokens, with Julia's context-sensitive rules.

Julia's surface syntax cannot be tokenized by a context-free lexer.  What a character
means depends on the bracket or block it sits in and on the whitespace around it:

* a newline ends a statement, except inside `( )` / `{ }` or after a binary operator or
  a comma; inside `[ ]` it separates rows, and it ends the arguments of `@macro a b`;
* inside `[ ]` (and after `@macro`) a space between two expressions separates elements,
  so `[1 -2]` has two elements, `[1 - 2]` one, and `[a [1]]` is a concatenation;
* `(`, `[`, `{` and `'` directly after an expression are a call, an index, a type
  application and an adjoint; after whitespace or an operator they open a group, an
  array literal, braces, (and `'` is an error: Arr has no Char literals);
* `end` / `begin` inside an index are `lastindex` / `firstindex`, elsewhere block keywords;
* `for` / `if` after an expression inside brackets belong to a comprehension;
* `:` is a symbol (`:name`), a bare colon (`x[:, 1]`), the ternary `? :`, or a range;
* a number directly followed by a name or `(` multiplies (`2x`).

So this module tracks a stack of open brackets and blocks and emits distinct token types
(`LPAR_CALL` vs `LPAR`, `HSEP`, `ROWSEP`, `JUXT`, `END_INDEX`, `FOR_COMP`, `TCOLON`, ...)
that make the LALR grammar in `grammar.lark` context free.
"""
from __future__ import annotations

import re
from typing import Callable, Optional

from lark import Token

from .source import ParseError, Span, SourceFile


class LexError(ParseError):
    """A tokenizer error; `incomplete` when more input could fix it (REPL continuation)."""

    def __init__(self, message: str, span: Span, incomplete: bool = False) -> None:
        super().__init__(message, span)
        self.incomplete = incomplete


# ---------------------------------------------------------------- lexical classes
_IDENT = re.compile(
    r"(?:[^\W\d]|[∇∂℘℮])"
    r"(?:[\w\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f′″‴‵‶‷⁗]|!(?!=))*")
_INTERP_IDENT = re.compile(_IDENT.pattern.replace("|!(?!=)", ""))
_NUMBER = re.compile(r"""
    0x[0-9a-fA-F](?:_?[0-9a-fA-F])*
  | 0b[01](?:_?[01])*
  | 0o[0-7](?:_?[0-7])*
  | [0-9](?:_?[0-9])*\.[eEf][+-]?[0-9]+
  | (?:[0-9](?:_?[0-9])*\.[0-9](?:_?[0-9])*
     | [0-9](?:_?[0-9])*\.(?![.\w*/^+\-<>=!&|%÷\\'(\[])
     | \.[0-9](?:_?[0-9])*
    )(?:[eEf][+-]?[0-9]+)?
  | [0-9](?:_?[0-9])*[eEf][+-]?[0-9]+
  | [0-9](?:_?[0-9])*
""", re.X)
_WS = re.compile(r"[ \t\r\f\ufeff]+")
_LINE_COMMENT = re.compile(r"#[^\n]*")
_STR_RUN = re.compile(r'[^"\\$\n]+')
_HEX = re.compile(r"[0-9a-fA-F]+")
_END_WORD = re.compile(r"end(?![\w!])")

_OPS = [
    "...", ".//=", "===", "!==", ".==", ".!=", ".<=", ".>=", ".+=", ".-=", ".*=", "./=", ".^=",
    ".÷=", ".%=", ".\\=", "->", "=>", "==", "!=", "<=", ">=", "&&", "||", "|>", "<:", ">:",
    "::", "+=", "-=", "*=", "/=", "^=", "÷=", "%=", "\\=", "|=", "&=", ".=", ".+", ".-", ".*",
    "./", ".^", ".\\", ".÷", ".%", ".<", ".>", ".!", ".&", ".|", ".≈", ".≤", ".≥", ".≠", ".∈",
    "=", "+", "-", "*", "/", "^", "÷", "%", "\\", "&", "|", "<", ">", "!", "?", ":", ",", ";",
    "(", ")", "[", "]", "{", "}", ".", "'", "≈", "≤", "≥", "≠", "∈", "∉", "∘", "⋅", "×", "√",
    "¬", "⊻", "~", "$", "@",
]
_OP_RE = re.compile("|".join(re.escape(o) for o in sorted(_OPS, key=len, reverse=True)))

_OP_TYPE: dict[str, str] = {"=": "ASSIGN", "->": "ARROW", "=>": "PAIR", "||": "OROR",
                            "&&": "ANDAND", "|>": "PIPE", "::": "DCOLON", "...": "ELLIPSIS",
                            ",": "COMMA", "?": "QUESTION"}
for _o in ("+=", "-=", "*=", "/=", "^=", "÷=", "%=", "\\=", "|=", "&="):
    _OP_TYPE[_o] = "OPASSIGN"
for _o in (".=", ".+=", ".-=", ".*=", "./=", ".^=", ".÷=", ".%=", ".\\="):
    _OP_TYPE[_o] = "DOTASSIGN"
for _o in ("==", "!=", "<", "<=", ">", ">=", "===", "!==", "≈", "≤", "≥", "≠", "∉", "<:", ">:",
           ".==", ".!=", ".<", ".<=", ".>", ".>=", ".≈", ".≤", ".≥", ".≠"):
    _OP_TYPE[_o] = "CMP"
for _o in ("+", "-", ".+", ".-"):
    _OP_TYPE[_o] = "ADDOP"
for _o in ("|", ".|", "⊻"):
    _OP_TYPE[_o] = "BOROP"
for _o in ("*", "/", "÷", "%", "&", "\\", "∘", "⋅", "×", ".*", "./", ".÷", ".%", ".&", ".\\"):
    _OP_TYPE[_o] = "MULOP"
for _o in ("^", ".^"):
    _OP_TYPE[_o] = "POWOP"
for _o in ("!", ".!", "¬", "√"):
    _OP_TYPE[_o] = "NOTOP"
_OP_TYPE["∈"] = "IN"
_OP_TYPE[".∈"] = "CMP"

# operators that may stand alone as a function value (`reduce(+, xs)`, `==(a, b) = ...`)
_NAMEABLE = {o for o, t in _OP_TYPE.items()
             if t in ("CMP", "ADDOP", "BOROP", "MULOP", "POWOP", "NOTOP", "PIPE", "PAIR", "IN")
             and not o.startswith(".")}
_UNARY = {"+", "-", ".+", ".-", "!", ".!", "¬", "√"}

KEYWORDS = {"function", "end", "if", "elseif", "else", "while", "for", "begin", "let", "try",
            "catch", "finally", "return", "break", "continue", "global", "local", "const",
            "struct", "where", "do", "true", "false", "in", "isa"}
_UNSUPPORTED = {"module", "baremodule", "using", "import", "export", "macro", "quote"}
_BLOCK_WORDS = {"function": "FUNCTION", "while": "WHILE", "let": "LET", "try": "TRY",
                "struct": "STRUCT", "do": "DO"}
_SIMPLE_WORDS = {"elseif": "ELSEIF", "else": "ELSE", "catch": "CATCH", "finally": "FINALLY",
                 "return": "RETURN", "break": "BREAK", "continue": "CONTINUE",
                 "global": "GLOBAL", "local": "LOCAL", "const": "CONST", "where": "WHERE",
                 "true": "TRUE", "false": "FALSE"}

# after these a newline does not end the statement (the expression goes on)
CONTINUE_AFTER = {"ASSIGN", "OPASSIGN", "DOTASSIGN", "ARROW", "PAIR", "QUESTION", "TCOLON", "OROR",
                  "ANDAND", "CMP", "IN", "PIPE", "COLON", "ADDOP", "BOROP", "MULOP", "POWOP",
                  "NOTOP", "DCOLON", "DOT", "WHERE", "COMMA", "_SEP", "FUNCTION", "IF", "ELSEIF",
                  "WHILE", "FOR", "STRUCT", "MUTABLE_STRUCT", "ABSTRACT_TYPE", "GLOBAL", "LOCAL",
                  "CONST", "JUXT", "FOR_COMP", "IF_COMP"}
_BRACKETS = ("paren", "brack", "index", "brace")
_CLOSER_KIND = {")": ("paren",), "]": ("brack", "index"), "}": ("brace",)}
_CLOSER_TYPE = {")": "RPAR", "]": "RBRACK", "}": "RBRACE"}
_OPENER_TEXT = {"paren": ")", "brack": "]", "index": "]", "brace": "}"}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "$": "$", "'": "'",
            "0": "\0", "a": "\a", "b": "\b", "e": "\x1b", "f": "\f", "v": "\v"}


class Ctx:
    """One open bracket or block: `kind` is top, block, paren, brack, index, brace or macro."""

    __slots__ = ("kind", "tok", "tern", "interp")

    def __init__(self, kind: str, tok: Optional[Token], interp: bool = False) -> None:
        self.kind = kind
        self.tok = tok          # the opening token, for "expected end to close ..." messages
        self.tern = 0           # `?` seen at this level whose `:` is still to come
        self.interp = interp    # the `(` of a `$(...)` string interpolation


InterpParser = Callable[[list[Token], "Tokenizer"], object]


class Tokenizer:
    """Tokenizes `source.text[pos:]`; `run()` returns the token list.

    `interp` parses the tokens of a `$(expr)` interpolation into an AST node (None: only
    find its extent, as `is_complete` does).  `strings` receives, for every STRING token's
    start offset, the tuple of its parts (text and interpolated nodes)."""

    def __init__(self, source: SourceFile, strings: dict[int, tuple], interp: Optional[InterpParser],
                 pos: int = 0, in_interp: bool = False) -> None:
        self.src = source
        self.text = source.text
        self.n = len(self.text)
        self.pos = pos
        self.strings = strings
        self.interp = interp
        self.toks: list[Token] = []
        self.ctxs: list[Ctx] = []            # innermost context when each token was emitted
        self.stack: list[Ctx] = [Ctx("top", None)]
        if in_interp:
            self.stack.append(Ctx("paren", None, interp=True))
        self.last_type: Optional[str] = None
        self.last_end = False                 # last token ends an expression
        self.ws = False                       # whitespace since the last token
        self.pending_row: Optional[int] = None  # offset of a newline that may separate rows
        self.mismatch = False                 # a closer did not match (for is_complete)
        self.end_pos = self.n                 # for interpolations: offset after the `)`

    # ------------------------------------------------------------ helpers
    def error(self, msg: str, start: int, end: Optional[int] = None,
              incomplete: bool = False) -> LexError:
        end = start + 1 if end is None else end
        return LexError(msg, Span(self.src, start, min(end, max(self.n, start))), incomplete)

    def emit(self, typ: str, value: str, s: int, e: int, starts: bool, ends: bool) -> Token:
        """Append a token, first flushing a pending row separator and inserting the
        space separator (`HSEP`) that whitespace means inside `[ ]` and macro arguments."""
        top = self.stack[-1]
        toks = self.toks
        if self.pending_row is not None:
            if typ not in ("RBRACK", "FOR_COMP", "IF_COMP", "ROWSEP"):
                p = self.pending_row
                toks.append(Token("ROWSEP", "\n", p, None, None, None, None, p + 1))
                self.ctxs.append(top)
                self.last_end = False
            self.pending_row = None
        if starts and self.ws and self.last_end and top.kind in ("brack", "index", "macro"):
            toks.append(Token("HSEP", " ", s, None, None, None, None, s))
            self.ctxs.append(top)
        tok = Token(typ, value, s, None, None, None, None, e)
        toks.append(tok)
        self.ctxs.append(top)
        self.last_type = typ
        self.last_end = ends
        self.ws = False
        return tok

    def pop_macros(self) -> None:
        while self.stack[-1].kind == "macro":
            self.stack.pop()

    def in_index(self) -> bool:
        """Is the innermost enclosing non-bracket construct an index `x[...]`?"""
        for c in reversed(self.stack):
            if c.kind == "index":
                return True
            if c.kind not in ("paren", "brack", "brace"):
                return False
        return False

    def ends_line(self, i: int) -> bool:
        """Only spaces, then a newline, `;`, a comment, `end` or the end of input follow
        (`catch e` names the exception only then; `catch f(x)` starts the body)."""
        m = _WS.match(self.text, i)
        j = m.end() if m else i
        return j >= self.n or self.text[j] in "\r\n;#" or _END_WORD.match(self.text, j) is not None

    def next_char(self, i: int) -> str:
        return self.text[i] if i < self.n else ""

    def ws_sensitive_unary(self, e: int) -> bool:
        """Inside `[ ]`/macro args, `a -b`: whitespace before and none after an operator
        following an expression makes it a unary operator starting a new element."""
        return (self.ws and self.last_end and self.stack[-1].kind in ("brack", "index", "macro")
                and e < self.n and self.text[e] not in " \t\r\n#")

    # ------------------------------------------------------------ main loop
    def run(self) -> list[Token]:
        text, n = self.text, self.n
        while self.pos < n:
            c = text[self.pos]
            if c in " \t\r\f\ufeff":
                self.pos = _WS.match(text, self.pos).end()
                self.ws = True
            elif c == "\n":
                self.newline(self.pos)
                self.pos += 1
                self.ws = True
            elif c == "#":
                if text.startswith("#=", self.pos):
                    self.block_comment()
                else:
                    self.pos = _LINE_COMMENT.match(text, self.pos).end()
                self.ws = True
            elif c == '"':
                self.string()
            elif "0" <= c <= "9":
                self.number()
            else:
                m = _IDENT.match(text, self.pos)
                if m:
                    self.word(m.group(), m.end())
                else:
                    self.operator()
            if self.end_pos != n:           # the `)` closing an interpolation was reached
                return self.toks
        if any(c.interp for c in self.stack):
            raise self.error("unterminated string interpolation", n - 1, n, incomplete=True)
        self.pop_macros()
        return self.toks

    # ------------------------------------------------------------ separators
    def newline(self, p: int) -> None:
        self.pop_macros()
        top = self.stack[-1]
        if top.kind in ("paren", "brace"):
            return
        if top.kind in ("brack", "index"):
            if self.last_end:
                self.pending_row = p
            return
        if self.last_type is None or self.last_type in CONTINUE_AFTER:
            return
        top.tern = 0
        self.emit("_SEP", "\n", p, p + 1, False, False)

    def semicolon(self, p: int) -> None:
        self.pop_macros()
        top = self.stack[-1]
        if top.kind in ("paren", "brace"):
            self.emit("SEMI", ";", p, p + 1, False, False)
        elif top.kind in ("brack", "index"):
            self.pending_row = None
            if self.last_type != "ROWSEP":
                self.emit("ROWSEP", ";", p, p + 1, False, False)
        elif self.last_type not in ("_SEP", None):
            top.tern = 0
            self.emit("_SEP", ";", p, p + 1, False, False)

    def block_comment(self) -> None:
        text, start = self.text, self.pos
        depth, i = 0, start
        while True:
            j = text.find("=#", i)
            k = text.find("#=", i)
            if j < 0:
                raise self.error("unterminated comment #=", start, start + 2, incomplete=True)
            if 0 <= k < j:
                depth += 1
                i = k + 2
            else:
                depth -= 1
                i = j + 2
                if depth == 0:
                    break
        self.pos = i

    # ------------------------------------------------------------ numbers and words
    def number(self) -> None:
        text, s = self.text, self.pos
        m = _NUMBER.match(text, s)
        e = m.end()
        lit = m.group()
        if lit.startswith(("0x", "0b", "0o")):
            typ = "INT"
        elif "f" in lit:
            typ = "FLOAT32"
        elif "." in lit or "e" in lit or "E" in lit:
            typ = "FLOAT"
        else:
            typ = "INT"
        self.emit(typ, lit, s, e, True, True)
        self.pos = e
        # juxtaposition: `2x`, `3(x + 1)`, `2π`
        c = self.next_char(e)
        if c == "(":
            self.emit("JUXT", "*", e, e, False, False)
            return
        w = _IDENT.match(text, e)
        if w:
            word = w.group()
            if word not in KEYWORDS or (word in ("end", "begin") and self.in_index()):
                self.emit("JUXT", "*", e, e, False, False)

    def word(self, w: str, e: int) -> None:
        s = self.pos
        self.pos = e
        if self.last_type == "DOT" or w not in KEYWORDS and w not in _UNSUPPORTED \
                and w not in ("abstract", "mutable"):
            typ = "CATCH_VAR" if self.last_type == "CATCH" and self.ends_line(e) else "NAME"
            self.emit(typ, w, s, e, True, True)
            return
        if w in _UNSUPPORTED:
            raise self.error(f'"{w}" is not supported in Arr', s, e)
        if w in ("abstract", "mutable"):
            follow = "type" if w == "abstract" else "struct"
            m = re.compile(r"[ \t]+" + follow + r"(?![\w!])").match(self.text, e)
            if not m:
                self.emit("NAME", w, s, e, True, True)
                return
            self.pos = m.end()
            typ = "ABSTRACT_TYPE" if w == "abstract" else "MUTABLE_STRUCT"
            tok = self.emit(typ, self.text[s:m.end()], s, m.end(), True, False)
            self.stack.append(Ctx("block", tok))
            return
        top = self.stack[-1]
        if w == "end":
            self.pop_macros()
            if self.in_index():
                self.emit("END_INDEX", w, s, e, True, True)
                return
            top = self.stack[-1]
            if top.kind == "block":
                self.stack.pop()
            elif top.kind != "top":
                self.mismatch = True
            self.emit("END", w, s, e, False, True)
        elif w == "begin":
            if self.in_index():
                self.emit("BEGIN_INDEX", w, s, e, True, True)
            else:
                tok = self.emit("BEGIN", w, s, e, True, False)
                self.stack.append(Ctx("block", tok))
        elif w in ("if", "for"):
            if top.kind in _BRACKETS and self.last_end:
                self.emit("IF_COMP" if w == "if" else "FOR_COMP", w, s, e, False, False)
            else:
                tok = self.emit(w.upper(), w, s, e, True, False)
                self.stack.append(Ctx("block", tok))
        elif w in _BLOCK_WORDS:
            tok = self.emit(_BLOCK_WORDS[w], w, s, e, w != "do", False)
            self.stack.append(Ctx("block", tok))
        elif w in ("in", "isa"):
            if not self.last_end and self.next_char(e) == "(":
                self.emit("NAME", w, s, e, True, True)          # `in(x, s)`
            else:
                self.emit("IN" if w == "in" else "CMP", w, s, e, False, False)
        else:
            if w in ("elseif", "else", "catch", "finally"):
                self.pop_macros()
            typ = _SIMPLE_WORDS[w]
            self.emit(typ, w, s, e, typ not in ("ELSEIF", "ELSE", "CATCH", "FINALLY", "WHERE"),
                      typ in ("TRUE", "FALSE", "BREAK", "CONTINUE"))

    # ------------------------------------------------------------ operators
    def operator(self) -> None:
        text, s = self.text, self.pos
        m = _OP_RE.match(text, s)
        if not m:
            raise self.error(f"unexpected character {text[s]!r}", s)
        op = m.group()
        e = m.end()
        self.pos = e
        nxt = self.next_char(e)
        if op in "([{":
            self.open_bracket(op, s, e)
        elif op in ")]}":
            self.close_bracket(op, s, e)
        elif op == ";":
            self.semicolon(s)
        elif op == ",":
            if self.stack[-1].kind == "macro" and self.stack[-2].kind in _BRACKETS:
                self.pop_macros()
            self.emit("COMMA", op, s, e, False, False)
        elif op == ":":
            self.colon(s, e)
        elif op == "?":
            self.stack[-1].tern += 1
            self.emit("QUESTION", op, s, e, False, False)
        elif op == "'":
            if self.last_end and not self.ws:
                self.emit("ADJOINT", op, s, e, False, True)
            else:
                raise self.error("character literals are not supported in Arr", s)
        elif op == ".":
            if "0" <= nxt <= "9" and (not self.last_end or self.ws_sensitive_unary(e)):
                self.pos = s
                self.number()
            elif nxt == "(" and self.last_end:
                self.pos = e + 1
                tok = self.emit("DOTLPAR", ".(", s, e + 1, False, False)
                self.stack.append(Ctx("paren", tok))
            else:
                self.emit("DOT", op, s, e, False, False)
        elif op == "@":
            mm = _IDENT.match(text, e)
            if not mm:
                raise self.error("expected a macro name after @", s)
            self.pos = mm.end()
            if self.next_char(self.pos) == "(":
                self.emit("MACRO_PAREN", text[s:self.pos], s, self.pos, True, True)
            else:
                tok = self.emit("MACRO", text[s:self.pos], s, self.pos, True, False)
                self.stack.append(Ctx("macro", tok))
        elif op == "$":
            raise self.error("$ interpolation is only allowed inside strings", s)
        elif op == "~":
            raise self.error('unsupported operator "~"', s)
        else:
            self.general_op(op, s, e, nxt)

    def general_op(self, op: str, s: int, e: int, nxt: str) -> None:
        typ = _OP_TYPE.get(op)
        if typ is None:
            raise self.error(f'unsupported operator "{op}"', s, e)
        hsep = op in _UNARY and self.ws_sensitive_unary(e)
        operand = not self.last_end or hsep
        if operand and op in _NAMEABLE:
            # an operator used as a value or a function name: `map(-, x)`, `+(a, b)`
            j = e
            while j < self.n and self.text[j] in " \t":
                j += 1
            after = self.next_char(j)
            if nxt == "(" or after in (",", ")", ";", "]", "}", "\n", "#", ""):
                self.emit("OPNAME", op, s, e, True, True)
                return
        if operand and typ in ("ADDOP", "NOTOP"):
            self.emit(typ, op, s, e, hsep, False)
            return
        self.emit(typ, op, s, e, False, False)

    def colon(self, s: int, e: int) -> None:
        text = self.text
        top = self.stack[-1]
        nxt = self.next_char(e)
        m = _IDENT.match(text, e)
        sym_hsep = m is not None and self.ws and self.last_end and top.kind in ("brack", "index", "macro")
        if (not self.last_end or sym_hsep) and m:
            self.pos = m.end()
            self.emit("SYMBOL", m.group(), s, m.end(), True, True)
            return
        if not self.last_end:
            self.emit("COLON", ":", s, e, True, True)      # bare `:` as in `x[:, 1]`
            return
        if top.tern > 0 and self.ws and nxt in (" ", "\t", "\n", "\r"):
            top.tern -= 1
            self.emit("TCOLON", ":", s, e, False, False)
            return
        self.emit("COLON", ":", s, e, False, False)

    def open_bracket(self, op: str, s: int, e: int) -> None:
        direct = self.last_end and not self.ws
        if op == "(":
            typ, kind = ("LPAR_CALL" if direct else "LPAR"), "paren"
        elif op == "[":
            typ, kind = ("LBRACK_INDEX", "index") if direct else ("LBRACK", "brack")
        else:
            typ, kind = ("LBRACE_CURLY" if direct else "LBRACE"), "brace"
        tok = self.emit(typ, op, s, e, not direct, False)
        self.stack.append(Ctx(kind, tok))

    def close_bracket(self, op: str, s: int, e: int) -> None:
        self.pop_macros()
        top = self.stack[-1]
        if op == "]":
            self.pending_row = None
            if self.last_type == "ROWSEP" and self.toks[-1].value == ";":
                self.toks.pop()          # `[a b;]`: a trailing `;` adds nothing
                self.ctxs.pop()
                self.last_end = True
        if top.kind in _CLOSER_KIND[op]:
            self.stack.pop()
            if top.interp:
                self.end_pos = e
                return
        else:
            self.mismatch = True
        self.emit(_CLOSER_TYPE[op], op, s, e, False, True)

    # ------------------------------------------------------------ strings
    def string(self) -> None:
        text, s = self.text, self.pos
        triple = text.startswith('"""', s)
        i = s + (3 if triple else 1)
        skips: dict[int, int] = self.dedent(i, s) if triple else {}
        if triple and text.startswith("\n", i):
            i += 1
        elif triple and text.startswith("\r\n", i):
            i += 2
        parts: list = []
        buf: list[str] = []
        n = self.n
        while True:
            if skips and i in skips:
                i += skips[i]
            if i >= n:
                raise self.error("unterminated string", s, s + (3 if triple else 1), incomplete=True)
            c = text[i]
            if c == '"':
                if not triple:
                    i += 1
                    break
                if text.startswith('"""', i):
                    i += 3
                    break
                buf.append(c)
                i += 1
            elif c == "\\":
                i = self.escape(i, buf)
            elif c == "$":
                i = self.interpolation(i, buf, parts)
            elif c == "\n":
                buf.append(c)
                i += 1
            else:
                m = _STR_RUN.match(text, i)
                buf.append(m.group())
                i = m.end()
        if buf or not parts:
            parts.append("".join(buf))
        self.pos = i
        self.strings[s] = tuple(parts)
        self.emit("STRING", text[s:i], s, i, True, True)

    def escape(self, i: int, buf: list[str]) -> int:
        text = self.text
        c = self.next_char(i + 1)
        if c in _ESCAPES:
            buf.append(_ESCAPES[c])
            return i + 2
        if c == "\n":                  # a backslash-newline joins lines, dropping the indent
            j = i + 2
            while j < self.n and text[j] in " \t":
                j += 1
            return j
        if c in ("x", "u", "U"):
            width = {"x": 2, "u": 4, "U": 8}[c]
            m = _HEX.match(text, i + 2, min(self.n, i + 2 + width))
            if m:
                buf.append(chr(int(m.group(), 16)))
                return m.end()
        if c == "":
            raise self.error("unterminated string", i, i + 1, incomplete=True)
        raise self.error(f"invalid escape sequence \\{c}", i, i + 2)

    def interpolation(self, i: int, buf: list[str], parts: list) -> int:
        text = self.text
        if buf:
            parts.append("".join(buf))
            buf.clear()
        m = _INTERP_IDENT.match(text, i + 1)      # `"$name!"`: the `!` is text, as in Julia
        if m and m.group() not in KEYWORDS:
            from .syntax import Name
            parts.append(Name(Span(self.src, i + 1, m.end()), m.group()))
            return m.end()
        if self.next_char(i + 1) != "(":
            raise self.error("invalid interpolation: use $name or $(expression)", i, i + 1)
        sub = Tokenizer(self.src, self.strings, self.interp, i + 2, in_interp=True)
        toks = sub.run()
        if self.interp is None:
            from .syntax import Name
            parts.append(Name(Span(self.src, i, sub.end_pos), "#interp"))
        elif not toks:
            raise self.error("empty interpolation $()", i, sub.end_pos)
        else:
            parts.append(self.interp(toks, sub))
        return sub.end_pos

    def dedent(self, body: int, s: int) -> dict[int, int]:
        """Julia's triple-quoted string dedent: the offsets of line starts (after the
        opening line) and how many indentation characters to skip there."""
        text = self.text
        close = text.find('"""', body)
        # find the real closing quotes (skip escaped quotes); approximate is fine for indent
        while close > 0 and text[close - 1] == "\\":
            close = text.find('"""', close + 1)
        if close < 0:
            return {}
        starts = []
        j = body
        first_skipped = text.startswith("\n", body) or text.startswith("\r\n", body)
        if first_skipped:
            j = text.index("\n", body) + 1
            starts.append(j)
        while True:
            k = text.find("\n", j, close)
            if k < 0:
                break
            j = k + 1
            starts.append(j)
        if not starts:
            return {}
        indents = []
        for idx, st in enumerate(starts):
            end = text.find("\n", st, close)
            line = text[st:close] if end < 0 else text[st:end]
            stripped = line.lstrip(" \t")
            if stripped or end < 0:          # the closing line counts even when blank
                indents.append(len(line) - len(stripped))
        ind = min(indents) if indents else 0
        if ind == 0:
            return {}
        out = {}
        for st in starts:
            k = st
            while k < st + ind and k < close and text[k] in " \t":
                k += 1
            if k > st:
                out[st] = k - st
        return out


def opener_text(ctx: Ctx) -> str:
    """What closes a context, for messages: `end`, `)`, `]` or `}`."""
    return "end" if ctx.kind == "block" else _OPENER_TEXT.get(ctx.kind, "")
