"""Compiled differentiation (lang/ad_staging.py): a call of `gradient` becomes one XLA
executable holding the forward and the backward pass, and gives what the interpreter
gives."""
from __future__ import annotations

import numpy as np
import pytest

from lang.session import Session

from test_ad import NEWTON, PROGRAMS, PROJECTILE, close, grow_loop


def jit_session(monkeypatch: pytest.MonkeyPatch, defs: str = "", jit: str = "1") -> Session:
    monkeypatch.setenv("ARR_JIT", jit)
    s = Session()
    if defs:
        s.eval(defs)
    return s


def reasons(s: Session) -> list[str]:
    """Why calls ran interpreted (empty when everything tried compiled)."""
    jit = s.interp.jit
    return [e.reason for e in jit.entries.values() if e.reason] if jit else []


def compiles_as_interpreted(monkeypatch, defs: str, expr: str) -> None:
    """expr compiles (nothing runs interpreted) and gives the interpreter's value."""
    s = jit_session(monkeypatch, defs)
    got = s.eval(expr)
    assert reasons(s) == [], reasons(s)
    want = jit_session(monkeypatch, defs, jit="0").eval(expr)
    assert close(_plain(got), _plain(want), rtol=1e-12, atol=1e-14), (got, want)


def _plain(v):
    if isinstance(v, tuple):
        return tuple(_plain(x) for x in v)
    if hasattr(v, "values") and not isinstance(v, np.ndarray):      # a NamedTuple
        return tuple(_plain(x) for x in v.values)
    return v


MLP = """
struct Dense
    W::Matrix{Float64}
    b::Vector{Float64}
end
(d::Dense)(x) = tanh.(d.W * x .+ d.b)
loss(m, x, y) = sum(abs2, m[2](m[1](x)) .- y) / size(x, 2)
"""


def test_gradient_is_one_module_with_both_passes(monkeypatch, capsys) -> None:
    s = jit_session(monkeypatch, MLP)
    s.eval("m = (Dense(fill(0.1, 4, 3), zeros(4)), Dense(fill(-0.2, 2, 4), ones(2)))")
    s.eval("x = reshape(collect(1.0:6.0), 3, 2) ./ 6; y = [0.5 1.0; -1.0 0.0]")
    s.eval("@code_hlo gradient(loss, m, x, y)")
    out = capsys.readouterr().out
    assert out.count("func.func public @main") == 1
    # forward: W * x; backward: the adjoint of the product needs the transposes
    assert out.count("stablehlo.dot_general") >= 4
    assert "stablehlo.transpose" in out
    g = s.eval("gradient(loss, m, x, y)")
    assert reasons(s) == []
    assert s.interp.jit.stats["compiled"] >= 1
    want = jit_session(monkeypatch, MLP, jit="0")
    want.eval("m = (Dense(fill(0.1, 4, 3), zeros(4)), Dense(fill(-0.2, 2, 4), ones(2)))")
    want.eval("x = reshape(collect(1.0:6.0), 3, 2) ./ 6; y = [0.5 1.0; -1.0 0.0]")
    w = want.eval("gradient(loss, m, x, y)")
    assert close(_plain(g), _plain(w), rtol=1e-12, atol=1e-14)
    # the gradient of a struct is a NamedTuple with its field names
    assert s.eval("gradient(loss, m, x, y)[1][1].W").shape == (4, 3)


def test_repeat_gradient_calls_reuse_the_executable(monkeypatch) -> None:
    s = jit_session(monkeypatch, "f(v) = sum(v .* v .+ sin.(v))")
    s.eval("g1 = gradient(f, [0.3, -1.2, 2.0])")
    n = s.interp.jit.stats["compiled"]
    g2 = s.eval("gradient(f, [1.0, 2.0, 3.0])")
    assert s.interp.jit.stats["compiled"] == n
    v = np.array([1.0, 2.0, 3.0])
    assert np.allclose(g2[0], 2 * v + np.cos(v), rtol=1e-14)


# differentiated compiled: not yet (they run interpreted, tested in test_ad.py)
NOT_YET: tuple = ()
STRAIGHT = [p for p in PROGRAMS if not any(w in p[0] for w in ("?", "if ", "while", "&&",
                                                                "||", "maximum", "map(") + NOT_YET)]


