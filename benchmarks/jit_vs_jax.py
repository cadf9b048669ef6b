"""Arr's compiled code against `jax.jit`, side by side in one process.

    python benchmarks/jit_vs_jax.py [--repeats 7]

Workloads (issue 3):
1. per-call overhead of a tiny compiled function (`x + 1.0` on a Float64);
2. an MLP forward pass, 784-256-256-10, batch 128, Float32 (batch last, as in Flux);
3. time from source to a ready executable for that MLP: Arr parses, lowers, stages and
   compiles new source in a running session; JAX traces, lowers and compiles a new
   function.  Arr's time is split into its own front end
   and XLA's compile.

Each figure is the median of several runs, Arr and JAX timed in alternating rounds (each
going first half of the time); the ratio Arr/JAX is printed for each (lower is better for
Arr).  The machine is shared: compare the ratios, not the absolute times.  Arr's calls
return host values (a Python Float64, a numpy array), JAX's device arrays; the tiny call
is also compared with JAX's result fetched to the host.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

import numpy as np

MLP_SRC = """
function mlp(W1, b1, W2, b2, W3, b3, x)
    h1 = max.(W1 * x .+ b1, 0.0f0)
    h2 = max.(W2 * h1 .+ b2, 0.0f0)
    W3 * h2 .+ b3
end
"""


def timeit(fn, number: int, repeats: int) -> float:
    """Median seconds per call over `repeats` runs of `number` calls."""
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        runs.append((time.perf_counter() - t0) / number)
    return statistics.median(runs)


def side_by_side(fa, fj, number: int, repeats: int) -> tuple[float, float]:
    """Median seconds per call of two functions, timed in alternating rounds, so that both
    see the same load on a shared machine."""
    a, j = [], []
    for k in range(repeats):
        if k % 2:           # each goes first half of the time
            j.append(timeit(fj, number, 1))
            a.append(timeit(fa, number, 1))
        else:
            a.append(timeit(fa, number, 1))
            j.append(timeit(fj, number, 1))
    return statistics.median(a), statistics.median(j)


def row(name: str, arr: float, jax_t: float, unit: str = "us") -> None:
    scale = 1e6 if unit == "us" else 1e3
    print(f"{name:<34} arr {arr * scale:10.2f} {unit}   jax {jax_t * scale:10.2f} {unit}   "
          f"arr/jax {arr / jax_t:6.2f}")


def main() -> None:
    os.environ["ARR_CACHE_DIR"] = tempfile.mkdtemp(prefix="arr-bench-")   # no stale entries
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=7)
    opts = ap.parse_args()
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    from lang.session import Session
    from lang.source import NO_SPAN

    s = Session()
    s.eval("tiny(x) = x + 1.0\n" + MLP_SRC, "bench.arr")
    interp = s.interp

    def arr_call(name: str, *args):
        f = interp.globals[name]
        return lambda: interp.invoke_value(f, list(args), None, NO_SPAN)

    # 1. per-call overhead
    a_tiny = arr_call("tiny", 1.0)
    a_tiny()
    j_tiny = jax.jit(lambda x: x + 1.0)
    x64 = np.float64(1.0)
    j_tiny(x64).block_until_ready()
    row("tiny call overhead", *side_by_side(a_tiny, lambda: j_tiny(x64).block_until_ready(),
                                            2000, opts.repeats))
    # Arr's call returns a host value (a Python Float64); the same for JAX:
    row("  ... jax result fetched to host", *side_by_side(a_tiny, lambda: np.asarray(j_tiny(x64)),
                                                          2000, opts.repeats))

    # 2. MLP forward
    rng = np.random.default_rng(0)
    shapes = [(256, 784), (256,), (256, 256), (256,), (10, 256), (10,)]
    params = [(rng.standard_normal(sh) * 0.05).astype(np.float32) for sh in shapes]
    x = rng.standard_normal((784, 128)).astype(np.float32)
    a_mlp = arr_call("mlp", *params, x)
    out_arr = a_mlp()

    def jmlp(W1, b1, W2, b2, W3, b3, x):
        h1 = jnp.maximum(W1 @ x + b1[:, None], 0.0)
        h2 = jnp.maximum(W2 @ h1 + b2[:, None], 0.0)
        return W3 @ h2 + b3[:, None]
    j_mlp = jax.jit(jmlp)
    out_jax = np.asarray(j_mlp(*params, x))
    assert np.allclose(out_arr, out_jax, rtol=1e-4, atol=1e-4), "the MLPs disagree"
    row("MLP forward 784-256-256-10 b128",
        *side_by_side(a_mlp, lambda: j_mlp(*params, x).block_until_ready(), 50, opts.repeats))

    # 3. source to ready executable
    from lang import dispatch, types as T
    from lang.jit import JIT
    from lang.runtime import get_runtime

    # Arr builds in one session, as a user defining a new model at the REPL does; each
    # build is new source (a fresh name), parsed, lowered, staged and compiled anew
    s2 = Session()
    names = iter(range(1, 10**6))

    def arr_build():
        name = f"mlp_{next(names)}"
        t0 = time.perf_counter()
        s2.eval(MLP_SRC.replace("function mlp(", f"function {name}("), "bench.arr")
        f = s2.interp.globals[name]
        m, env = dispatch.lookup(f, tuple(map(T.typeof, params + [x])))
        text = JIT(s2.interp).stage(m, env, params + [x])[0]
        t1 = time.perf_counter()
        # a unique comment defeats the executable caches: this measures a real compile
        get_runtime().compile(text + f"// build {time.perf_counter_ns()}\n")
        t2 = time.perf_counter()
        return t1 - t0, t2 - t1

    builds = iter(range(1, 10**6))

    def jax_build():
        # a unique (zero) term makes a module JAX's compilation caches have not seen
        k = float(next(builds))

        def fresh(*a):
            return jmlp(*a) + jnp.zeros((), jnp.float32) * k
        t0 = time.perf_counter()
        jax.jit(fresh).lower(*params, x).compile()
        return time.perf_counter() - t0
    # alternate the two, so that both see the same load on a shared machine
    fronts, xlas, jaxs = [], [], []
    for _ in range(opts.repeats):
        f_t, x_t = arr_build()
        fronts.append(f_t)
        xlas.append(x_t)
        jaxs.append(jax_build())
    arr_total = statistics.median([a + b for a, b in zip(fronts, xlas)])
    jax_total = statistics.median(jaxs)
    row("MLP source -> executable", arr_total, jax_total, "ms")
    print(f"  arr front end (parse, lower, stage) {statistics.median(fronts) * 1e3:.2f} ms, "
          f"XLA compile {statistics.median(xlas) * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
