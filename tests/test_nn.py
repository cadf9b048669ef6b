"""The NN library (stdlib/nn.arr, stdlib/optimise.arr) against JAX on random inputs:
values and gradients, interpreted and compiled."""
from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402
from jax.scipy.special import logsumexp as jlogsumexp  # noqa: E402

from lang.session import Session  # noqa: E402
from lang.source import ArrError  # noqa: E402

jax.config.update("jax_enable_x64", True)
MODES = pytest.mark.parametrize("jit", [False, True], ids=["interpreted", "jit"])


def modes(cases: list, interpreted: int = 1) -> list:
    """Each case compiled, and the first `interpreted` of them also interpreted (the
    interpreter runs the same Arr code; this keeps the suite's time in bounds)."""
    out = []
    for i, case in enumerate(cases):
        case = case if isinstance(case, tuple) else (case,)
        for jit in ([False, True] if i < interpreted else [True]):
            out.append(pytest.param(*case, jit, id=f"{case[0]}-{'jit' if jit else 'interpreted'}"))
    return out


def session(monkeypatch: pytest.MonkeyPatch, jit: bool, defs: str = "", **values) -> Session:
    monkeypatch.setenv("ARR_JIT", "1" if jit else "0")
    s = Session()
    for k, v in values.items():
        s.interp.globals[k] = v
    if defs:
        s.eval(defs)
    return s


def compiled_only(s: Session) -> None:
    """Nothing the session ran fell back to the interpreter."""
    jit = s.interp.jit
    assert jit is not None and jit.stats["compiled"] > 0
    assert [e.reason for e in jit.entries.values() if e.reason] == []


def check(s: Session, jit: bool, expr: str, want, rtol: float = 1e-10, atol: float = 1e-12):
    got = s.eval(expr)
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=rtol, atol=atol)
    else:
        np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=rtol, atol=atol)
    if jit:
        compiled_only(s)
    return got


RNG = np.random.default_rng(0)
X = RNG.standard_normal((5, 4)) * 3          # also large enough to saturate sigmoid/softplus
W = RNG.standard_normal((5, 4))

ACTIVATIONS = [
    ("relu", jax.nn.relu),
    ("sigmoid", jax.nn.sigmoid),
    ("σ", jax.nn.sigmoid),
    ("softplus", jax.nn.softplus),
    ("gelu", lambda x: jax.nn.gelu(x, approximate=True)),
    ("leakyrelu", lambda x: jax.nn.leaky_relu(x, 0.01)),
]


@pytest.mark.parametrize("name,ref,jit", modes(ACTIVATIONS, 2))
def test_activations_and_their_gradients(name, ref, jit, monkeypatch) -> None:
    s = session(monkeypatch, jit, f"act(x) = {name}.(x)\nloss(x) = sum(w .* {name}.(x))",
                x=X, w=W)
    check(s, jit, "act(x)", ref(X))
    check(s, jit, "gradient(loss, x)", (jax.grad(lambda x: jnp.sum(W * ref(x)))(X),))


def test_activations_in_float32_stay_float32(monkeypatch) -> None:
    s = session(monkeypatch, True, "f(x) = (relu.(x), sigmoid.(x), softplus.(x), gelu.(x))",
                x=X.astype(np.float32))
    for v in s.eval("f(x)"):
        assert v.dtype == np.float32


SOFTMAXES = [
    ("softmax(x; dims=1)", lambda x: jax.nn.softmax(x, axis=0)),
    ("softmax(x; dims=2)", lambda x: jax.nn.softmax(x, axis=1)),
    ("softmax(x)", lambda x: jax.nn.softmax(x, axis=0)),
    ("logsoftmax(x; dims=1)", lambda x: jax.nn.log_softmax(x, axis=0)),
    ("logsoftmax(x; dims=2)", lambda x: jax.nn.log_softmax(x, axis=1)),
    ("logsumexp(x; dims=1)", lambda x: jlogsumexp(x, axis=0, keepdims=True)),
    ("logsumexp(x; dims=2)", lambda x: jlogsumexp(x, axis=1, keepdims=True)),
]