@pytest.mark.parametrize("defs,name,args", STRAIGHT,
                         ids=[p[0].split("\n")[0][:40] for p in STRAIGHT])
def test_compiled_gradient_matches_the_interpreter(defs: str, name: str, args: str,
                                                   monkeypatch) -> None:
    """Code without run-time branches compiles, and gives the interpreter's numbers."""
    compiles_as_interpreted(monkeypatch, defs, f"gradient({name}, {args})")


@pytest.mark.parametrize("defs,expr", [
    ("f(v) = sort(v)[1] * v[2]", "gradient(f, [3.0, 1.0, 2.0])"),
    ("f(v) = sum(sort(v; rev=true) .* [1.0, 2.0, 3.0])", "gradient(f, [3.0, 1.0, 2.0])"),
    ("f(A) = sum(sort(A; dims=2) .* [1.0 2.0 3.0; 4.0 5.0 6.0])",
     "gradient(f, [3.0 1.0 2.0; 0.5 -1.0 7.0])"),
    ("f(v) = sum(cumsum(v) .^ 2)", "gradient(f, [3.0, 1.0, 2.0])"),
    ("f(A) = sum(cumsum(A; dims=1) .^ 2)", "gradient(f, [3.0 1.0; 2.0 5.0])"),
    ("f(a, b) = sum(hcat(a, b) .* [1.0 2.0; 3.0 4.0])", "gradient(f, [1.0, 2.0], [3.0, 4.0])"),
    ("f(x, v) = sum(vcat(x, v, 2x) .^ 3)", "gradient(f, 1.5, [1.0, 2.0])"),
    ("f(A, B) = sum(vcat(A, B) .^ 2)", "gradient(f, [1.0 2.0], [3.0 4.0; 5.0 6.0])"),
    ("f(v) = prod(v .+ 1.0)", "gradient(f, [0.5, -2.0, 3.0, 0.0])"),
    ("f(v) = reduce((a, b) -> a * b + sin(b), v)", "gradient(f, [0.5, -2.0, 3.0])"),
    ("f(x, y) = hypot(x, y) + hypot(y, 0.0)", "gradient(f, 3.0, -4.0)"),
], ids=lambda x: x if len(x) < 40 else x[:40])
def test_array_rules_compile(defs: str, expr: str, monkeypatch) -> None:
    """sort, accumulate, concatenation, folds with any operator, and hypot's branches
    (whose tuple adjoint is `nothing` on one side) compile."""
    compiles_as_interpreted(monkeypatch, defs, expr)


@pytest.mark.parametrize("defs", [
    "f(x) = sum(map(v -> v * x, [1.0, 2.0, 3.0]))",
    "f(x) = sum(map(v -> sin(v * x) + x^2, [1.0, 2.0, 3.0]))",
    "f(x) = (c = 2x; sum(map(v -> v > 1.5 ? v * c : c^2, [1.0, 2.0, 3.0])))",
])
def test_forward_mode_of_a_map_of_a_closure_compiles(defs: str, monkeypatch) -> None:
    """The closure's tangent (its captures') goes into the map's tangent function."""
    compiles_as_interpreted(monkeypatch, defs, "derivative(f, 0.9)")


def test_pullback_escaping_compiled_code_runs_interpreted(monkeypatch) -> None:
    """A pullback made while staging exists only inside its module: `pullback` at the
    top level hands back an interpreter pullback, which works."""
    s = jit_session(monkeypatch, "f(v) = sum(v .* v)")
    assert s.eval("pullback(f, [1.0, 2.0])")[0] == 5.0
    assert any("pullback returned" in r for r in reasons(s))
    s.eval("y, back = pullback(f, [1.0, 2.0])")
    assert np.allclose(s.eval("back(1.0)")[0], [2.0, 4.0])


def test_what_does_not_compile_yet_runs_interpreted_quietly(monkeypatch, capsys) -> None:
    s = jit_session(monkeypatch, "f(x) = x > 0 ? x * x : -x")
    assert s.eval("gradient(f, 1.5)") == (3.0,)
    assert s.eval("gradient(f, -1.5)") == (-1.0,)
    err = capsys.readouterr().err
    assert "warning" not in err


