"""The table of AD programs (tests/test_ad.py, PROGRAMS) against jax.grad on the same math.

Every program of the table has a JAX oracle here: a Python function written with jax.numpy
that computes what the Arr function computes, and the same argument values.  Each oracle is
checked twice: its value must equal the Arr function's value (to 1e-12 relative, so a wrong
transcription is caught), and then `jax.grad` of it must equal Arr's `gradient` (to 1e-6
relative, Float64), interpreted and compiled.

Data-dependent control flow (branches on values, `while`, `break`, `continue`, early
`return`) is written as ordinary Python control flow: jax.grad outside jit traces with
concrete values, so the branch taken and the trip count are those of the point, and jax
differentiates the same straight-line math the Arr program runs there.

Conventions (LANGUAGE.md section 12): Arr arrays are row-major like NumPy, so `[1.0 2.0; 3.0
4.0]` is `[[1, 2], [3, 4]]`, linear indexing and `reshape` are row-major (`reshape(v, 2, 2)`
is `v.reshape(2, 2)`), indexing is 1-based.  A struct argument is a tuple of its fields for
jax; its Arr gradient is a NamedTuple whose values are the field gradients.
"""
from __future__ import annotations

import functools
import math

import numpy as np
import pytest

from test_ad import PROGRAMS, session

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy


def arr(*xs) -> np.ndarray:
    return np.array(xs, dtype=np.float64)


def mat(*rows) -> np.ndarray:
    return np.array(rows, dtype=np.float64)


# --- the oracles, in the order of PROGRAMS --------------------------------------------------

def _f_if_pos(x):
    return x * x if x > 0 else -x


def _fact(x, n):
    return jnp.ones_like(x) if n == 0 else x * _fact(x, n - 1)


def _pw(x, n):
    return jnp.ones_like(x) if n == 0 else x * _pw(x, n - 1)


def _fibx(x, n):
    return x if n < 2 else _fibx(x, n - 1) + x * _fibx(x, n - 2)


def _early_return(x):
    if x > 1:
        return x ** 2
    return 2 * x


def _for_powers(x):
    s = 0.0
    for i in range(1, 6):
        s += x ** i
    return s


def _continue_break(x):
    s = x
    for i in range(1, 11):
        if i == 3:
            continue
        if i > 7:
            break
        s = s * x + i
    return s


def _while_count(x):
    n = 0
    while x < 100.0:
        x = 2 * x + 1
        n += 1
    return x + n


def _closure_capture(x):
    g = lambda y: y * x
    return g(x) + g(2.0)


def _closure_const(x):
    k = 3.0
    g = lambda y: k * y ** 2
    return g(x) + g(2 * x)


def _make(a):
    return lambda y: a * jnp.sin(y)


def _layer(l, x):
    w, b = l
    return jnp.tanh(w * x + b)


def _zeros_setindex(x):
    v = jnp.zeros(3)
    v = v.at[0].set(x)
    v = v.at[1].set(x ** 2)
    v = v.at[2].set(jnp.sin(x))
    return jnp.sum(v * v)


def _copy_setindex(v):
    w = jnp.array(v)
    w = w.at[1].set(w[0] * w[2])
    return jnp.sum(w)


def _relu(x):
    return x if x > 0 else jnp.zeros_like(x)


def _h_branch(x):
    return x ** 2 if x < 1 else 2 * x - 1


def _for_k_over_k(x):
    s = 0.0
    for k in range(1, 5):
        s += x ** k / k
    return s


def _while_grow(x):
    y = x
    while y < 10.0:
        y = y * 1.5 + x
    return y


def _for_break(x):
    s = x
    for _k in range(1, 21):
        s = s * x
        if s > 5.0:
            break
    return s


def _for_odd_sin(x):
    s = 0.0
    for k in range(1, 7):
        if k % 2 == 0:
            continue
        s += jnp.sin(k * x)
    return s


def _for_return(x):
    for k in range(1, 11):
        x = x - 0.1 * x ** 3
        if abs(x) < 0.5:
            return x * k
    return x


def _for_elements(v):
    s = 0.0
    for x in v:
        s += x ** 2 if x > 0 else -x
    return s


