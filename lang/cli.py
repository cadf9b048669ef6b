"""The plain REPL loop used until the prompt_toolkit REPL (repl/) replaces it."""
from __future__ import annotations

import sys


def plain_repl() -> int:
    from .session import Session
    from .source import ArrError
    from .parser import is_complete
    from .display import display_string
    s = Session()
    buf = ""
    while True:
        try:
            line = input("arr> " if not buf else "   > ")
        except EOFError:
            sys.stdout.write("\n")
            return 0
        except KeyboardInterrupt:
            sys.stdout.write("\n")
            buf = ""
            continue
        if not buf and line.startswith("?"):
            sys.stdout.write(help_text(s, line[1:].strip()) + "\n")
            continue
        buf += line + "\n"
        if not is_complete(buf):
            continue
        src, buf = buf, ""
        try:
            v = s.eval(src, "REPL")
            s.interp.globals["ans"] = v
            if v is not None and not src.rstrip().endswith(";"):
                sys.stdout.write(display_string(v) + "\n")
        except ArrError as e:
            sys.stdout.flush()
            sys.stderr.write(e.render() + "\n")
        except KeyboardInterrupt:
            sys.stderr.write("InterruptException\n")


def help_text(session, name: str) -> str:
    """What `?name` shows: the docstrings of a function or type, then its methods."""
    from . import dispatch
    from .interp import _is_type_value
    from .display import repr_string
    g = session.interp.globals
    if name not in g:
        return f"No documentation found: `{name}` is not defined."
    v = g[name]
    if isinstance(v, dispatch.GenericFunction):
        table = v
    elif _is_type_value(v):
        from . import types as T
        table = session.interp.ctor_tables.get(T.ctor_key(v))
    else:
        return f"`{name}` is a value: {repr_string(v)}"
    if table is None:
        return f"No documentation found for `{name}`."
    docs = [d.strip() for d in table.doc]
    text = "\n\n".join(docs) if docs else f"No documentation found for `{name}`."
    return text + "\n\n" + table.methods_text()
