"""Start-up time of `arr -e 'println(1 + 2)'` (the acceptance target is under 1 s), and
the parser's speed on the whole standard library.

Runs the command several times in fresh processes (after one warm-up run that fills the
stdlib cache) and prints the median, min and max wall time; then parses the stdlib's
sources (no cache) several times in this process and prints the median.

    python benchmarks/startup.py [N]
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    cmd = [sys.executable, "-m", "lang", "-e", "println(1 + 2)"]
    subprocess.run(cmd, check=True, capture_output=True)          # warm the stdlib cache
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        out = subprocess.run(cmd, check=True, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        assert out.stdout == "3\n", out.stdout
    print(f"arr -e 'println(1 + 2)': median {statistics.median(times):.3f} s "
          f"(min {min(times):.3f}, max {max(times):.3f}, {n} runs)")

    from pathlib import Path
    from lang.parser import parse
    sources = [(str(p), p.read_text()) for p in
               sorted((Path(__file__).resolve().parent.parent / "stdlib").glob("*.arr"))]
    lines = sum(text.count("\n") for _, text in sources)
    parse("x = 1", "<warm-up>")                       # build (or load) the parser tables
    ptimes = []
    for _ in range(n):
        t0 = time.perf_counter()
        for name, text in sources:
            parse(text, name)
        ptimes.append(time.perf_counter() - t0)
    print(f"parsing the stdlib ({lines} lines): median {statistics.median(ptimes):.3f} s "
          f"(min {min(ptimes):.3f}, max {max(ptimes):.3f}, {n} runs)")


if __name__ == "__main__":
    main()