# (definitions, arguments) -> (jax function, argument values); keyed by the arguments as well
# because the table has one definition at two points.
ORACLES = [
    (lambda x: x ** 3 - 2 * x, (1.7,)),
    (lambda x, y: x * y + jnp.sin(x) / y, (0.3, 2.5)),
    (lambda x: jnp.exp(x) * jnp.log(x) + jnp.sqrt(x) - jnp.tanh(x), (1.3,)),
    (_f_if_pos, (1.5,)),
    (_f_if_pos, (-1.5,)),
    (lambda x: x ** 2 if (x > 0 and x < 2) else 3 * x, (1.0,)),
    (lambda x: x ** 2 if (x < 0 or x > 2) else 3 * x, (1.0,)),
    (_early_return, (3.0,)),
    (_for_powers, (0.7,)),
    (_continue_break, (1.1,)),
    (_while_count, (1.3,)),
    (lambda p: p[0] * p[1] ** 2, ((1.5, 2.0),)),                          # struct P(a, b)
    (lambda t: t[0] * t[1] - t[2], ((1.0, 2.0, 3.0),)),
    (lambda v: v[0] * v[1] + v[2] ** 2, (arr(1.0, 2.0, 3.0),)),
    (_closure_capture, (1.5,)),
    (lambda x: jnp.maximum(x, 1.0) + jnp.minimum(x, 3.0) + jnp.abs(x - 2.0), (2.5,)),
    (lambda x: (lambda h: h(h(x)) + h(x))(lambda y: y * y), (1.2,)),
    (lambda x: _fact(x, 4), (1.3,)),
    (lambda x: jnp.arctan(x) + jnp.arcsin(x / 2) + jnp.cos(x) ** 2 + x ** 1.5, (0.8,)),
    (lambda x, y: jnp.hypot(x, y), (3.0, 4.0)),
    (lambda x: sum((x, 2 * x, 3 * x)), (1.0,)),
    (lambda v: jnp.sum(v * v + jnp.sin(v)), (arr(0.3, -1.2, 2.0),)),
    (lambda W, x: jnp.sum(W @ x), (mat([1.0, 2.0], [-0.5, 4.0]), arr(0.7, -1.1))),
    (lambda v: jnp.max(v) + jnp.prod(v) + jnp.sum(v * v), (arr(1.5, -2.0, 0.5),)),
    (lambda v, c: jnp.sum(jnp.stack([x * c for x in v])), (arr(1.0, 2.0), 3.0)),
    # sum(...; dims=1) is 1x2; its linear index 2 is element (1, 2)
    (lambda A: jnp.sum(A * A.T, axis=0, keepdims=True).reshape(-1)[1], (mat([1.0, 2.0], [3.0, 4.0]),)),
    (_closure_const, (0.7,)),
    (lambda a, x: _make(a)(x) + _make(2 * a)(x), (1.3, 0.4)),
    (lambda x: jnp.sum(jnp.stack([v * x for v in arr(1.0, 2.0, 3.0)])), (0.9,)),
    (lambda l: _layer(l, _layer(l, 0.6)), ((0.8, -0.1),)),                 # struct L(w, b)
    (lambda x: (lambda p: p["a"] * p["b"] + p["a"])({"a": x, "b": 2 * x}), (1.1,)),
    (lambda x: (lambda p: p[0] + 3 * p[1])((x, x ** 2)), (0.5,)),           # struct P2(a, b)
    (lambda t: (t[0] + t[1] + t[2]) * t[1], ((1.0, 2.0, 3.0),)),
    (lambda x: (lambda a, b, c: a * b - c)(*(x, 2.0, x ** 2)), (1.5,)),
    (lambda t: (lambda a, b: a / b)(*t), ((3.0, 4.0),)),
    (lambda x: (x ** 2, x ** 3)[0] + (x, 5 * x)[-1], (1.2,)),
    (lambda v: v[1] ** 2 + v[-1] * v[0], (arr(1.0, 2.0, 3.0),)),
    (_zeros_setindex, (0.8,)),
    (_copy_setindex, (arr(1.0, 2.0, 3.0),)),
    (lambda A: A[0, 1] * A[1, 0] + A[1, 1], (mat([1.0, 2.0], [3.0, 4.0]),)),
    (lambda v: jnp.sum(v[1:3]) * v[0], (arr(1.5, 2.0, 3.0),)),
    (lambda v: jnp.sum(jnp.stack([_relu(x) for x in v]) ** 2), (arr(1.0, -2.0, 3.0),)),
    (lambda v: jnp.sum(jnp.stack([_h_branch(x) for x in v])), (arr(0.5, 1.5, -0.3),)),
    (lambda v, c: jnp.sum(v * c + jnp.exp(-v)), (arr(0.1, 0.2), 1.5)),
    (lambda v: jnp.sum(jnp.abs(v) + jnp.sqrt(v * v + 1)), (arr(1.0, -2.0),)),
    (lambda v: functools.reduce(lambda a, b: a + b, [x ** 2 for x in v]), (arr(1.0, 2.0, 3.0),)),
    (lambda v: functools.reduce(lambda a, b: a * b, list(v)), (arr(1.5, 2.0, 0.5),)),
    (lambda v: jnp.max(v * v), (arr(1.0, -3.0, 2.0),)),
    (lambda v: jnp.min(v) + jnp.max(v), (arr(1.0, -3.0, 2.0),)),
    (lambda v: functools.reduce(jnp.maximum, [2 * x for x in v]), (arr(0.5, 1.5, 1.0),)),
    (lambda A: jnp.sum(jnp.sum(A, axis=1, keepdims=True)), (mat([1.0, 2.0], [3.0, 4.0]),)),
    (lambda A: jnp.sum(jnp.max(A, axis=0, keepdims=True)), (mat([1.0, 5.0], [3.0, 4.0]),)),
    (lambda x: _pw(x, 5), (1.1,)),
    (lambda x: _fibx(x, 6), (0.9,)),
    (_for_k_over_k, (0.6,)),
    (_while_grow, (1.2,)),
    (_for_break, (1.3,)),
    (_for_odd_sin, (0.4,)),
    (_for_return, (1.5,)),
    (_for_elements, (arr(1.0, -2.0, 0.5),)),
    (lambda W, x: jnp.sum(jnp.tanh(W @ x)), (mat([0.5, -0.2], [0.1, 0.3]), arr(1.0, 2.0))),
    (lambda A: jnp.sum(A.T @ A), (mat([1.0, 2.0], [3.0, 4.0]),)),
    (lambda A, B: jnp.sum((A @ B) * A), (mat([1.0, 2.0], [3.0, 4.0]), mat([0.5, 0.1], [-0.2, 0.3]))),
    # reshape is row-major in Arr (LANGUAGE.md section 12), as in NumPy
    (lambda v: jnp.sum(jnp.reshape(v, (2, 2)) @ arr(1.0, 2.0)), (arr(1.0, 2.0, 3.0, 4.0),)),
    (lambda v: jnp.sum(v[::-1] * v), (arr(1.0, 2.0, 3.0),)),
    (lambda x: jnp.sum(jnp.full(3, x) * arr(1.0, 2.0, 3.0)), (0.7,)),
    (lambda v: jnp.sum(jnp.concatenate([v, 2 * v]) ** 2), (arr(1.0, 2.0),)),
    (lambda x, y: jnp.arctan2(y, x) + jnp.log1p(x * y) + x ** y, (1.2, 0.7)),
]

