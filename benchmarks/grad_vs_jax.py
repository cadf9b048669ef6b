"""Arr's compiled gradients against JAX's, side by side in one process.

    python benchmarks/grad_vs_jax.py [--repeats 7]

Workloads (issue 4), each the value and the gradient with respect to the parameters,
compiled into one executable on both sides:
1. an MLP train step, 784-256-256-10, ReLU, batch 128, Float32, mean squared error;
2. an LSTM language-model step: hidden 128, vocabulary 64, 32 steps, batch 16, Float32,
   cross-entropy of the next token (the loop is unrolled on both sides: a Python loop
   under `jax.jit`, a `for` over a constant range in Arr).

For each it prints the median time per call of Arr and of JAX (timed in alternating
rounds), their ratio, and, for each system, the cost of value+gradient over the forward
pass alone.  Arr returns host values (numpy arrays), JAX device arrays: the ratio is also
printed with JAX's results fetched to the host.  The machine is shared: compare the ratios, not the absolute times.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

import numpy as np

from jit_vs_jax import side_by_side

MLP_SRC = """
function mlp_loss(W1, b1, W2, b2, W3, b3, x, y)
    h1 = max.(W1 * x .+ b1, 0.0f0)
    h2 = max.(W2 * h1 .+ b2, 0.0f0)
    out = W3 * h2 .+ b3
    sum(abs2, out .- y) / size(x, 2)
end
mlp_step(W1, b1, W2, b2, W3, b3, x, y) =
    withgradient((W1, b1, W2, b2, W3, b3) -> mlp_loss(W1, b1, W2, b2, W3, b3, x, y),
                 W1, b1, W2, b2, W3, b3)
"""

LSTM_SRC = """
sigm(x) = one(x) / (one(x) + exp(-x))
function lstm_loss(Wx, Wh, b, Wy, by, xs, ys)
    H = size(Wh, 2)
    B = size(xs, 2)
    h = zeros(Float32, H, B)
    c = zeros(Float32, H, B)
    loss = 0.0f0
    for t in 1:size(xs, 3)
        g = Wx * xs[:, :, t] .+ Wh * h .+ b
        i = sigm.(g[1:H, :])
        f = sigm.(g[H+1:2H, :])
        o = sigm.(g[2H+1:3H, :])
        u = tanh.(g[3H+1:4H, :])
        c = f .* c .+ i .* u
        h = o .* tanh.(c)
        z = Wy * h .+ by
        logp = z .- log.(sum(exp.(z); dims=1))
        loss -= sum(ys[:, :, t] .* logp)
    end
    loss / B
end
lstm_step(Wx, Wh, b, Wy, by, xs, ys) =
    withgradient((Wx, Wh, b, Wy, by) -> lstm_loss(Wx, Wh, b, Wy, by, xs, ys), Wx, Wh, b, Wy, by)
