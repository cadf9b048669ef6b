"""Train a small convolutional network, written in Arr, on scikit-learn's 8x8 digits.

    pip install scikit-learn && python examples/digits_cnn.py [--epochs 8]

The data comes from Python (scikit-learn ships the data set); the model, the loss, the
optimiser and the training loop (`train!`) are Arr's.  Each training step (loss,
gradient and Adam update) is one compiled XLA executable.  Prints the test accuracy.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

import lang

MODEL = """
seed!(0)
model = Chain(Conv((3, 3), 1 => 16, relu; pad=1), MaxPool((2, 2)),
              Conv((3, 3), 16 => 32, relu; pad=1), MaxPool((2, 2)),
              flatten, Dense(128 => 10))
loss(m, x, y) = logitcrossentropy(m(x), y)
batches(X, Y, n) = [(X[:, :, :, (i - 1) * n + 1:i * n], Y[:, (i - 1) * n + 1:i * n])
                    for i in 1:size(X, 4) ÷ n]
accuracy(m, X, labels) = sum(onecold(m(X), 0:9) .== labels) / length(labels)
"""


def load(seed: int = 0):
    """Images as (8, 8, 1, N) Float32 in [0, 1], one-hot labels (10, N); 80 / 20 split."""
    from sklearn.datasets import load_digits
    d = load_digits()
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(d.target))
    X = (d.images[order] / 16.0).astype(np.float32)            # (N, 8, 8)
    X = np.ascontiguousarray(np.transpose(X, (1, 2, 0))[:, :, None, :])
    labels = d.target[order].astype(np.int64)
    Y = np.eye(10, dtype=np.float32)[labels].T.copy()
    n = int(0.8 * len(labels))
    return (X[..., :n], Y[:, :n], labels[:n]), (X[..., n:], Y[:, n:], labels[n:])


def main(epochs: int = 8, batch: int = 64) -> float:
    (Xtr, Ytr, _), (Xte, _, lte) = load()
    s = lang.Session()
    s.eval(MODEL, "digits.arr")
    for k, v in dict(Xtr=Xtr, Ytr=Ytr, Xte=Xte, lte=lte, nb=batch, epochs=epochs).items():
        s.interp.globals[k] = v
    t0 = time.perf_counter()
    s.eval("trained, state = train!(loss, model, batches(Xtr, Ytr, nb), Adam(0.005); epochs=epochs)")
    seconds = time.perf_counter() - t0
    acc = s.eval("accuracy(trained, Xte, lte)")
    print(f"test accuracy {acc:.4f} after {epochs} epochs, {seconds:.1f} s of training "
          f"(compilation included)")
    return acc


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=8)
    main(ap.parse_args().epochs)
