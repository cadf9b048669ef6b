"""Reverse-mode differentiation (section 8, lang/ad.py): gradients of Arr programs against
central finite differences and against jax.grad, through branches, loops with
data-dependent trip counts, early returns, structs, tuples, closures and indexing.

The differentiated code runs in the interpreter for now (compiled AD is the next step);
the functions it calls without differentiable arguments may be compiled.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from lang.session import Session
from lang.source import ArrError

TAYLOR = """
function s(x)
    t = 0.0
    sign = -1.0
    for i in 1:19
        if isodd(i)
            newterm = x^i / factorial(i)
            abs(newterm) < 1e-8 && return t
            sign = -sign
            t += sign * newterm
        end
    end
    return t
end
"""

NEWTON = """
function newton_sqrt(a)
    x = a
    while abs(x * x - a) > 1e-12
        x = (x + a / x) / 2
    end
    x
end
"""

PROJECTILE = """
function flight(v0, angle)
    x = 0.0
    y = 0.0
    vx = v0 * cos(angle)
    vy = v0 * sin(angle)
    dt = 0.01
    while y >= 0.0
        x += vx * dt
        y += vy * dt
        vy -= 9.81 * dt
    end
    x
end
"""

# (definitions, function name, arguments as Arr source): one program per construct
PROGRAMS = [
    ("f(x) = x^3 - 2x", "f", "1.7"),
    ("f(x, y) = x * y + sin(x) / y", "f", "0.3, 2.5"),
    ("f(x) = exp(x) * log(x) + sqrt(x) - tanh(x)", "f", "1.3"),
    ("f(x) = x > 0 ? x * x : -x", "f", "1.5"),
    ("f(x) = x > 0 ? x * x : -x", "f", "-1.5"),
    ("f(x) = (x > 0 && x < 2) ? x^2 : 3x", "f", "1.0"),
    ("f(x) = (x < 0 || x > 2) ? x^2 : 3x", "f", "1.0"),
    ("function f(x)\n    if x > 1\n        return x^2\n    end\n    2x\nend", "f", "3.0"),
    ("function f(x)\n    s = 0.0\n    for i in 1:5\n        s += x^i\n    end\n    s\nend", "f", "0.7"),
    ("function f(x)\n    s = x\n    for i in 1:10\n        i == 3 && continue\n        i > 7 && break\n"
     "        s = s * x + i\n    end\n    s\nend", "f", "1.1"),
    ("function f(x)\n    n = 0\n    while x < 100.0\n        x = 2x + 1\n        n += 1\n    end\n"
     "    x + n\nend", "f", "1.3"),
    ("struct P\n    a::Float64\n    b::Float64\nend\nf(p) = p.a * p.b^2", "f", "P(1.5, 2.0)"),
    ("f(t) = t[1] * t[2] - t[3]", "f", "(1.0, 2.0, 3.0)"),
    ("f(v) = v[1] * v[2] + v[3]^2", "f", "[1.0, 2.0, 3.0]"),
    ("f(x) = (g = y -> y * x; g(x) + g(2.0))", "f", "1.5"),
    ("f(x) = max(x, 1.0) + min(x, 3.0) + abs(x - 2.0)", "f", "2.5"),
    ("h(x) = x * x\nf(x) = h(h(x)) + h(x)", "f", "1.2"),
    ("fact(x, n) = n == 0 ? one(x) : x * fact(x, n - 1)\nf(x) = fact(x, 4)", "f", "1.3"),
    ("f(x) = atan(x) + asin(x / 2) + cos(x)^2 + x^1.5", "f", "0.8"),
    ("f(x, y) = hypot(x, y)", "f", "3.0, 4.0"),
    ("f(x) = sum((x, 2x, 3x))", "f", "1.0"),
    ("f(v) = sum(v .* v .+ sin.(v))", "f", "[0.3, -1.2, 2.0]"),
    ("f(W, x) = sum(W * x)", "f", "[1.0 2.0; -0.5 4.0], [0.7, -1.1]"),
    ("f(v) = maximum(v) + prod(v) + sum(abs2, v)", "f", "[1.5, -2.0, 0.5]"),
    ("f(v, c) = sum(map(x -> x * c, v))", "f", "[1.0, 2.0], 3.0"),
    ("f(A) = sum(A .* A'; dims=1)[2]", "f", "[1.0 2.0; 3.0 4.0]"),
    ('f(x) = (k = 3.0; g = y -> k * y^2; g(x) + g(2x))', 'f', '0.7'),
    ('make(a) = y -> a * sin(y)\nf(a, x) = make(a)(x) + make(2a)(x)', 'f', '1.3, 0.4'),
    ('f(x) = sum(map(v -> v * x, [1.0, 2.0, 3.0]))', 'f', '0.9'),
    ('struct L\n    w::Float64\n    b::Float64\nend\n(l::L)(x) = tanh(l.w * x + l.b)\nf(l) = l(l(0.6))', 'f', 'L(0.8, -0.1)'),
    ('f(x) = (p = (a = x, b = 2x); p.a * p.b + p.a)', 'f', '1.1'),
    ('struct P2\n    a::Float64\n    b::Float64\nend\nf(x) = (p = P2(x, x^2); p.a + 3 * p.b)', 'f', '0.5'),
    ('f(t) = +(t...) * t[2]', 'f', '(1.0, 2.0, 3.0)'),
    ('g(a, b, c) = a * b - c\nf(x) = g((x, 2.0, x^2)...)', 'f', '1.5'),
    ('f(t) = ((a, b) = t; a / b)', 'f', '(3.0, 4.0)'),
    ('f(x) = first((x^2, x^3)) + last((x, 5x))', 'f', '1.2'),
    ('f(v) = v[2]^2 + v[end] * v[1]', 'f', '[1.0, 2.0, 3.0]'),
    ('function f(x)\n    v = zeros(3)\n    v[1] = x\n    v[2] = x^2\n    v[3] = sin(x)\n    sum(v .* v)\nend', 'f', '0.8'),
    ('function f(v)\n    w = copy(v)\n    w[2] = w[1] * w[3]\n    sum(w)\nend', 'f', '[1.0, 2.0, 3.0]'),
    ('f(A) = A[1, 2] * A[2, 1] + A[2, 2]', 'f', '[1.0 2.0; 3.0 4.0]'),
    ('f(v) = sum(v[2:3]) * v[1]', 'f', '[1.5, 2.0, 3.0]'),
    ('relu(x) = x > 0 ? x : zero(x)\nf(v) = sum(relu.(v) .^ 2)', 'f', '[1.0, -2.0, 3.0]'),
    ('h(x) = x < 1 ? x^2 : 2x - 1\nf(v) = sum(h.(v))', 'f', '[0.5, 1.5, -0.3]'),
    ('f(v, c) = sum(v .* c .+ exp.(-v))', 'f', '[0.1, 0.2], 1.5'),
    ('f(v) = sum(abs.(v) .+ sqrt.(v .* v .+ 1))', 'f', '[1.0, -2.0]'),
    ('f(v) = mapreduce(x -> x^2, +, v)', 'f', '[1.0, 2.0, 3.0]'),
    ('f(v) = reduce(*, v)', 'f', '[1.5, 2.0, 0.5]'),
    ('f(v) = maximum(v .* v)', 'f', '[1.0, -3.0, 2.0]'),
    ('f(v) = minimum(v) + maximum(v)', 'f', '[1.0, -3.0, 2.0]'),
    ('f(v) = mapreduce(x -> 2x, max, v)', 'f', '[0.5, 1.5, 1.0]'),
    ('f(A) = sum(sum(A; dims=2))', 'f', '[1.0 2.0; 3.0 4.0]'),
    ('f(A) = sum(maximum(A; dims=1))', 'f', '[1.0 5.0; 3.0 4.0]'),
    ('pw(x, n) = n == 0 ? one(x) : x * pw(x, n - 1)\nf(x) = pw(x, 5)', 'f', '1.1'),
    ('fibx(x, n) = n < 2 ? x : fibx(x, n - 1) + x * fibx(x, n - 2)\nf(x) = fibx(x, 6)', 'f', '0.9'),
    ('function f(x)\n    s = 0.0\n    for k in 1:4\n        s += x^k / k\n    end\n    s\nend', 'f', '0.6'),
    ('function f(x)\n    y = x\n    while y < 10.0\n        y = y * 1.5 + x\n    end\n    y\nend', 'f', '1.2'),
    ('function f(x)\n    s = x\n    for k in 1:20\n        s = s * x\n        s > 5.0 && break\n    end\n    s\nend', 'f', '1.3'),
    ('function f(x)\n    s = 0.0\n    for k in 1:6\n        iseven(k) && continue\n        s += sin(k * x)\n    end\n    s\nend', 'f', '0.4'),
    ('function f(x)\n    for k in 1:10\n        x = x - 0.1 * x^3\n        abs(x) < 0.5 && return x * k\n    end\n    x\nend', 'f', '1.5'),
    ('function f(v)\n    s = 0.0\n    for x in v\n        s += x > 0 ? x^2 : -x\n    end\n    s\nend', 'f', '[1.0, -2.0, 0.5]'),
    ('f(W, x) = sum(tanh.(W * x))', 'f', '[0.5 -0.2; 0.1 0.3], [1.0, 2.0]'),
    ("f(A) = sum(A' * A)", 'f', '[1.0 2.0; 3.0 4.0]'),
    ('f(A, B) = sum(A * B .* A)', 'f', '[1.0 2.0; 3.0 4.0], [0.5 0.1; -0.2 0.3]'),
    ('f(v) = sum(reshape(v, 2, 2) * [1.0, 2.0])', 'f', '[1.0, 2.0, 3.0, 4.0]'),
    ('f(v) = sum(reverse(v) .* v)', 'f', '[1.0, 2.0, 3.0]'),
    ('f(x) = sum(fill(x, 3) .* [1.0, 2.0, 3.0])', 'f', '0.7'),
    ('f(v) = sum(vcat(v, 2v) .^ 2)', 'f', '[1.0, 2.0]'),
    ('f(x, y) = atan(y, x) + log1p(x * y) + x^y', 'f', '1.2, 0.7'),
]


def session(jit: bool, monkeypatch: pytest.MonkeyPatch) -> Session:
    monkeypatch.setenv("ARR_JIT", "1" if jit else "0")
    return Session()


def finite_difference(s: Session, name: str, args: str, h: float = 1e-6) -> list:
    """Central differences in each float (or float array element) argument."""
    base = s.eval(f"({args},)")
    out = []
    for k, a in enumerate(base):
        if isinstance(a, float):
            def at(v: float) -> float:
                s.interp.globals["_fd_args"] = base[:k] + (v,) + base[k + 1:]
                return s.eval(f"{name}(_fd_args...)")
            out.append((at(a + h) - at(a - h)) / (2 * h))
        elif isinstance(a, np.ndarray):
            g = np.zeros_like(a)
            for i in range(a.size):
                for sign in (1, -1):
                    b = a.copy()
                    b.flat[i] += sign * h
                    s.interp.globals["_fd_args"] = base[:k] + (b,) + base[k + 1:]
                    g.flat[i] += sign * s.eval(f"{name}(_fd_args...)") / (2 * h)
            out.append(g)
        elif isinstance(a, tuple):
            g = []
            for i, v in enumerate(a):
                vals = []
                for sign in (1, -1):
                    t = a[:i] + (v + sign * h,) + a[i + 1:]
                    s.interp.globals["_fd_args"] = base[:k] + (t,) + base[k + 1:]
                    vals.append(s.eval(f"{name}(_fd_args...)"))
                g.append((vals[0] - vals[1]) / (2 * h))
            out.append(tuple(g))
        else:
            out.append(None)
    return out


def close(got, want, rtol=1e-5, atol=1e-7) -> bool:
    if want is None:
        return got is None
    if isinstance(want, tuple):
        return len(got) == len(want) and all(close(g, w, rtol, atol) for g, w in zip(got, want))
    return np.allclose(np.asarray(got, dtype=float), np.asarray(want, dtype=float),
                       rtol=rtol, atol=atol)


@pytest.mark.parametrize("jit", [False, True], ids=["interpreted", "jit"])
@pytest.mark.parametrize("defs,name,args", PROGRAMS, ids=[p[0].split("\n")[0][:40] for p in PROGRAMS])
def test_gradient_matches_finite_differences(defs: str, name: str, args: str, jit: bool,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    s = session(jit, monkeypatch)
    s.eval(defs)
    got = s.eval(f"gradient({name}, {args})")
    want = finite_difference(s, name, args)
    for g, w in zip(got, want):
        if hasattr(g, "values") and not isinstance(g, np.ndarray):     # a struct's NamedTuple
            g = tuple(g.values)
            base = s.eval(f"({args},)")[0]
            w = []
            for i in range(len(g)):
                fields = list(base.fields)
                vals = []
                for sign in (1, -1):
                    fields2 = list(fields)
                    fields2[i] = fields[i] + sign * 1e-6
                    s.interp.globals["_fd_p"] = type(base)(base.type, tuple(fields2))
                    vals.append(s.eval(f"{name}(_fd_p)"))
                w.append((vals[0] - vals[1]) / 2e-6)
            w = tuple(w)
        assert close(g, w, rtol=1e-5, atol=1e-6), (defs, g, w)


SCALAR = [p for p in PROGRAMS if p[2].replace(".", "").lstrip("-").isdigit()]


@pytest.mark.parametrize("jit", [False, True], ids=["interpreted", "jit"])
@pytest.mark.parametrize("defs,name,args", SCALAR, ids=[p[0].split("\n")[0][:40] for p in SCALAR])
def test_derivative_matches_finite_differences(defs: str, name: str, args: str, jit: bool,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Forward mode on every program of one real argument."""
    s = session(jit, monkeypatch)
    s.eval(defs)
    got = s.eval(f"derivative({name}, {args})")
    (want,) = finite_difference(s, name, args)
    assert got == pytest.approx(want, rel=1e-5, abs=1e-6), defs