@pytest.mark.parametrize("expr,ref,jit", modes(SOFTMAXES, 2))
def test_softmax_family(expr, ref, jit, monkeypatch) -> None:
    s = session(monkeypatch, jit, f"f(x) = {expr}\nloss(x) = sum(w[1:size(f(x), 1), 1:size(f(x), 2)] .* f(x))",
                x=X, w=W)
    check(s, jit, "f(x)", ref(X))
    shape = ref(X).shape
    check(s, jit, "gradient(loss, x)",
          (jax.grad(lambda x: jnp.sum(W[:shape[0], :shape[1]] * ref(x)))(X),))


@MODES
def test_logsumexp_of_everything_and_large_inputs(jit, monkeypatch) -> None:
    big = X * 300                      # exp would overflow without the shift
    s = session(monkeypatch, jit, "f(x) = logsumexp(x)\ng(x) = softmax(x)", x=X, big=big)
    check(s, jit, "f(x)", jlogsumexp(X))
    check(s, jit, "f(big)", jlogsumexp(big))
    check(s, jit, "gradient(f, x)", (jax.grad(jlogsumexp)(X),))
    assert np.all(np.isfinite(s.eval("g(big)")))


def _crossentropy(p, y):
    return -jnp.sum(y * jnp.log(p + np.finfo(np.float64).eps)) / y.shape[1]


LOSSES = [
    ("mse(x, y)", lambda x, y: jnp.mean((x - y) ** 2)),
    ("crossentropy(softmax(x), y)", lambda x, y: _crossentropy(jax.nn.softmax(x, axis=0), y)),
    ("logitcrossentropy(x, y)",
     lambda x, y: -jnp.sum(y * jax.nn.log_softmax(x, axis=0)) / y.shape[1]),
]


@pytest.mark.parametrize("expr,ref,jit", modes(LOSSES, 3))
def test_losses(expr, ref, jit, monkeypatch) -> None:
    labels = RNG.integers(0, 5, size=4)
    Y = np.eye(5)[labels].T
    s = session(monkeypatch, jit, f"loss(x, y) = {expr}", x=X, y=Y)
    check(s, jit, "loss(x, y)", ref(X, Y))
    check(s, jit, "gradient(x -> loss(x, y), x)", (jax.grad(ref)(X, Y),))


def test_onehot_encoding(monkeypatch) -> None:
    s = session(monkeypatch, False)
    assert s.eval("onehot(:b, [:a, :b, :c])").tolist() == [False, True, False]
    assert s.eval("onehotbatch([3, 1, 3], 1:4)").tolist() == [
        [False, True, False], [False, False, False], [True, False, True], [False, False, False]]
    assert s.eval("onecold(onehotbatch([3, 1, 2], 1:4))") .tolist() == [3, 1, 2]
    assert s.eval("onecold([0.1, 0.7, 0.2], [:a, :b, :c])").name == "b"
    # one-hot targets work in float arithmetic
    assert s.eval("logitcrossentropy([1.0 2.0; 3.0 4.0], onehotbatch([1, 2], 1:2))") > 0
    with pytest.raises(ArrError, match="ArgumentError: value 7 is not among the labels"):
        s.eval("onehot(7, 1:3)")


@MODES
def test_dense_and_chain_forward_and_gradient(jit, monkeypatch) -> None:
    W1, b1 = RNG.standard_normal((6, 5)), RNG.standard_normal(6)
    W2, b2 = RNG.standard_normal((3, 6)), RNG.standard_normal(3)
    s = session(monkeypatch, jit, """
model = Chain(Dense(W1, b1, tanh), Dense(W2, b2))
loss(m, x) = sum(abs2, m(x))
""", W1=W1, b1=b1, W2=W2, b2=b2, x=X)

    def forward(W1, b1, W2, b2, x):
        return W2 @ jnp.tanh(W1 @ x + b1[:, None]) + b2[:, None]
    check(s, jit, "model(x)", forward(W1, b1, W2, b2, X))
    grads = jax.grad(lambda *p: jnp.sum(forward(*p, X) ** 2), argnums=(0, 1, 2, 3))(W1, b1, W2, b2)
    g = s.eval("gradient(m -> loss(m, x), model)")[0]
    layers = g.values[0]
    for (gW, gb), (rW, rb) in zip([(l.values[0], l.values[1]) for l in layers],
                                  [grads[:2], grads[2:]]):
        np.testing.assert_allclose(gW, rW, rtol=1e-10)
        np.testing.assert_allclose(gb, rb, rtol=1e-10)
    assert layers[0].values[2] is None          # the activation function has no gradient
    if jit:
        compiled_only(s)