"""


def jax_workloads():
    import jax
    import jax.numpy as jnp

    def mlp_loss(W1, b1, W2, b2, W3, b3, x, y):
        h1 = jnp.maximum(W1 @ x + b1[:, None], 0.0)
        h2 = jnp.maximum(W2 @ h1 + b2[:, None], 0.0)
        out = W3 @ h2 + b3[:, None]
        return jnp.sum((out - y) ** 2) / x.shape[1]

    def lstm_loss(Wx, Wh, b, Wy, by, xs, ys):
        H, B = Wh.shape[1], xs.shape[1]
        h = jnp.zeros((H, B), jnp.float32)
        c = jnp.zeros((H, B), jnp.float32)
        loss = jnp.float32(0)
        for t in range(xs.shape[2]):
            g = Wx @ xs[:, :, t] + Wh @ h + b[:, None]
            i = jax.nn.sigmoid(g[:H])
            f = jax.nn.sigmoid(g[H:2 * H])
            o = jax.nn.sigmoid(g[2 * H:3 * H])
            u = jnp.tanh(g[3 * H:])
            c = f * c + i * u
            h = o * jnp.tanh(c)
            z = Wy @ h + by[:, None]
            logp = z - jnp.log(jnp.sum(jnp.exp(z), axis=0, keepdims=True))
            loss = loss - jnp.sum(ys[:, :, t] * logp)
        return loss / B

    return {
        "mlp": (jax.jit(mlp_loss),
                jax.jit(jax.value_and_grad(mlp_loss, argnums=tuple(range(6))))),
        "lstm": (jax.jit(lstm_loss),
                 jax.jit(jax.value_and_grad(lstm_loss, argnums=tuple(range(5))))),
    }


def mlp_data(rng):
    shapes = [(256, 784), (256,), (256, 256), (256,), (10, 256), (10,)]
    params = [(rng.standard_normal(sh) * 0.05).astype(np.float32) for sh in shapes]
    x = rng.standard_normal((784, 128)).astype(np.float32)
    y = rng.standard_normal((10, 128)).astype(np.float32)
    return params, [x, y]


def lstm_data(rng, hidden=128, vocab=64, steps=32, batch=16):
    shapes = [(4 * hidden, vocab), (4 * hidden, hidden), (4 * hidden,), (vocab, hidden), (vocab,)]
    params = [(rng.standard_normal(sh) * 0.1).astype(np.float32) for sh in shapes]
    tokens = rng.integers(0, vocab, size=(batch, steps + 1))
    onehot = np.zeros((vocab, batch, steps + 1), np.float32)
    for bi in range(batch):
        onehot[tokens[bi], bi, np.arange(steps + 1)] = 1.0
    xs = np.ascontiguousarray(onehot[:, :, :steps])
    ys = np.ascontiguousarray(onehot[:, :, 1:])
    return params, [xs, ys]


def check(arr_out, jax_out, what: str) -> None:
    val, grads = arr_out["val"], arr_out["grad"]
    jval, jgrads = jax_out
    assert np.allclose(val, float(jval), rtol=1e-3), f"{what}: values disagree"
    for g, jg in zip(grads, jgrads):
        assert np.allclose(g, np.asarray(jg), rtol=2e-3, atol=2e-4), f"{what}: gradients disagree"


def main() -> None:
    os.environ["ARR_CACHE_DIR"] = tempfile.mkdtemp(prefix="arr-bench-")   # no stale entries
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--only", choices=("mlp", "lstm"), help="run one workload")
    opts = ap.parse_args()
    import jax
    jax.config.update("jax_enable_x64", True)
    from lang.session import Session
    from lang.source import NO_SPAN

    s = Session()
    s.eval(MLP_SRC + LSTM_SRC, "bench.arr")
    interp = s.interp

    def arr_call(name: str, *args):
        f = interp.globals[name]
        return lambda: interp.invoke_value(f, list(args), None, NO_SPAN)

    jw = jax_workloads()
    rng = np.random.default_rng(0)
    for name, data, number in (("mlp", mlp_data, 20), ("lstm", lstm_data, 10)):
        if opts.only and name != opts.only:
            continue
        params, inputs = data(rng)
        t0 = time.perf_counter()
        a_step = arr_call(f"{name}_step", *params, *inputs)
        out = a_step()
        a_build = time.perf_counter() - t0
        a_fwd = arr_call(f"{name}_loss", *params, *inputs)
        a_fwd()
        j_fwd, j_step = jw[name]
        t0 = time.perf_counter()
        jout = j_step(*params, *inputs)
        jax.block_until_ready(jout)
        j_build = time.perf_counter() - t0
        nt = out.values if hasattr(out, "values") else out
        check(dict(zip(out.names, nt)), jout, name)
        j_fwd(*params, *inputs).block_until_ready()
        ta, tj = side_by_side(a_step, lambda: jax.block_until_ready(j_step(*params, *inputs)),
                              number, opts.repeats)
        fa, fj = side_by_side(a_fwd, lambda: j_fwd(*params, *inputs).block_until_ready(),
                              number, opts.repeats)

        def j_host():
            v, g = j_step(*params, *inputs)
            return float(v), [np.asarray(x) for x in g]
        ta2, th = side_by_side(a_step, j_host, number, opts.repeats)
        print(f"{name + ' value+gradient':<24} arr {ta * 1e3:8.2f} ms   jax {tj * 1e3:8.2f} ms   "
              f"arr/jax {ta / tj:5.2f}")
        print(f"{'  jax results on host':<24} arr {ta2 * 1e3:8.2f} ms   jax {th * 1e3:8.2f} ms   "
              f"arr/jax {ta2 / th:5.2f}")
        print(f"{'  forward only':<24} arr {fa * 1e3:8.2f} ms   jax {fj * 1e3:8.2f} ms   "
              f"arr/jax {fa / fj:5.2f}")
        print(f"{'  gradient/forward':<24} arr {ta / fa:8.2f}      jax {tj / fj:8.2f}")
        print(f"{'  first call (build)':<24} arr {a_build:8.2f} s    jax {j_build:8.2f} s")


if __name__ == "__main__":
    main()
