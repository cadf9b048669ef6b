"""The rewrites of emitted modules (`lang/hlo_passes.py`): each one must show in the module
`@code_hlo` prints, and must leave every result as it was without it (`ARR_HLO_PASSES=0`)."""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("jax")

from lang import hlo_passes  # noqa: E402
from lang.hlo import Op  # noqa: E402
from lang.session import Session  # noqa: E402

# A recurrence differentiated through 12 unrolled steps: the adjoint of `c` is carried
# backwards through cheap elementwise operations, and W's adjoint is a sum of 12 products
# whose inner dimension is the batch (3).
RNN = """
function rnn_loss(W, U, xs)
    c = zeros(size(W, 1), size(xs, 2))
    h = zeros(size(W, 1), size(xs, 2))
    loss = 0.0
    for t in 1:size(xs, 3)
        g = W * xs[:, :, t] .+ U * h
        f = 1.0 ./ (1.0 .+ exp.(-g))
        c = f .* c .+ (1.0 .- f) .* g
        h = c .* f
        loss += sum(h .* h)
    end
    loss
end
function chain(x)
    y = x .* 0.5 .+ 1.0
    y = y .* 0.5 .+ 1.0
    y = y .* 0.5 .+ 1.0
    y = y .* 0.5 .+ 1.0
    y = y .* 0.5 .+ 1.0
    y .* 0.5 .+ 1.0
end
shared(x) = (y = chain(x); y .* y .- y)
"""
FENCE = '"stablehlo.gather"(%r'      # a fence: the gather of a renamed value


def data(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((6, 4)) * 0.3, rng.standard_normal((6, 6)) * 0.3,
            rng.standard_normal((4, 3, 12)))


def run(monkeypatch, capsys, passes: bool, call: str, *args) -> tuple[object, str]:
    """The value of `call` compiled, and the module `@code_hlo` shows for it."""
    monkeypatch.setenv("ARR_HLO_PASSES", "1" if passes else "0")
    s = Session()
    s.eval(RNN, "rnn.arr")
    for i, a in enumerate(args):
        s.interp.globals[f"a{i}"] = a
    capsys.readouterr()
    s.eval(f"@code_hlo {call}")
    module = capsys.readouterr().out
    value = s.eval(call)
    assert s.interp.jit.stats["compiled"] >= 1
    return value, module


def test_rnn_gradient_is_unchanged_by_the_rewrites(monkeypatch, capsys) -> None:
    W, U, xs = data()
    call = "gradient((W, U) -> rnn_loss(W, U, a2), a0, a1)"
    with_passes, module = run(monkeypatch, capsys, True, call, W, U, xs)
    without, plain = run(monkeypatch, capsys, False, call, W, U, xs)
    for g, h in zip(with_passes, without):
        np.testing.assert_allclose(g, h, rtol=1e-12, atol=1e-12)
    # W's adjoint: one product of the 12 concatenated factors, inner dimension 12 * 3
    assert "(tensor<6x36xf64>, tensor<36x4xf64>) -> tensor<6x4xf64>" in module
    assert "tensor<6x36xf64>" not in plain
    # shared values at the end of long chains of cheap operations are materialised
    assert FENCE in module and FENCE not in plain


def test_rnn_gradient_matches_central_differences(monkeypatch, capsys) -> None:
    W, U, xs = data(1)
    (gW, gU), _ = run(monkeypatch, capsys, True,
                      "gradient((W, U) -> rnn_loss(W, U, a2), a0, a1)", W, U, xs)

    def loss(W: np.ndarray) -> float:
        c = np.zeros((6, 3))
        h = np.zeros((6, 3))
        total = 0.0
        for t in range(12):
            g = W @ xs[:, :, t] + U @ h
            f = 1 / (1 + np.exp(-g))
            c = f * c + (1 - f) * g
            h = c * f
            total += np.sum(h * h)
        return total
    eps = 1e-6
    for i, j in [(0, 0), (2, 3), (5, 1)]:
        d = np.zeros_like(W)
        d[i, j] = eps
        assert gW[i, j] == pytest.approx((loss(W + d) - loss(W - d)) / (2 * eps), rel=1e-6)