def test_dense_constructors(monkeypatch) -> None:
    s = session(monkeypatch, False, "seed!(0)")
    assert s.eval("size(Dense(3 => 5).weight)") == (5, 3)
    assert s.eval("Dense(3 => 5).bias").tolist() == [0.0] * 5
    assert s.eval("eltype(Dense(3 => 5).weight) == Float32")
    assert s.eval("Dense(3 => 5; bias=false).bias") is False
    assert s.eval("Dense([1.0 2.0], false)([1.0, 1.0])").tolist() == [3.0]
    assert s.eval("Dense([1.0 2.0])([1.0, 1.0])").tolist() == [3.0]
    assert s.eval("Dense([1.0 2.0], [1.0], relu)([-1.0, -1.0])").tolist() == [0.0]
    assert s.eval("Dense(2 => 2, relu).σ === relu")
    assert s.eval("size(flatten(zeros(2, 3, 4, 5)))") == (24, 5)


def test_glorot_initialisers_have_the_right_scale(monkeypatch) -> None:
    s = session(monkeypatch, False, "seed!(3)")
    u = s.eval("glorot_uniform(200, 300)")
    bound = np.sqrt(6 / 500)
    assert u.dtype == np.float32 and u.shape == (200, 300)
    assert np.abs(u).max() <= bound and np.abs(u).max() > 0.95 * bound
    n = s.eval("glorot_normal(200, 300)")
    assert n.std() == pytest.approx(np.sqrt(2 / 500), rel=0.02)
    k = s.eval("glorot_uniform(3, 3, 4, 8)")     # a convolution kernel: fans 36 and 72
    assert np.abs(k).max() <= np.sqrt(6 / 108)


OPT = """
model = Chain(Dense(W, b, tanh))
loss(m, x) = sum(abs2, m(x))
function step(opt, n)
    st = setup(opt, model)
    m = model
    for i in 1:n
        g = gradient(m -> loss(m, x), m)[1]
        st, m = update(st, m, g)
    end
    m, st
end
"""


def _reference_steps(rule: str, W, b, x, n):
    """The same steps in numpy (Optimisers.jl's formulas)."""
    def grads(W, b):
        return jax.grad(lambda W, b: jnp.sum(jnp.tanh(W @ x + b[:, None]) ** 2), (0, 1))(W, b)
    p = [W, b]
    state = [dict(v=np.zeros_like(q), m=np.zeros_like(q), bt=(0.9, 0.999)) for q in p]
    for _ in range(n):
        g = [np.asarray(t) for t in grads(*p)]
        for k in range(2):
            st = state[k]
            if rule == "descent":
                p[k] = p[k] - 0.1 * g[k]
            elif rule == "momentum":
                st["v"] = 0.9 * st["v"] + 0.01 * g[k]
                p[k] = p[k] - st["v"]
            else:
                st["m"] = 0.9 * st["m"] + 0.1 * g[k]
                st["v"] = 0.999 * st["v"] + 0.001 * g[k] ** 2
                b1, b2 = st["bt"]
                p[k] = p[k] - (st["m"] / (1 - b1)) / (np.sqrt(st["v"] / (1 - b2)) + 1e-8) * 0.001
                st["bt"] = (b1 * 0.9, b2 * 0.999)
    return p


@pytest.mark.parametrize("rule,ctor,jit", modes([("descent", "Descent()"), ("momentum", "Momentum()"),
                                                  ("adam", "Adam()")], 1))
def test_optimisers_match_their_formulas(rule, ctor, jit, monkeypatch) -> None:
    Wm, bm = RNG.standard_normal((3, 5)) * 0.5, RNG.standard_normal(3) * 0.5
    s = session(monkeypatch, jit, OPT, W=Wm, b=bm, x=X)
    m, st = s.eval(f"step({ctor}, 3)")
    d = m.fields[0][0]
    want = _reference_steps(rule, Wm, bm, X, 3)
    np.testing.assert_allclose(d.fields[0], want[0], rtol=1e-10)
    np.testing.assert_allclose(d.fields[1], want[1], rtol=1e-10)
    # the state after the steps has the type setup gave it
    assert s.eval(f"typeof(step({ctor}, 2)[2]) == typeof(setup({ctor}, model))")
    if jit:
        compiled_only(s)


