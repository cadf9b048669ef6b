"""The Arr parser: source text to a `syntax.Program`.

Pipeline: `tokenizer.Tokenizer` turns the text into Lark tokens, resolving Julia's
whitespace rules; Lark's LALR parser (grammar in `grammar.lark`, built once per process and
cached on disk) runs `astbuild.Builder`'s callbacks as it reduces, so the AST is built directly,
without an intermediate parse tree.  Every node's span runs from the start of its first
token to the end of its last.  All errors come out as `ParseError` with a precise span.
"""
from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import threading
from operator import itemgetter
from pathlib import Path
from typing import Any, Optional, Union

import lark
from lark import Lark, Token
from lark.exceptions import UnexpectedToken
from lark.grammar import Rule
from lark.lexer import Lexer

from . import syntax as S
from .astbuild import Builder
from .source import ParseError, SourceFile, Span
from .tokenizer import CONTINUE_AFTER, Ctx, LexError, Tokenizer, opener_text

__all__ = ["parse", "parse_file", "is_complete"]


# ---------------------------------------------------------------- the Lark parser
class _TokenListLexer(Lexer):
    """Feeds Lark the token list made by `Tokenizer` (Lark's own lexer is not used)."""

    def __init__(self, lexer_conf: Any) -> None:
        pass

    def lex(self, data: Any) -> Any:                     # type: ignore[override]
        return iter(data)


_LOCK = threading.RLock()
_BUILDER = Builder()
_LARK: Optional[Lark] = None


def _grammar_path() -> Path:
    from .resources import grammar_path
    return grammar_path()


