"""Second derivatives (lang/ad_higher.py): forward mode over reverse mode.

`hessian`, the derivative of a gradient, the gradient of a gradient and the gradient of a
`derivative`, on every program of the first-order table (tests/test_ad.py) whose first
argument is a float or a float array, against central differences of the gradient, and
on a few functions against jax.hessian.  Interpreted and with the JIT on (the second-order
calls run interpreted there; the calls they make without derivatives compile).
"""
from __future__ import annotations

import numpy as np
import pytest

from lang.source import ArrError

# slow: run by CI and by `python -m pytest -q -m slow` (README)
pytestmark = pytest.mark.slow

from test_ad import NEWTON, PROGRAMS, close, session

# programs whose gradient is not differentiable at the test point, or flat there
_KINKED = ("f(x) = max(x, 1.0) + min(x, 3.0) + abs(x - 2.0)",)


def _first_float(s, args: str):
    base = s.eval(f"({args},)")
    x = base[0]
    if isinstance(x, float) or (isinstance(x, np.ndarray) and x.dtype == np.float64):
        return base
    return None


SECOND = [p for p in PROGRAMS if p[0] not in _KINKED]


def _setup(s, defs: str, name: str, args: str):
    s.eval(defs)
    base = _first_float(s, args)
    if base is None:
        return None
    s.interp.globals["_rest"] = tuple(base[1:])
    s.eval(f"_grad1(z) = gradient({name}, z, _rest...)[1]")
    return base