def test_transposed_left_factor_is_materialised(monkeypatch, capsys) -> None:
    rng = np.random.default_rng(2)
    W, x = rng.standard_normal((5, 7)), rng.standard_normal((7, 4))
    call = "gradient(x -> sum(tanh.(a0 * x)), a1)"
    (g,), module = run(monkeypatch, capsys, True, call, W, x)
    expected = W.T @ (1 - np.tanh(W @ x) ** 2)
    np.testing.assert_allclose(g, expected, rtol=1e-12)
    assert FENCE in module


def test_a_chain_with_one_user_is_left_to_fuse(monkeypatch, capsys) -> None:
    """Only shared values are fenced: a chain used once is fused whole, as XLA would."""
    x = np.arange(4.0)
    v, module = run(monkeypatch, capsys, True, "chain(a0)", x)
    assert FENCE not in module
    y = x
    for _ in range(6):
        y = y * 0.5 + 1.0
    np.testing.assert_allclose(v, y)
    v, module = run(monkeypatch, capsys, True, "shared(a0)", x)
    assert FENCE in module
    np.testing.assert_allclose(v, y * y - y)


def op(res, name, operands, rtype="tensor<4x4xf32>", types=None, attrs=""):
    return Op(res, name, tuple(operands), tuple(types or [rtype] * len(operands)), rtype,
              attrs)


def test_fences_pick_shared_long_chains_only() -> None:
    ops = [op("%v1", "stablehlo.add", ["%a", "%b"])]
    for i in range(2, 12):
        ops.append(op(f"%v{i}", "stablehlo.multiply", [f"%v{i - 1}", "%a"]))
    ops += [op("%u1", "stablehlo.exponential", ["%v11"]), op("%u2", "stablehlo.log", ["%v11"]),
            op("%u3", "stablehlo.exponential", ["%v3"]), op("%u4", "stablehlo.log", ["%v3"])]
    users = {}
    for o in ops:
        for v in set(o.operands):
            users[v] = users.get(v, 0) + 1
    # %v11 has 11 cheap operations behind it and two users; %v3 has two users but 3
    assert hlo_passes.fences(ops, users, {}) == {"%v11": "tensor<4x4xf32>"}


def test_small_products_of_other_shapes_stay_apart() -> None:
    mm = hlo_passes.MATMUL
    t1, t2 = "tensor<4x2xf32>", "tensor<2x4xf32>"
    ops = [op("%d1", "stablehlo.dot_general", ["%a", "%b"], types=[t1, t2], attrs=mm),
           op("%d2", "stablehlo.dot_general", ["%c", "%d"], types=[t1, t2], attrs=mm),
           op("%d3", "stablehlo.dot_general", ["%e", "%f"], types=["tensor<4x100xf32>",
                                                                  "tensor<100x4xf32>"], attrs=mm),
           op("%s1", "stablehlo.add", ["%d1", "%d2"]), op("%s2", "stablehlo.add", ["%s1", "%d3"]),
           op(None, "func.return", ["%s2"], rtype="")]
    users, user = {}, {}
    for o in ops:
        for v in set(o.operands):
            users[v] = users.get(v, 0) + 1
            user[v] = o
    plans = hlo_passes.batched_products(ops, users, user)
    assert list(plans) == ["%s2"]
    text = "\n".join(plans["%s2"])
    assert '"stablehlo.concatenate"(%a, %c) {dimension = 1 : i64}' in text
    assert '"stablehlo.concatenate"(%b, %d) {dimension = 0 : i64}' in text
    assert "%e" not in text.split("\n")[0] and text.split("\n")[-1].startswith("%s2 = ")
    assert "%d3" in text        # the product with the large inner dimension is added as is