@pytest.mark.parametrize("jit", [False, True], ids=["interpreted", "jit"])
def test_zygote_paper_taylor_series(jit: bool, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """The paper's numbers, to the last digit: forward and reverse mode round differently."""
    s = session(jit, monkeypatch)
    s.eval(TAYLOR)
    s.eval("println(derivative(s, 1.0))")
    s.eval("println(gradient(s, 1.0))")
    assert capsys.readouterr().out == "0.540302303791887\n(0.5403023037918872,)\n"


@pytest.mark.parametrize("a", [0.5, 2.0, 10.0, 100.0])
def test_newton_sqrt_while_loop(a: float, monkeypatch: pytest.MonkeyPatch) -> None:
    s = session(False, monkeypatch)
    s.eval(NEWTON)
    (g,) = s.eval(f"gradient(newton_sqrt, {a!r})")
    assert g == pytest.approx(0.5 / math.sqrt(a), rel=1e-9)


def test_projectile_that_stops_at_the_ground(monkeypatch: pytest.MonkeyPatch) -> None:
    s = session(False, monkeypatch)
    s.eval(PROJECTILE)
    gv, ga = s.eval("gradient(flight, 10.0, 0.7)")
    h = 1e-7
    fd_v = (s.eval(f"flight({10.0 + h!r}, 0.7)") - s.eval(f"flight({10.0 - h!r}, 0.7)")) / (2 * h)
    fd_a = (s.eval(f"flight(10.0, {0.7 + h!r})") - s.eval(f"flight(10.0, {0.7 - h!r})")) / (2 * h)
    assert gv == pytest.approx(fd_v, rel=1e-5) and ga == pytest.approx(fd_a, rel=1e-5)


def grow_loop(n: int, rate: float) -> tuple[str, float]:
    """`grow(x, limit)`, a loop that runs until a value computed from x passes a bound
    (no bound on the trip count is written), and the limit that makes it run exactly n
    times from x = 1."""
    defs = f"""
function grow(x, limit)
    y = x
    while y < limit
        y = y * {1 + rate!r} + {rate!r} * x
    end
    y
end
"""
    prev, y = 1.0, 1.0
    for _ in range(n):
        prev, y = y, y * (1 + rate) + rate
    return defs, (prev + y) / 2         # far from both: a small change of x keeps n


@pytest.mark.parametrize("n", [1, 10, 1000, pytest.param(20000, marks=pytest.mark.slow)])
def test_data_dependent_trip_counts(n: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The loop runs until a value computed from x passes a bound: no bound is written."""
    s = session(False, monkeypatch)
    defs, limit = grow_loop(n, 0.001)
    s.eval(defs)
    (g, _) = s.eval(f"gradient(grow, 1.0, {limit!r})")
    h = 1e-7
    fd = (s.eval(f"grow({1.0 + h!r}, {limit!r})") - s.eval(f"grow({1.0 - h!r}, {limit!r})")) / (2 * h)
    assert g == pytest.approx(fd, rel=1e-5)


def test_against_jax_grad(monkeypatch: pytest.MonkeyPatch) -> None:
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    jnp = jax.numpy
    s = session(False, monkeypatch)
    s.eval("f(x, y) = sin(x * y) + exp(-x^2) * sqrt(y) + atan(x / y)")
    got = s.eval("gradient(f, 0.7, 1.9)")

    def f(x, y):
        return jnp.sin(x * y) + jnp.exp(-x ** 2) * jnp.sqrt(y) + jnp.arctan(x / y)
    want = jax.grad(f, argnums=(0, 1))(0.7, 1.9)
    assert got == pytest.approx(tuple(float(w) for w in want), rel=1e-12)


def test_mlp_against_jax_grad(monkeypatch: pytest.MonkeyPatch) -> None:
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    jnp = jax.numpy
    rng = np.random.default_rng(1)
    W1, b1 = rng.standard_normal((5, 4)), rng.standard_normal(5)
    W2, b2 = rng.standard_normal((3, 5)), rng.standard_normal(3)
    x = rng.standard_normal((4, 2))
    s = session(False, monkeypatch)
    s.eval("""
relu(x) = max(x, 0.0)
loss(W1, b1, W2, b2, x) = sum(tanh.(W2 * relu.(W1 * x .+ b1) .+ b2) .^ 2)
""")
    for k, v in {"W1": W1, "b1": b1, "W2": W2, "b2": b2, "x": x}.items():
        s.interp.globals[k] = v
    got = s.eval("gradient(loss, W1, b1, W2, b2, x)")

    def loss(W1, b1, W2, b2, x):
        h = jnp.maximum(W1 @ x + b1[:, None], 0.0)
        return jnp.sum(jnp.tanh(W2 @ h + b2[:, None]) ** 2)
    want = jax.grad(loss, argnums=(0, 1, 2, 3, 4))(W1, b1, W2, b2, x)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, np.asarray(w), rtol=1e-6, atol=1e-12)


def test_api_forms(monkeypatch: pytest.MonkeyPatch) -> None:
    s = session(False, monkeypatch)
    assert s.eval("gradient(x -> x^2, 3.0)") == (6.0,)
    r = s.eval("withgradient(x -> x^2, 3.0)")
    assert r.names == ("val", "grad") and r.values == (9.0, (6.0,))
    assert s.eval("(y, back) = pullback((a, b) -> a * b, 2.0, 5.0); back(1.0)") == (5.0, 2.0)
    assert s.eval("gradient((x, n) -> x^n, 2.0, 3)") == (12.0, None)
    # zeros are materialised at the boundary
    assert s.eval("gradient(x -> 1.0, 2.0)") == (0.0,)
    assert s.eval("gradient(x -> ignore_derivatives(x) * x, 3.0)") == (3.0,)
    # the do-block form, with a struct: its gradient is a NamedTuple of its fields
    s.eval("struct Model\n    w::Float64\n    b::Float64\nend")
    (g,) = s.eval("gradient(Model(2.0, 0.5)) do m\n    (m.w * 3.0 + m.b - 1.0)^2\nend")
    assert g.names == ("w", "b") and g.values == (33.0, 11.0)
    assert s.eval("gradient(t -> t[1], (1.0, 2.0))") == ((1.0, 0.0),)
    got = s.eval("gradient(v -> v[2], [1.0, 2.0, 3.0])")[0]
    assert got.tolist() == [0.0, 1.0, 0.0]


def test_custom_rules_override(monkeypatch: pytest.MonkeyPatch) -> None:
    s = session(False, monkeypatch)
    s.eval("""
myf(x) = x^2
rrule(::typeof(myf), x) = (myf(x), d -> (nothing, 100.0 * d))
frule((_, dx), ::typeof(myf), x) = (myf(x), 10.0 * dx)
""")
    assert s.eval("gradient(x -> 2 * myf(x), 3.0)") == (200.0,)
    assert s.eval("derivative(x -> 2 * myf(x), 3.0)") == 20.0
    assert s.eval("derivative(x -> ignore_derivatives(x) * x, 3.0)") == 3.0


def test_gradient_of_non_real_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    s = session(False, monkeypatch)
    with pytest.raises(ArrError) as e:
        s.eval("gradient(x -> (x, x), 1.0)")
    assert e.value.kind == "ArgumentError"


def test_error_in_the_forward_pass_points_at_the_user_line(monkeypatch: pytest.MonkeyPatch) -> None:
    s = session(False, monkeypatch)
    with pytest.raises(ArrError) as e:
        s.eval("g(x) = x + 1.0\nf(x) = g(x) * log(x - 5.0)\ngradient(f, 1.0)", "user.arr")
    err = e.value
    assert err.kind == "DomainError"
    frames = [(fr.span.source.name, fr.span.line) for fr in err.stack if fr.span is not None] + \
        [(err.span.source.name, err.span.line)]
    assert ("user.arr", 2) in frames, frames


def test_transformed_ir_verifies(monkeypatch: pytest.MonkeyPatch) -> None:
    from lang import dispatch, types as T
    from lang.ad import ad_of
    from lang.verify import verify
    s = session(False, monkeypatch)
    s.eval(TAYLOR + NEWTON)
    ad = ad_of(s.interp)
    for name in ("s", "newton_sqrt"):
        m, _ = dispatch.lookup(s.interp.globals[name], (T.typeof(1.0),))
        tr = ad.transform(m.impl.ir)
        verify(tr.fwd)
        verify(tr.bwd)


def test_higher_order_jacobian_and_hessian(monkeypatch: pytest.MonkeyPatch) -> None:
    s = session(False, monkeypatch)
    assert s.eval("derivative(x -> derivative(sin, x), 1.0)") == -math.sin(1.0)
    assert s.eval("derivative(x -> derivative(y -> y^3, x), 2.0)") == 12.0
    assert s.eval("hessian(x -> x^3, 2.0)") == 12.0
    H = s.eval("hessian(x -> x[1]^2 * x[2] + x[2]^3, [1.0, 2.0])")
    assert H.tolist() == [[4.0, 2.0], [2.0, 12.0]]
    (J,) = s.eval("jacobian(x -> [x[1] * x[2], sin(x[1])], [1.0, 2.0])")
    assert J.tolist() == [[2.0, 1.0], [math.cos(1.0), 0.0]]
    assert s.eval("jacobian((a, b) -> a * b, 2.0, 3.0)") == (3.0, 2.0)
    assert s.eval("jacobian((x, n) -> x^n, 2.0, 3)") == (12.0, None)


def test_every_differentiable_intrinsic_has_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """Walks the intrinsics table: each intrinsic whose `derivative` is not "none" has a
    reverse rule and a forward rule (in Arr, or one of the rules written in Python)."""
    from lang.ad import _STRUCTURAL
    from lang.ad_forward import _LINEAR, SPECIAL
    from lang.prims import PRIMITIVES, load_all
    load_all()
    s = session(False, monkeypatch)
    g = s.interp.globals
    missing = []
    for name, p in sorted(PRIMITIVES.items()):
        if p.derivative in (None, "none"):
            continue
        if not (f"_rrule_{p.derivative}" in g or name in _STRUCTURAL or name in ("elementwise", "reduce")):
            missing.append(("reverse", name))
        if not (f"_frule_{p.derivative}" in g or name in _LINEAR or name in SPECIAL):
            missing.append(("forward", name))
    assert not missing, missing


def test_array_intrinsics_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    s = session(False, monkeypatch)
    assert s.eval("gradient(x -> sum(reverse(x) .* [1.0, 2.0, 3.0]), [1.0, 2.0, 3.0])")[0].tolist() == [3.0, 2.0, 1.0]
    assert s.eval("gradient(x -> sum(sort(x) .* [1.0, 2.0, 3.0]), [3.0, 1.0, 2.0])")[0].tolist() == [3.0, 1.0, 2.0]
    assert s.eval("gradient(x -> sum(cumsum(x) .* [1.0, 2.0, 3.0]), [1.0, 2.0, 3.0])")[0].tolist() == [6.0, 5.0, 3.0]
    a, b = s.eval("gradient((a, b) -> sum(vcat(a, b) .* [1.0, 2.0, 3.0]), [1.0, 2.0], [5.0])")
    assert a.tolist() == [1.0, 2.0] and b.tolist() == [3.0]
    assert s.eval("gradient((x, y) -> rem(x, y), 7.5, 2.0)") == (1.0, -3.0)
    assert s.eval("derivative(t -> sum(sort([3.0 * t, t, 2.0]) .* [1.0, 2.0, 3.0]), 1.0)") == 10.0
    assert s.eval("derivative(t -> sum(cumsum([t, 2t])), 1.0)") == 4.0
    assert s.eval("derivative(t -> sum(vcat([t], [2t, 3.0])), 1.0)") == 3.0
    assert s.eval("derivative(t -> rem(7.5 * t, 2.0), 1.0)") == 7.5