@pytest.mark.parametrize("defs,name,args", [
    ("f(v) = maximum(v) + sum(abs2, v) - minimum(v)", "f", "[1.5, -2.0, 0.5]"),
    ("f(A) = sum(maximum(A; dims=1)) + sum(minimum(A; dims=2))", "f", "[1.0 5.0 5.0; 4.0 2.0 6.0]"),
    ("f(v, c) = sum(map(x -> x * c + sin(c * x), v))", "f", "[1.0, 2.0], 3.0"),
    ("f(v) = sum(max.(v, 0.0) .+ min.(v, 1.0))", "f", "[1.5, -2.0, 0.5]"),
], ids=["maximum", "maximum-dims", "closure-map", "max-broadcast"])
def test_reductions_and_maps_compile(defs: str, name: str, args: str, monkeypatch) -> None:
    compiles_as_interpreted(monkeypatch, defs, f"gradient({name}, {args})")


def test_maximum_gradient_goes_to_the_first_of_equal_elements(monkeypatch) -> None:
    s = jit_session(monkeypatch, "f(A) = sum(maximum(A; dims=2))")
    g = s.eval("gradient(f, [3.0 1.0 3.0; 2.0 2.0 0.0])")[0]
    assert g.tolist() == [[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]]
    assert reasons(s) == []


# ---------------------------------------------------------------- control flow on run-time data
BRANCHY = [
    ("f(x) = x > 0 ? x * x : -x", "f", "1.5"),
    ("f(x) = x > 0 ? x * x : -x", "f", "-1.5"),
    ("f(x) = (x > 0 && x < 2) ? x^2 : 3x", "f", "1.0"),
    ("f(x) = (x < 0 || x > 2) ? x^2 : 3x", "f", "1.0"),
    ("function f(x)\n    if x > 1\n        return x^2\n    end\n    2x\nend", "f", "3.0"),
    ("function f(x)\n    if x > 1\n        return x^2\n    end\n    2x\nend", "f", "0.5"),
    (NEWTON, "newton_sqrt", "2.0"),
    (PROJECTILE, "flight", "10.0, 0.7"),
]


@pytest.mark.parametrize("defs,name,args", BRANCHY,
                         ids=["if", "else", "and", "or", "early-return", "no-early-return",
                              "newton-while", "projectile-while"])
def test_branches_and_while_loops_on_run_time_data_compile(defs: str, name: str, args: str,
                                                             monkeypatch) -> None:
    """The tape is spilled to typed buffers where paths join and loops carry it: one
    executable, and the interpreter's numbers."""
    compiles_as_interpreted(monkeypatch, defs, f"gradient({name}, {args})")


def test_a_long_loop_grows_the_tape_and_recompiles(monkeypatch) -> None:
    """Trip counts past the tape's room (64 records per block at first) recompile with
    8 times the room, and give the interpreter's gradient."""
    defs = """
function f(x, n)
    s = x
    k = 0
    while k < n
        s = sin(s) + x
        k += 1
    end
    s
end
"""
    s = jit_session(monkeypatch, defs)
    ref = jit_session(monkeypatch, defs, jit="0")
    for n in (1, 10, 100, 1000):
        got = s.eval(f"gradient(f, 0.5, {n})")
        assert reasons(s) == []
        want = ref.eval(f"gradient(f, 0.5, {n})")
        assert got[1] is None and np.isclose(got[0], want[0], rtol=1e-12), (n, got, want)
    entry = next(e for e in s.interp.jit.entries.values() if e.tape_cap > 64)
    assert entry.tape_cap == 4096


