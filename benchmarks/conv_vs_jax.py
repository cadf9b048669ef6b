"""Arr's convolutions against JAX's, side by side in one process.

    python benchmarks/conv_vs_jax.py [--repeats 5] [--batch 8]

Workload (issue 5): a VGG11-style network on 32x32x3 Float32 images (eight 3x3
convolutions with padding 1 and ReLU, five 2x2 max-pools, a Dense layer to 10 classes),
forward, and forward + backward (the loss and its gradient with respect to every weight).
JAX runs the same network twice: with its native convolution (`lax.conv_general_dilated`)
and written as patch extraction plus one matrix product, as Arr's `conv` is on the CPU.
Prints the median time per call of each and the ratios.  The machine is shared: compare
the ratios, not the absolute times.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time

import numpy as np

from jit_vs_jax import side_by_side

CHANNELS = [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"]

ARR_SRC = """
function vgg_forward(ws, bs, Wd, bd, x)
    h = x
    k = 1
    for c in CHANNELS
        if c == 0
            h = maxpool(h, (2, 2))
        else
            h = relu.(conv(h, ws[k]; pad=1) .+ reshape(bs[k], 1, 1, length(bs[k]), 1))
            k += 1
        end
    end
    Wd * reshape(h, :, size(h, 4)) .+ bd
end
vgg_loss(ws, bs, Wd, bd, x, y) = logitcrossentropy(vgg_forward(ws, bs, Wd, bd, x), y)
vgg_grad(ws, bs, Wd, bd, x, y) =
    withgradient((ws, bs, Wd, bd) -> vgg_loss(ws, bs, Wd, bd, x, y), ws, bs, Wd, bd)
"""


def params(rng, batch):
    ws, bs, cin = [], [], 3
    for c in CHANNELS:
        if c == "M":
            continue
        ws.append((rng.standard_normal((3, 3, cin, c)) * np.sqrt(2 / (9 * cin))).astype(np.float32))
        bs.append(np.zeros(c, np.float32))
        cin = c
    Wd = (rng.standard_normal((10, 512)) * 0.05).astype(np.float32)
    bd = np.zeros(10, np.float32)
    x = rng.standard_normal((32, 32, 3, batch)).astype(np.float32)
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, batch)].T.copy()
    return tuple(ws), tuple(bs), Wd, bd, x, y


def jax_versions():
    import jax
    import jax.numpy as jnp

    def conv_native(h, w):      # h (W, H, C, N), w (kw, kh, cin, cout)
        return jax.lax.conv_general_dilated(h, w, (1, 1), [(1, 1), (1, 1)],
                                            dimension_numbers=("WHCN", "WHIO", "WHCN"))

    def conv_patches(h, w):
        hp = jnp.pad(h, [(1, 1), (1, 1), (0, 0), (0, 0)])
        W, H = h.shape[0], h.shape[1]
        cols = [hp[i:i + W, j:j + H] for i in range(3) for j in range(3)]
        p = jnp.concatenate(cols, axis=2)                 # (W, H, 9C, N)
        return jnp.einsum("whkn,ko->whon", p, w.reshape(-1, w.shape[-1]))

    def forward(conv, ws, bs, Wd, bd, x):
        h, k = x, 0
        for c in CHANNELS:
            if c == "M":
                h = jax.lax.reduce_window(h, -jnp.inf, jax.lax.max, (2, 2, 1, 1), (2, 2, 1, 1),
                                          "VALID")
            else:
                h = jax.nn.relu(conv(h, ws[k]) + bs[k][None, None, :, None])
                k += 1
        return Wd @ h.reshape(-1, h.shape[3]) + bd[:, None]

    def loss(conv, ws, bs, Wd, bd, x, y):
        return -jnp.sum(y * jax.nn.log_softmax(forward(conv, ws, bs, Wd, bd, x), axis=0)) / y.shape[1]

    out = {}
    for name, conv in (("native", conv_native), ("patches", conv_patches)):
        out[name] = (jax.jit(lambda *a, conv=conv: forward(conv, *a[:5])),
                     jax.jit(jax.value_and_grad(lambda *a, conv=conv: loss(conv, *a),
                                                argnums=(0, 1, 2, 3))))
    return out


def main() -> None:
    os.environ["ARR_CACHE_DIR"] = tempfile.mkdtemp(prefix="arr-bench-")
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--batch", type=int, default=8)
    opts = ap.parse_args()
    import jax
    jax.config.update("jax_enable_x64", True)
    from lang.session import Session
    from lang.source import NO_SPAN

    s = Session()
    chans = "(" + ", ".join("0" if c == "M" else str(c) for c in CHANNELS) + ")"
    s.eval(ARR_SRC.replace("CHANNELS", chans), "vgg.arr")
    interp = s.interp
    ws, bs, Wd, bd, x, y = params(np.random.default_rng(0), opts.batch)

    def arr(name, *args):
        f = interp.globals[name]
        return lambda: interp.invoke_value(f, list(args), None, NO_SPAN)

    a_fwd = arr("vgg_forward", ws, bs, Wd, bd, x)
    a_grad = arr("vgg_grad", ws, bs, Wd, bd, x, y)
    t0 = time.perf_counter()
    out = a_fwd()
    print(f"arr build forward {time.perf_counter() - t0:.2f} s")
    t0 = time.perf_counter()
    g = a_grad()
    print(f"arr build gradient {time.perf_counter() - t0:.2f} s")
    jv = jax_versions()
    ref = np.asarray(jv["native"][0](ws, bs, Wd, bd, x))
    assert np.allclose(out, ref, rtol=1e-3, atol=1e-3), "forward passes disagree"
    jval, jgrads = jv["native"][1](ws, bs, Wd, bd, x, y)
    assert np.allclose(g.values[0], float(jval), rtol=1e-3), "losses disagree"
    assert np.allclose(g.values[1][2], np.asarray(jgrads[2]), rtol=1e-2, atol=1e-4), \
        "gradients disagree"
    for what, af, args in (("forward", a_fwd, (ws, bs, Wd, bd, x)),
                           ("forward+backward", a_grad, (ws, bs, Wd, bd, x, y))):
        k = 0 if what == "forward" else 1
        times = {}
        for name in ("native", "patches"):
            fj = jv[name][k]
            jax.block_until_ready(fj(*args))
            ta, tj = side_by_side(af, lambda: jax.block_until_ready(fj(*args)), 3, opts.repeats)
            times[name] = (ta, tj)
        ta = min(t[0] for t in times.values())
        print(f"{what:<18} arr {ta * 1e3:8.2f} ms   jax native {times['native'][1] * 1e3:8.2f} ms "
              f"(arr/jax {times['native'][0] / times['native'][1]:5.2f})   jax patches "
              f"{times['patches'][1] * 1e3:8.2f} ms (arr/jax {times['patches'][0] / times['patches'][1]:5.2f})")


if __name__ == "__main__":
    main()
