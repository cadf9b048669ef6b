"""`arr` / `python -m lang`: run a file, a snippet, or start the REPL."""
from __future__ import annotations

import os
import sys
import threading


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    result = [1]
    done = threading.Event()

    def target() -> None:
        try:
            result[0] = _main(argv)
        finally:
            done.set()

    if not argv:
        # the REPL handles Ctrl-C even when started with SIGINT ignored (as a shell
        # starts background jobs), which would keep Python's own handler out
        import signal
        signal.signal(signal.SIGINT, signal.default_int_handler)
    # deep Arr recursion needs a deep Python stack; run on a thread that has one
    sys.setrecursionlimit(200000)
    threading.stack_size(512 * 1024 * 1024)
    t = threading.Thread(target=target, name="arr-main", daemon=True)
    t.start()
    # wait on an Event, not Thread.join: a join interrupted by Ctrl-C can leave the
    # thread marked as finished in CPython before 3.13
    while not done.is_set():
        try:
            done.wait(0.2)
        except KeyboardInterrupt:
            if argv:
                return 130          # Ctrl-C stops a script
            # in the REPL, Ctrl-C interrupts the running computation and keeps the session
            _interrupt(t)
    return result[0]


def _interrupt(t: threading.Thread) -> None:
    """Raise KeyboardInterrupt inside thread t (it is seen at t's next bytecode)."""
    import ctypes
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(t.ident),
                                               ctypes.py_object(KeyboardInterrupt))


def _main(argv: list[str]) -> int:
    from .source import ArrError
    try:
        if not argv:
            from .cli import plain_repl
            return plain_repl()
        if argv[0] == "-e":
            if len(argv) < 2:
                sys.stderr.write("arr: -e needs an argument\n")
                return 2
            from .session import Session
            s = Session(args=tuple(argv[2:]))
            s.eval(argv[1], "none")
            return 0
        if argv[0] in ("-h", "--help"):
            sys.stdout.write("usage: arr [FILE.arr [ARGS...] | -e CODE]\n")
            return 0
        from .session import Session
        s = Session(args=tuple(argv[1:]))
        try:
            s.include(argv[0])
        finally:
            _report_jit(s)
        return 0
    except BrokenPipeError:
        # `arr prog.arr | head`: the reader closed the pipe; stop quietly, as cat does
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0
    except ArrError as e:
        sys.stdout.flush()
        sys.stderr.write(e.render() + "\n")
        if os.environ.get("ARR_DEBUG") == "1":
            import traceback
            traceback.print_exception(e)
        return 1
    except BaseException as e:                 # `exit(code)` from Arr code ends the program
        from .session import ArrExit
        if isinstance(e, ArrExit):
            return e.code
        raise
    finally:
        sys.stdout.flush()


def _report_jit(s: object) -> None:
    """`ARR_JIT_STATS=1`: one line on stderr saying what was compiled (tests use it)."""
    if os.environ.get("ARR_JIT_STATS") != "1":
        return
    jit = getattr(s.interp, "jit", None)
    st = jit.stats if jit is not None else {"compiled": 0, "calls": 0, "interpreted": 0}
    rt = sys.modules.get("lang.runtime")
    rs = rt._RUNTIME.stats if rt is not None and rt._RUNTIME is not None else {}
    sys.stderr.write(f"jit-stats: compiled={st['compiled']} calls={st['calls']} "
                     f"interpreted={st['interpreted']} xla_compiles={rs.get('compiles', 0)} "
                     f"disk_hits={rs.get('disk_hits', 0)}\n")


if __name__ == "__main__":
    sys.exit(main())