assert len(ORACLES) == len(PROGRAMS), (len(ORACLES), len(PROGRAMS))
JAX = {(defs, args): oracle for (defs, _name, args), oracle in zip(PROGRAMS, ORACLES)}

# programs on which Arr's gradient genuinely disagrees with jax.grad: (defs, args) -> reason
XFAIL: dict[tuple[str, str], str] = {}


def _params():
    out = []
    for defs, name, args in PROGRAMS:
        marks = []
        if (defs, args) in XFAIL:
            marks.append(pytest.mark.xfail(strict=True, reason=XFAIL[(defs, args)]))
        out.append(pytest.param(defs, name, args, marks=marks,
                                id=f"{defs.split(chr(10))[0][:40]}|{args}"))
    return out


def _plain(v):
    """An Arr value as nested tuples / floats / arrays (a struct or NamedTuple: its values)."""
    if hasattr(v, "fields"):
        return tuple(_plain(x) for x in v.fields)
    if hasattr(v, "values") and not isinstance(v, (np.ndarray, dict)):
        return tuple(_plain(x) for x in v.values)
    if isinstance(v, tuple):
        return tuple(_plain(x) for x in v)
    return v


def _assert_close(got, want, rtol, atol, what) -> None:
    if isinstance(want, (tuple, list)):
        assert isinstance(got, tuple) and len(got) == len(want), (what, got, want)
        for g, w in zip(got, want):
            _assert_close(g, w, rtol, atol, what)
        return
    np.testing.assert_allclose(np.asarray(got, dtype=float), np.asarray(want, dtype=float),
                               rtol=rtol, atol=atol, err_msg=str(what))


def test_every_program_has_a_jax_oracle() -> None:
    keys = [(defs, args) for defs, _name, args in PROGRAMS]
    missing = [k for k in keys if k not in JAX]
    assert not missing, f"programs of tests/test_ad.py PROGRAMS without a JAX oracle: {missing}"
    assert len(set(keys)) == len(keys) == len(JAX)


# the interpreted half is slow (CI runs it: `-m slow`); the compiled half runs always
@pytest.mark.parametrize("jit", [pytest.param(False, marks=pytest.mark.slow), True],
                         ids=["interpreted", "jit"])
@pytest.mark.parametrize("defs,name,args", _params())
def test_gradient_matches_jax(defs: str, name: str, args: str, jit: bool,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    fn, pyargs = JAX[(defs, args)]
    s = session(jit, monkeypatch)
    s.eval(defs)
    # the oracle is given the arguments the Arr source denotes ...
    _assert_close(_plain(s.eval(f"({args},)")), pyargs, 0, 0, (defs, "arguments"))
    # ... and computes the same function there
    value = s.eval(f"{name}({args})")
    assert float(fn(*pyargs)) == pytest.approx(value, rel=1e-12, abs=1e-300), (defs, "value")
    got = s.eval(f"gradient({name}, {args})")
    if jit:         # every program compiles: nothing fell back to the interpreter
        assert [e.reason for e in s.interp.jit.entries.values() if e.reason] == []
    want = jax.grad(fn, argnums=tuple(range(len(pyargs))))(*pyargs)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        if g is None:               # a non-differentiable (integer) argument
            continue
        _assert_close(_plain(g), w, 1e-6, 1e-9, defs)