def test_update_leaves_parts_without_gradients_alone(monkeypatch) -> None:
    s = session(monkeypatch, False, """
struct Scaled
    layer
    scale::Float64
    frozen::Vector{Int64}
end
(s::Scaled)(x) = s.scale .* s.layer(x)
m = Scaled(Dense([1.0 2.0], [0.5]), 2.0, [1, 2])
st = setup(Descent(0.5), m)
g = gradient(m -> sum(m([1.0, 1.0])), m)[1]
st2, m2 = update(st, m, g)
""")
    assert s.eval("st.frozen === nothing && st.scale === nothing")
    assert s.eval("m2.frozen == [1, 2] && m2.scale == 2.0")
    # d/dW sum(2 * (W x + b)) = 2 x' ; W - 0.5 * 2 * [1 1]
    assert s.eval("m2.layer.weight").tolist() == [[0.0, 1.0]]
    assert s.eval("m2.layer.bias").tolist() == [-0.5]


def test_train_reduces_the_loss_and_reports_progress(monkeypatch, capsys) -> None:
    s = session(monkeypatch, True, """
seed!(4)
model = Chain(Dense(2 => 16, tanh), Dense(16 => 1))
xs = rand(Float32, 2, 64)
ys = reshape(xs[1, :] .* xs[2, :], 1, 64)
loss(m, x, y) = mse(m(x), y)
data = [(xs, ys) for i in 1:25]
""")
    before = s.eval("loss(model, xs, ys)")
    m, st = s.eval("train!(loss, model, data, Adam(0.01); epochs=4)")
    s.interp.globals["trained"] = m
    after = s.eval("loss(trained, xs, ys)")
    assert after < before / 4
    out = capsys.readouterr().out
    lines = out.strip().split("\n")
    assert len(lines) == 4                      # not a terminal: one line per epoch
    assert lines[-1].startswith("epoch 4/4 ") and "25/25" in lines[-1]
    assert "loss" in lines[-1] and "steps/s" in lines[-1]
    assert s.eval("typeof(trained) == typeof(model)")


# ---------------------------------------------------------------- convolution and pooling
def _conv_ref(x, w, stride=(1, 1), pad=(0, 0)):
    """JAX's convolution on Arr's layouts: x (W, H, C, N), w (kw, kh, cin, cout)."""
    return jax.lax.conv_general_dilated(x, w, stride, [(pad[0], pad[0]), (pad[1], pad[1])],
                                        dimension_numbers=("WHCN", "WHIO", "WHCN"))


CONVS = [
    ("conv(x, w)", {}),
    ("conv(x, w; stride=2)", dict(stride=(2, 2))),
    ("conv(x, w; pad=1)", dict(pad=(1, 1))),
    ("conv(x, w; pad=(2, 1), stride=(1, 3))", dict(pad=(2, 1), stride=(1, 3))),
]


@pytest.mark.parametrize("expr,kw,jit", modes(CONVS, 1))
def test_conv_matches_jax(expr, kw, jit, monkeypatch) -> None:
    x = RNG.standard_normal((9, 8, 3, 2))
    w = RNG.standard_normal((3, 2, 3, 4))
    s = session(monkeypatch, jit, f"f(x, w) = {expr}\nloss(x, w) = sum(abs2, f(x, w))",
                x=x, w=w)
    want = _conv_ref(x, w, **kw)
    check(s, jit, "f(x, w)", want)
    check(s, jit, "gradient(loss, x, w)",
          jax.grad(lambda x, w: jnp.sum(_conv_ref(x, w, **kw) ** 2), (0, 1))(x, w))


def _pool_ref(x, op, k, stride, pad):
    init, fn = (-jnp.inf, jax.lax.max) if op == "max" else (0.0, jax.lax.add)
    xp = jnp.pad(x, [(pad[0], pad[0]), (pad[1], pad[1]), (0, 0), (0, 0)])
    y = jax.lax.reduce_window(xp, init, fn, k + (1, 1), stride + (1, 1), "VALID")
    return y if op == "max" else y / (k[0] * k[1])


POOLS = [
    ("maxpool(x, (2, 2))", "max", (2, 2), (2, 2), (0, 0)),
    ("maxpool(x, (3, 2); stride=1)", "max", (3, 2), (1, 1), (0, 0)),
    ("meanpool(x, (2, 2))", "mean", (2, 2), (2, 2), (0, 0)),
    ("meanpool(x, (2, 3); stride=(1, 2), pad=1)", "mean", (2, 3), (1, 2), (1, 1)),
    ("MaxPool((2, 2))(x)", "max", (2, 2), (2, 2), (0, 0)),
    ("MeanPool((3, 3); stride=2)(x)", "mean", (3, 3), (2, 2), (0, 0)),
]