@pytest.mark.parametrize("n", [1, 10, 100, 1000, 100_000])
def test_trip_counts_up_to_100000_compiled(n: int, monkeypatch) -> None:
    """A loop whose only exit test is on a float computed from x (the tape's overflow
    must stop it and regrow the tape, not be lost: it once gave a wrong gradient past 64
    iterations), against central differences of the compiled function."""
    defs, limit = grow_loop(n, 0.0001)
    s = jit_session(monkeypatch, defs)
    g, dlimit = s.eval(f"gradient(grow, 1.0, {limit!r})")
    assert reasons(s) == []
    h = 1e-7
    fd = (s.eval(f"grow({1.0 + h!r}, {limit!r})") - s.eval(f"grow({1.0 - h!r}, {limit!r})")) / (2 * h)
    assert g == pytest.approx(fd, rel=1e-5) and dlimit == 0.0
    # y_n = x (2 q^n - 1) with q = 1.0001: the exact derivative
    assert g == pytest.approx(2 * 1.0001 ** n - 1, rel=1e-9)


def test_broadcasts_of_different_shapes_in_a_while_loop_compile(monkeypatch) -> None:
    """The records of a loop are stored in buffers, and with them the tapes of the calls
    they hold (here `broadcast`'s, through `_bc_stretch`).  Their predecessors and other
    compile-time integers (a range's bounds) stay static, so the nested backward passes
    stay straight-line code."""
    compiles_as_interpreted(monkeypatch, """
function f(z, n)
    s = 0.0
    t = 0
    while t < n
        s += sum(z .- log.(sum(exp.(z); dims=1))) + sum(z[1:2, :] .* t)
        t += 1
    end
    s
end
""", "gradient(f, [1.0 2.0; 3.0 4.0; 5.0 6.0], 3)")


def test_code_hlo_of_a_gradient_through_a_while_loop(monkeypatch, capsys) -> None:
    s = jit_session(monkeypatch, NEWTON)
    s.eval("@code_hlo gradient(newton_sqrt, 2.0)")
    out = capsys.readouterr().out
    assert out.count("func.func public @main") == 1
    # the forward loop and the backward walk over the tape's buffers
    assert out.count("stablehlo.while") == 2
    assert "stablehlo.dynamic_update_slice" in out


def test_zygote_paper_taylor_series_compiles(monkeypatch, capsys) -> None:
    """The paper's example: a loop, a branch, an early return and `factorial` (whose
    error paths build strings: they become deoptimizations, never taken here)."""
    from test_ad import TAYLOR
    s = jit_session(monkeypatch, TAYLOR)
    s.eval("println(gradient(s, 1.0))")
    s.eval("println(derivative(s, 1.0))")
    assert capsys.readouterr().out == "(0.5403023037918872,)\n0.540302303791887\n"
    assert reasons(s) == []


def test_a_path_that_needs_the_interpreter_deoptimizes(monkeypatch) -> None:
    """A side of a run-time branch that cannot be compiled (it builds a string) compiles
    to a deoptimization: taken at run time, the call runs again in the interpreter."""
    s = jit_session(monkeypatch, 'g(n) = n > 20 ? error(string("too big: ", n)) : n * 2.0')
    assert s.eval("g(3)") == 6.0
    assert reasons(s) == []
    from lang.source import ArrError
    with pytest.raises(ArrError) as e:
        s.eval("g(25)")
    assert "too big: 25" in str(e.value)
    assert s.interp.jit.stats.get("deopt") == 1


@pytest.mark.parametrize("defs,name,args", [p for p in BRANCHY if "," not in p[2]] + [
    ("f(v) = sum(tanh.(v) .* v)", "g", "0.5"),
], ids=["if", "else", "and", "or", "early-return", "no-early-return", "newton-while",
        "map"])
def test_forward_mode_compiles(defs: str, name: str, args: str, monkeypatch) -> None:
    """`derivative` stages the tangent function (StagedForward): maps become maps of the
    tangent, and no tape is needed."""
    if name == "g":
        defs += "\ng(x) = f([x, 2x, 3x])"
    compiles_as_interpreted(monkeypatch, defs, f"derivative({name}, {args})")


@pytest.mark.parametrize("jit", ["0", "1"], ids=["interpreted", "jit"])
def test_ignore_derivatives_macro_cuts_the_gradient(jit: str, monkeypatch) -> None:
    s = jit_session(monkeypatch, "g(v) = sum(v .* @ignore_derivatives(v))", jit=jit)
    assert s.eval("gradient(g, [1.0, 2.0])")[0].tolist() == [1.0, 2.0]