def _cache_file(grammar: str) -> Optional[str]:
    key = hashlib.sha256((grammar + lark.__version__ + sys.version).encode()).hexdigest()[:20]
    base = os.environ.get("ARR_CACHE_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "arr")
    for d in (base, os.path.join(tempfile.gettempdir(), "arr-cache")):
        try:
            os.makedirs(d, exist_ok=True)
            if os.access(d, os.W_OK):
                return os.path.join(d, f"grammar-{key}.lark-cache")
        except OSError:
            continue
    return None


class _IdentityRule(Rule):
    """A Rule hashed and compared by identity (C-level), for fast callback lookups."""
    __slots__ = ()
    __hash__ = object.__hash__
    __eq__ = object.__eq__


def _speed_up(parser: Lark) -> None:
    """Make Lark's LALR loop cheaper.  Lark looks up each reduction's callback with
    `callbacks[rule]`; after loading from the cache the table's Rule objects are copies of
    the dict's keys, so every lookup runs Python-level `Rule.__eq__`.  Re-key the callbacks
    by the table's own rule objects, hashed by identity, and call `itemgetter(0)` (C) for
    the single-child reductions of `?rule`s.  Optional: on any surprise, leave Lark as is."""
    try:
        inner = parser.parser.parser.parser          # ParsingFrontend -> LALR_Parser -> _Parser
        callbacks = inner.callbacks
        states = inner.parse_table.states
        by_sig = {(r.origin.name, tuple(x.name for x in r.expansion)): (r, cb)
                  for r, cb in callbacks.items() if isinstance(r, Rule)}
        new: dict = {k: v for k, v in callbacks.items() if not isinstance(k, Rule)}
        for actions in states.values():
            for action, arg in actions.values():
                if not isinstance(arg, Rule) or type(arg) is _IdentityRule:
                    continue
                orig, cb = by_sig[(arg.origin.name, tuple(x.name for x in arg.expansion))]
                if (orig.options.expand1 and not orig.alias and len(orig.expansion) == 1
                        and not orig.expansion[0].name.startswith("_")):
                    cb = itemgetter(0)
                arg.__class__ = _IdentityRule
                new[arg] = cb
        callbacks.clear()
        callbacks.update(new)
    except Exception:                      # pragma: no cover - a different Lark version
        pass


def _lark() -> Lark:
    """The LALR parser, built on first use (about 0.3 s) or loaded from the on-disk cache
    (about 15 ms); Lark checks the cached tables against a hash of the grammar."""
    global _LARK
    if _LARK is None:
        grammar = _grammar_path().read_text(encoding="utf-8")
        cache = _cache_file(grammar)
        fresh = cache is not None and not os.path.exists(cache)
        _LARK = Lark(grammar, parser="lalr", lexer=_TokenListLexer, start=["program", "interp"],
                     transformer=_BUILDER, cache=cache if cache else False)
        if fresh:                     # drop the tables of older versions of the grammar
            for old in Path(cache).parent.glob("grammar-*.lark-cache"):
                if str(old) != cache:
                    try:
                        old.unlink()
                    except OSError:
                        pass
        _speed_up(_LARK)
    return _LARK


def _describe(tok: Token, text: str) -> str:
    if tok.type in ("_SEP", "ROWSEP"):
        return "newline" if tok.value == "\n" else '";"'
    if tok.type == "HSEP":
        return "space"
    if tok.type == "STRING":
        return "string"
    return f'"{text[tok.start_pos:tok.end_pos]}"'


def _closing_hint(ctx: Ctx, src: SourceFile) -> str:
    return (f'expected "{opener_text(ctx)}" to close "{ctx.tok.value}" started at line '
            f"{src.line_col(ctx.tok.start_pos)[0]}")


def _syntax_error(e: UnexpectedToken, toks: list[Token], tk: Tokenizer) -> ParseError:
    """A ParseError for the token Lark choked on, naming the construct left open when
    that explains the error (a missing `end` or closing bracket)."""
    src = tk.src
    tok = e.token
    if tok.type == "$END":
        real = [t for t in toks if t.type not in ("_SEP", "ROWSEP", "HSEP")]
        last = real[-1].end_pos if real else 0
        span = Span(src, last, last)
        open_ctx = [c for c in tk.stack if c.kind not in ("top", "macro") and c.tok is not None]
        if open_ctx:
            return ParseError(_closing_hint(open_ctx[-1], src), span)
        if real and real[-1].type in CONTINUE_AFTER:
            return ParseError(f"unexpected end of input after {_describe(real[-1], src.text)}", span)
        return ParseError("unexpected end of input", span)
    i = next((k for k, t in enumerate(toks) if t is tok), -1)
    ctx = tk.ctxs[i] if i >= 0 else None
    msg = f"unexpected {_describe(tok, src.text)}"
    if ctx is not None and ctx.kind not in ("top", "macro") and ctx.tok is not None:
        if tok.type in ("RPAR", "RBRACK", "RBRACE", "END"):
            if opener_text(ctx) != src.text[tok.start_pos:tok.end_pos]:
                msg += "; " + _closing_hint(ctx, src)
        elif tok.type in ("_SEP", "ROWSEP") and tok.value == "\n" and ctx.kind != "block":
            msg += "; " + _closing_hint(ctx, src)
    return ParseError(msg, Span(src, tok.start_pos, max(tok.end_pos, tok.start_pos + 1)))


def _run(toks: list[Token], start: str, tk: Tokenizer) -> Any:
    try:
        return _lark().parse(toks, start=start)
    except UnexpectedToken as e:
        raise _syntax_error(e, toks, tk) from None


def parse(text: str, filename: str = "<input>") -> S.Program:
    """Parse Arr source text into a `Program`; raises `ParseError` on any syntax error."""
    src = SourceFile(filename, text)
    try:
        with _LOCK:
            strings: dict[int, tuple] = {}
            _BUILDER.reset(src, strings)

            def interp(toks: list[Token], sub: Tokenizer) -> S.Node:
                return _run(toks, "interp", sub)

            try:
                tk = Tokenizer(src, strings, interp)
                toks = tk.run()
                prog = _run(toks, "program", tk)
                if _BUILDER.pending:        # e.g. `::T` outside a signature
                    node, err = min(_BUILDER.pending.values(), key=lambda p: p[0].span.start)
                    raise err
                return prog
            finally:
                _BUILDER.reset(src, {})     # do not keep this AST alive in the side tables
    except ParseError:
        raise
    except RecursionError:
        raise ParseError("expression nested too deeply", Span(src, 0, min(1, len(text)))) from None
    except Exception as e:                    # never let an internal error escape
        raise ParseError(f"syntax error ({type(e).__name__}: {e})",
                         Span(src, 0, min(1, len(text)))) from None


def parse_file(path: Union[str, os.PathLike]) -> S.Program:
    """Parse the file at `path` (UTF-8)."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        src = SourceFile(str(path), data.decode("utf-8", errors="replace"))
        raise ParseError(f"file is not valid UTF-8 ({e.reason})", Span(src, e.start, e.start + 1)) from None
    return parse(text, str(path))


def is_complete(text: str) -> bool:
    """For the REPL: False while `text` ends inside an open block, bracket, string or
    comment, or right after a binary operator or comma (more lines are needed); True
    otherwise, including when the input has a syntax error."""
    tk = Tokenizer(SourceFile("<repl>", text), {}, None)
    try:
        tk.run()
    except LexError as e:
        return not e.incomplete
    except Exception:
        return True
    if tk.mismatch:
        return True
    if any(c.kind not in ("top", "macro") for c in tk.stack):
        return False
    return not (tk.last_type in CONTINUE_AFTER and tk.last_type != "_SEP")