@pytest.mark.parametrize("expr,op,k,stride,pad,jit", modes(POOLS, 1))
def test_pools_match_jax(expr, op, k, stride, pad, jit, monkeypatch) -> None:
    x = RNG.standard_normal((8, 7, 3, 2))
    s = session(monkeypatch, jit, f"f(x) = {expr}\nloss(x) = sum(abs2, f(x))", x=x)
    check(s, jit, "f(x)", _pool_ref(x, op, k, stride, pad))
    check(s, jit, "gradient(loss, x)",
          (jax.grad(lambda x: jnp.sum(_pool_ref(x, op, k, stride, pad) ** 2))(x),))


@MODES
def test_a_small_cnn_forward_and_gradient(jit, monkeypatch) -> None:
    x = RNG.standard_normal((8, 8, 1, 3))
    w1, b1 = RNG.standard_normal((3, 3, 1, 4)) * 0.5, RNG.standard_normal(4)
    Wd, bd = RNG.standard_normal((10, 36)) * 0.3, RNG.standard_normal(10)
    y = np.eye(10)[[1, 5, 7]].T
    s = session(monkeypatch, jit, """
model = Chain(Conv(w1, b1, relu; pad=1, stride=1), MaxPool((2, 2)), MeanPool((2, 2); stride=1),
              flatten, Dense(Wd, bd))
loss(m, x, y) = logitcrossentropy(m(x), y)
""", x=x, y=y, w1=w1, b1=b1, Wd=Wd, bd=bd)

    def forward(w1, b1, Wd, bd):
        h = jax.nn.relu(_conv_ref(x, w1, pad=(1, 1)) + b1[None, None, :, None])
        h = _pool_ref(_pool_ref(h, "max", (2, 2), (2, 2), (0, 0)), "mean", (2, 2), (1, 1), (0, 0))
        # flatten is row-major in Arr (reshape follows NumPy)
        return Wd @ h.reshape(-1, h.shape[3]) + bd[:, None]

    def loss(*p):
        return -jnp.sum(y * jax.nn.log_softmax(forward(*p), axis=0)) / 3
    check(s, jit, "model(x)", forward(w1, b1, Wd, bd))
    g = s.eval("gradient(m -> loss(m, x, y), model)")[0].values[0]
    want = jax.grad(loss, (0, 1, 2, 3))(w1, b1, Wd, bd)
    conv_g, dense_g = g[0].values, g[4].values
    for got, ref in zip((conv_g[0], conv_g[1], dense_g[0], dense_g[1]), want):
        np.testing.assert_allclose(got, ref, rtol=1e-9, atol=1e-12)
    assert g[1] is None and g[2] is None and g[3] is None     # pools and flatten: no weights
    if jit:
        compiled_only(s)


def test_conv_layer_constructor_and_errors(monkeypatch) -> None:
    s = session(monkeypatch, False, "seed!(1)\nc = Conv((3, 3), 2 => 5, relu; pad=1, stride=2)")
    assert s.eval("size(c.weight)") == (3, 3, 2, 5)
    assert s.eval("c.bias").tolist() == [0.0] * 5 and s.eval("eltype(c.bias) == Float32")
    assert s.eval("c.stride == (2, 2) && c.pad == (1, 1)")
    assert s.eval("size(c(rand(Float32, 8, 8, 2, 3)))") == (4, 4, 5, 3)
    with pytest.raises(ArrError, match="DimensionMismatch: conv: the input has 3 channels, "
                                       "the kernel 2"):
        s.eval("c(rand(Float32, 8, 8, 3, 1))")


@pytest.mark.slow
def test_a_cnn_learns_the_digits() -> None:
    """Issue 5's acceptance: a small CNN trained with train! and Adam on scikit-learn's
    8x8 digits reaches 95 % test accuracy (in about 8 s here: examples/digits_cnn.py)."""
    pytest.importorskip("sklearn")
    import importlib.util
    from pathlib import Path
    path = Path(__file__).resolve().parent.parent / "examples" / "digits_cnn.py"
    spec = importlib.util.spec_from_file_location("digits_cnn", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.main(epochs=8) >= 0.95
