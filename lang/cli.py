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
        buf += line + "\n"
        if not is_complete(buf):
            continue
        src, buf = buf, ""
        try:
            v = s.eval(src, "REPL")
            if v is not None and not src.rstrip().endswith(";"):
                sys.stdout.write(display_string(v) + "\n")
        except ArrError as e:
            sys.stdout.flush()
            sys.stderr.write(e.render() + "\n")
        except KeyboardInterrupt:
            sys.stderr.write("InterruptException\n")
