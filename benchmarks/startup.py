"""Start-up time of `arr -e 'println(1 + 2)'` (the acceptance target is under 1 s).

Runs the command several times in fresh processes (after one warm-up run that fills the
stdlib cache) and prints the median, min and max wall time.

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


if __name__ == "__main__":
    main()