@pytest.mark.parametrize("jit", [False, True], ids=["interpreted", "jit"])
@pytest.mark.parametrize("defs,name,args", SECOND, ids=[p[0].split("\n")[0][:40] for p in SECOND])
def test_second_order_matches_differences_of_the_gradient(defs: str, name: str, args: str,
                                                          jit: bool,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """H v three ways (forward over reverse; gradient of gradient; for a real argument,
    the gradient of `derivative`), against (g(x + hv) - g(x - hv)) / 2h."""
    s = session(jit, monkeypatch)
    base = _setup(s, defs, name, args)
    if base is None:
        pytest.skip("the first argument is not a float")
    x = base[0]
    rng = np.random.default_rng(len(defs))
    v = 1.0 if isinstance(x, float) else rng.uniform(0.5, 1.5, x.shape)
    h = 1e-5
    grads = []
    for sign in (1, -1):
        s.interp.globals["_x"] = x + sign * h * v
        grads.append(np.asarray(s.eval("_grad1(_x)"), dtype=float))
    want = (grads[0] - grads[1]) / (2 * h)
    s.interp.globals["_x"] = x
    s.interp.globals["_v"] = v
    if isinstance(x, float):
        forward = s.eval("derivative(_grad1, _x)")
        twice = s.eval("gradient(_grad1, _x)[1]")
        s.eval(f"_f1(z) = {name}(z, _rest...)")
        of_derivative = s.eval("gradient(z -> derivative(_f1, z), _x)[1]")
        hess = s.eval("hessian(_f1, _x)")
        for got in (forward, twice, of_derivative, hess):
            assert close(got, want, rtol=1e-5, atol=1e-6), (defs, got, want)
    else:
        twice = s.eval("gradient(z -> sum(_grad1(z) .* _v), _x)[1]")
        assert close(twice, want, rtol=1e-5, atol=1e-6), (defs, twice, want)
        if x.ndim == 1:
            s.eval(f"_f1(z) = {name}(z, _rest...)")
            hess = s.eval("hessian(_f1, _x)")
            assert close(hess @ v, want, rtol=1e-5, atol=1e-6), (defs, hess @ v, want)
            assert close(hess, hess.T, rtol=1e-9, atol=1e-9)


JAX_CASES = [
    ("f(x) = sum(x .^ 3) * x[1] + exp(x[2] * x[3])",
     lambda jnp: (lambda x: jnp.sum(x ** 3) * x[0] + jnp.exp(x[1] * x[2])), [0.3, -0.7, 1.1]),
    ("f(x) = sum(tanh.([0.5 -0.2 0.1; 0.3 0.8 -0.4] * x) .^ 2)",
     lambda jnp: (lambda x: jnp.sum(jnp.tanh(jnp.array([[0.5, -0.2, 0.1], [0.3, 0.8, -0.4]]) @ x) ** 2)),
     [1.0, 2.0, -0.5]),
    ("f(x) = log(sum(exp.(x))) - maximum(x) * x[2]",
     lambda jnp: (lambda x: jnp.log(jnp.sum(jnp.exp(x))) - jnp.max(x) * x[1]), [0.1, 0.9, -0.4]),
    ("function f(x)\n    s = 0.0\n    for k in 1:length(x)\n        s += sin(k * x[k]) * x[1]\n    end\n    s\nend",
     lambda jnp: (lambda x: sum(jnp.sin((k + 1) * x[k]) * x[0] for k in range(3))), [0.4, 1.2, -0.3]),
]


@pytest.mark.parametrize("jit", [False, True], ids=["interpreted", "jit"])
@pytest.mark.parametrize("defs,oracle,x", JAX_CASES, ids=[c[0].split("\n")[0][:40] for c in JAX_CASES])
def test_hessian_against_jax(defs: str, oracle, x: list, jit: bool,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    s = session(jit, monkeypatch)
    s.eval(defs)
    s.interp.globals["_x"] = np.asarray(x)
    got = s.eval("hessian(f, _x)")
    want = np.asarray(jax.hessian(oracle(jax.numpy))(jax.numpy.asarray(x)))
    assert np.allclose(got, want, rtol=1e-6, atol=1e-12), (got, want)


def test_gradient_of_gradient_through_captures(monkeypatch: pytest.MonkeyPatch) -> None:
    """The inner function closes over the outer variable: the pullback of the inner
    gradient reaches it through the closure's captures (the `dself` part of H (0, e))."""
    s = session(False, monkeypatch)
    s.eval("a = 2.0\nk(x) = gradient(y -> a * x * y^2, x)[1]")      # 2 a x^2
    assert s.eval("gradient(k, 1.5)") == (pytest.approx(4 * 2.0 * 1.5),)
    s.eval("m(x) = gradient(y -> sin(x * y), 0.7)[1]")              # x cos(0.7 x)
    want = np.cos(0.7 * 1.3) - 0.7 * 1.3 * np.sin(0.7 * 1.3)
    assert s.eval("derivative(m, 1.3)") == pytest.approx(want)
    assert s.eval("gradient(m, 1.3)") == (pytest.approx(want),)


def test_second_order_of_structs_and_while_loops(monkeypatch: pytest.MonkeyPatch) -> None:
    s = session(True, monkeypatch)
    s.eval("""
struct P
    w::Vector{Float64}
    b::Float64
end
loss(p, x) = sum(tanh.(p.w .* x .+ p.b) .^ 2)
db(b) = gradient(p -> loss(p, [1.0, 2.0]), P([0.3, -0.2], b))[1].b
""" + NEWTON)
    h = 1e-5
    want = (s.eval(f"db({0.1 + h})") - s.eval(f"db({0.1 - h})")) / (2 * h)
    assert s.eval("gradient(db, 0.1)")[0] == pytest.approx(want, rel=1e-6)
    assert s.eval("derivative(db, 0.1)") == pytest.approx(want, rel=1e-6)
    # d²/da² sqrt(a) = -a^(-3/2) / 4, through a loop with a data-dependent trip count
    assert s.eval("hessian(newton_sqrt, 2.0)") == pytest.approx(-0.25 * 2.0 ** -1.5, rel=1e-9)


def test_third_order_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    s = session(False, monkeypatch)
    s.eval("f(x) = x^4")
    with pytest.raises(ArrError, match="cannot differentiate"):
        s.eval("derivative(x -> hessian(f, x), 1.0)")
