"""Table-driven tests of lang.dispatch: specificity, where-bindings, ambiguity, MethodError text."""
from __future__ import annotations

import pytest

from lang import source, types as T
from lang.dispatch import GenericFunction, Method, parse_method, parse_type

SRC = source.SourceFile("t.arr", "".join(f"# line {i}\n" for i in range(1, 40)))


def span(line: int) -> source.Span:
    start = SRC.text.index(f"# line {line}\n")
    return source.Span(SRC, start, start + 2)


def make_gf(headers: list[str]) -> GenericFunction:
    """A generic function whose i-th method is defined on line i + 1 of t.arr."""
    name = headers[0].split("(")[0]
    gf = GenericFunction(name)
    for i, h in enumerate(headers):
        gf.add_method(parse_method(h, span=span(i + 1), impl=i))
    return gf


def argtypes(text: str) -> tuple:
    t = parse_type(f"Tuple{{{text}}}")
    return t.params


SINGLE = ["f(x)", "f(x::Real)", "f(x::Integer)", "f(x::Int64)", "f(x::AbstractFloat)",
          "f(x::Union{String, Symbol})"]
PAIR = ["g(x::Int64, y)", "g(x, y::Int64)", "g(x::Int64, y::Int64)"]
VARARGS = ["h(xs...)", "h(x::Int64, xs...)", "h(x::Int64, y::Int64)", "h(x::String, ys::String...)"]
WHERE = ["p(x::AbstractArray{T, N}) where {T, N}", "p(x::AbstractVector{T}) where T<:Real",
         "p(x::Vector{Float64})", "p(x::AbstractArray{T, N}, d::NTuple{N, Int64}) where {T, N}"]
DIAG = ["q(x::T, y::T) where T", "q(x, y)", "q(x::Vector{T}, y::T) where T<:Number"]
TYPES = ["r(::Type{T}) where T<:AbstractFloat", "r(::Type{Float64})", "r(::Type{T}, x::T) where T",
         "r(::Type{Vector{T}}) where T"]
TUPLES = ["s(t::Tuple)", "s(t::Tuple{Int64, Vararg{Int64}})",
          "s(t::NTuple{N, T}) where {N, T<:Real}", "s(t::Tuple{})"]

# (methods, call argument types, index of the chosen method, expected where-bindings)
DISPATCH_CASES = [
    (SINGLE, "Int64", 3, {}),
    (SINGLE, "Int32", 2, {}),
    (SINGLE, "Bool", 2, {}),
    (SINGLE, "Float32", 4, {}),
    (SINGLE, "String", 5, {}),
    (SINGLE, "Symbol", 5, {}),
    (SINGLE, "Nothing", 0, {}),
    (SINGLE, "Vector{Float64}", 0, {}),
    (PAIR, "Int64, String", 0, {}),
    (PAIR, "String, Int64", 1, {}),
    (PAIR, "Int64, Int64", 2, {}),
    (VARARGS, "", 0, {}),
    (VARARGS, "Int64", 1, {}),
    (VARARGS, "Int64, Int64", 2, {}),
    (VARARGS, "Int64, Float64", 1, {}),
    (VARARGS, "Int64, Int64, Int64", 1, {}),
    (VARARGS, "Float64", 0, {}),
    (VARARGS, "String", 3, {}),
    (VARARGS, "String, String, String", 3, {}),
    (VARARGS, "String, Int64", 0, {}),
    (WHERE, "Matrix{Float32}", 0, {"T": T.Float32, "N": 2}),
    (WHERE, "Array{Int32, 3}", 0, {"T": T.Int32, "N": 3}),
    (WHERE, "Vector{Int64}", 1, {"T": T.Int64}),
    (WHERE, "UnitRange{Int64}", 1, {"T": T.Int64}),
    (WHERE, "Vector{String}", 0, {"T": T.String, "N": 1}),
    (WHERE, "Vector{Float64}", 2, {}),
    (WHERE, "Matrix{Float64}, Tuple{Int64, Int64}", 3, {"T": T.Float64, "N": 2}),
    (DIAG, "Int64, Int64", 0, {"T": T.Int64}),
    (DIAG, "Int64, Float64", 1, {}),
    (DIAG, "Vector{Float64}, Float64", 2, {"T": T.Float64}),
    (DIAG, "Vector{Real}, Float64", 2, {"T": T.Real}),
    (DIAG, "Vector{String}, String", 1, {}),
    (TYPES, "Type{Float32}", 0, {"T": T.Float32}),
    (TYPES, "Type{Float64}", 1, {}),
    (TYPES, "Type{Float64}, Float64", 2, {"T": T.Float64}),
    (TYPES, "Type{Real}, Real", 2, {"T": T.Real}),
    (TYPES, "Type{Vector{Int64}}", 3, {"T": T.Int64}),
    (TUPLES, "Tuple{String, Int64}", 0, {}),
    (TUPLES, "Tuple{Int64}", 1, {}),
    (TUPLES, "Tuple{Int64, Int64, Int64}", 1, {}),
    (TUPLES, "Tuple{Float64, Float64}", 2, {"N": 2, "T": T.Float64}),
    (TUPLES, "Tuple{Float64, Int64}", 0, {}),
    (TUPLES, "Tuple{}", 3, {}),
]


@pytest.mark.parametrize("methods, args, index, bindings", DISPATCH_CASES,
                         ids=[f"{m[0].split('(')[0]}({a})" for m, a, _, _ in DISPATCH_CASES])
def test_dispatch(methods: list[str], args: str, index: int, bindings: dict) -> None:
    gf = make_gf(methods)
    method, got = gf.lookup(argtypes(args))
    assert method.impl == index, method.params_text
    assert got == bindings


NO_MATCH_CASES = [
    (SINGLE, "Int64, Int64"),
    (PAIR, "String, String"),
    (WHERE, "Int64"),
    (DIAG, "Int64"),
    (TYPES, "Type{Int64}"),
    (TYPES, "Type{Float64}, Int64"),
    (TUPLES, "Vector{Int64}"),
]


@pytest.mark.parametrize("methods, args", NO_MATCH_CASES)
def test_no_method(methods: list[str], args: str) -> None:
    gf = make_gf(methods)
    with pytest.raises(source.MethodError) as exc:
        gf.lookup(argtypes(args), span(30))
    assert exc.value.message.startswith(f"no method matching {gf.name}(")
    assert exc.value.span.line == 30
    assert not gf.applicable(argtypes(args))


def test_no_method_message_lists_closest_candidates() -> None:
    gf = make_gf(["f(x::Float64, y::String)", "f(x::Int64, y::Float64)", "f(x::Symbol)",
                  "f(x::Symbol, y::Symbol)", "f(x::Int64, y::Int64, z)"])
    with pytest.raises(source.MethodError) as exc:
        gf.lookup((T.Int64, T.String))
    assert exc.value.message == "\n".join([
        "no method matching f(::Int64, ::String)",
        "",
        "Closest candidates are:",
        "  f(::Float64, ::String) at t.arr:1",
        "  f(::Int64, ::Float64) at t.arr:2",
        "  f(::Symbol, ::Symbol) at t.arr:4",
    ])
    assert "MethodError: no method matching f(::Int64, ::String)" in exc.value.render()


def test_no_method_message_formats() -> None:
    gf = make_gf(["k(::Type{T}, x::T) where T", "k(xs::Int64...; dims)", "k(x::Vector{<:Real})"])
    with pytest.raises(source.MethodError) as exc:
        gf.lookup((T.typeof(T.Float64), T.String))
    msg = exc.value.message
    assert msg.splitlines()[0] == "no method matching k(::Type{Float64}, ::String)"
    assert "  k(::Type{T}, ::T) where T at t.arr:1" in msg
    assert "  k(::Int64...; dims) at t.arr:2" in msg
    with pytest.raises(source.MethodError) as exc:
        gf.lookup((T.String,))
    assert "  k(::Vector{<:Real}) at t.arr:3" in exc.value.message
    empty = GenericFunction("e")
    with pytest.raises(source.MethodError) as exc:
        empty.lookup(())
    assert exc.value.message == "no method matching e()"


def test_ambiguity_names_both_methods() -> None:
    gf = make_gf(["g(x::Int64, y)", "g(x, y::Int64)"])
    with pytest.raises(source.MethodError) as exc:
        gf.lookup((T.Int64, T.Int64), span(9))
    assert exc.value.message == "\n".join([
        "g(::Int64, ::Int64) is ambiguous.",
        "",
        "Candidates:",
        "  g(x::Int64, y) at t.arr:1",
        "  g(x, y::Int64) at t.arr:2",
        "",
        "Possible fix, define",
        "  g(::Int64, ::Int64)",
    ])
    assert exc.value.span.line == 9
    # the unambiguous calls still work, and defining the fix resolves it
    assert gf.lookup((T.Int64, T.String))[0].impl == 0
    gf.add_method(parse_method("g(x::Int64, y::Int64)", impl=2))
    assert gf.lookup((T.Int64, T.Int64))[0].impl == 2


AMBIGUOUS_CASES = [
    (["a(x::Integer, y)", "a(x, y::Integer)"], "Int64, Int64"),
    (["a(x::AbstractArray{T}) where T<:Real", "a(x::AbstractVector)"], "Vector{Float64}"),
    (["a(x::Int64, y::Real)", "a(x::Real, y::Int64)", "a(x::Real, y::Real)"], "Int64, Int64"),
]


@pytest.mark.parametrize("methods, args", AMBIGUOUS_CASES)
def test_ambiguous(methods: list[str], args: str) -> None:
    gf = make_gf(methods)
    with pytest.raises(source.MethodError) as exc:
        gf.lookup(argtypes(args))
    assert " is ambiguous." in exc.value.message
    assert "at t.arr:1" in exc.value.message and "at t.arr:2" in exc.value.message


def test_cache_invalidation_on_add_method() -> None:
    gf = make_gf(["f(x::Real)"])
    first = gf.lookup((T.Int64,))
    assert gf.lookup((T.Int64,)) is first        # cached: the same tuple comes back
    gf.add_method(parse_method("f(x::Int64)", impl="new"))
    assert gf.lookup((T.Int64,))[0].impl == "new"
    with pytest.raises(source.MethodError):
        gf.lookup((T.String,))
    gf.add_method(parse_method("f(x::String)", impl="str"))   # also clears cached failures
    assert gf.lookup((T.String,))[0].impl == "str"


def test_replacement_of_identical_signature() -> None:
    gf = make_gf(["f(x::Int64)", "f(x)"])
    replaced = gf.add_method(parse_method("f(y::Int64)", impl="again"))
    assert [m.impl for m in replaced] == [0]
    assert len(gf.methods) == 2
    assert gf.lookup((T.Int64,))[0].impl == "again"
    # `f(x::T) where T` is type-equal to `f(x)`
    gf.add_method(parse_method("f(x::T) where T", impl="where"))
    assert len(gf.methods) == 2
    assert gf.lookup((T.String,)) == (gf.methods[-1], {"T": T.String})
    # a different bound is a different signature
    gf.add_method(parse_method("f(x::T) where T<:Real", impl="real"))
    assert len(gf.methods) == 3


def test_optional_arguments() -> None:
    gf = GenericFunction("o")
    m = parse_method("o(x::Int64, y::Float64, z)", nrequired=1, impl="opt")
    gf.add_method(m)
    for args in [(T.Int64,), (T.Int64, T.Float64), (T.Int64, T.Float64, T.String)]:
        assert gf.lookup(args)[0] is m
    with pytest.raises(source.MethodError):
        gf.lookup((T.Int64, T.Float64, T.String, T.String))
    with pytest.raises(source.MethodError):
        gf.lookup(())
    # redefining one arity replaces only that arity
    gf.add_method(parse_method("o(x::Int64)", impl="one"))
    assert gf.lookup((T.Int64,))[0].impl == "one"
    assert gf.lookup((T.Int64, T.Float64))[0] is m
    assert len(gf.methods) == 2


def test_where_binding_with_optional_arguments_drops_unused_vars() -> None:
    gf = GenericFunction("o")
    gf.add_method(parse_method("o(x::Int64, y::T) where T", nrequired=1))
    assert gf.lookup((T.Int64,))[1] == {}
    assert gf.lookup((T.Int64, T.Float32))[1] == {"T": T.Float32}


def test_vararg_bindings() -> None:
    gf = make_gf(["v(xs::T...) where T", "v(x::String, xs::Vararg{Int64, N}) where N"])
    assert gf.lookup((T.Int64, T.Int64))[1] == {"T": T.Int64}
    assert gf.lookup((T.Float32,))[1] == {"T": T.Float32}
    assert gf.lookup(())[1] == {}                       # T unbound, as in Julia
    assert gf.lookup((T.String, T.Int64, T.Int64))[1] == {"N": 2}
    with pytest.raises(source.MethodError):
        gf.lookup((T.Int64, T.Float64))                  # T must be one concrete type


def test_method_construction_and_printing() -> None:
    m = Method("f", (T.Int64, T.Float64), vararg=True, argnames=("x", "ys"), kwnames=("dims",),
               has_kw_varargs=True, span=span(4))
    assert m.vararg and m.nfixed == 1 and m.nrequired == 1
    assert T.show_type(m.sig) == "Tuple{Int64, Vararg{Float64}}"
    assert m.params_text == "f(x::Int64, ys::Float64...; dims, kwargs...)"
    assert m.candidate_text == "f(::Int64, ::Float64...; dims, kwargs...)"
    assert m.location == "t.arr:4"
    assert repr(m) == "f(x::Int64, ys::Float64...; dims, kwargs...) at t.arr:4"
    w = parse_method("f(x::AbstractArray{T, N}, y::S) where {T<:Real, N, S}")
    assert w.params_text == "f(x::AbstractArray{T, N}, y::S) where {T<:Real, N, S}"
    assert parse_method("f(x, ::Any, z::Vector{<:Real})").params_text == \
        "f(x, ::Any, z::Vector{<:Real})"


def test_generic_function_value() -> None:
    gf = make_gf(["sin(x::Float64)"])
    assert T.show_type(T.typeof(gf)) == "typeof(sin)"
    assert T.issubtype(T.typeof(gf), T.Function)
    assert T.typeof(gf) is gf.arr_type
    assert T.typeof(GenericFunction("sin")) is not gf.arr_type   # each function its own type
    assert repr(gf) == "sin (generic function with 1 method)"
    assert gf.methods_text() == "\n".join([
        '# 1 method for generic function "sin":', " [1] sin(x::Float64)", "     @ t.arr:1"])


def test_dispatch_on_function_and_struct_types() -> None:
    layer = T.new_abstract_type("Layer", (), None)
    dense = T.new_struct_type("Dense", (), layer, ("W",), (None,))
    tv = T.TypeVar("T")
    duo = T.new_struct_type("Duo", (tv,), None, ("a", "b"), (tv, tv))
    names = {"Layer": layer, "Dense": dense, "Duo": duo}
    gf = GenericFunction("apply")
    gf.add_method(parse_method("apply(f::Function, l::Layer)", names, impl=0))
    gf.add_method(parse_method("apply(f::Function, l::Dense)", names, impl=1))
    gf.add_method(parse_method("apply(f, d::Duo{T}) where T<:Real", names, impl=2))
    fn = GenericFunction("relu")
    assert gf.lookup((T.typeof(fn), dense))[0].impl == 1
    assert gf.lookup((T.typeof(fn), T.apply_type(duo, (T.Float64,)))) == \
        (gf.methods[2], {"T": T.Float64})
    with pytest.raises(source.MethodError):
        gf.lookup((T.typeof(fn), T.apply_type(duo, (T.String,))))


def test_constructor_and_callable_tables_print_like_julia() -> None:
    tv = T.TypeVar("T")
    duo = T.new_struct_type("Duo", (tv,), None, ("a", "b"), (tv, tv))
    point = T.new_struct_type("Point", (), None, ("x", "y"), (T.Float64, T.Float64))
    names = {"Duo": duo, "Point": point}
    ctors = GenericFunction("Duo", self_arg=True)
    ctors.add_method(parse_method("Duo(::Type{Duo}, a::T, b::T) where T", names, span=span(1)))
    ctors.add_method(parse_method("Duo(::Type{Duo{T}}, a, b) where T", names, span=span(2)))
    with pytest.raises(source.MethodError) as exc:
        ctors.lookup((T.type_of_type(duo), T.Int64, T.Float64))
    assert exc.value.message == "\n".join([
        "no method matching Duo(::Int64, ::Float64)", "", "Closest candidates are:",
        "  Duo(::T, ::T) where T at t.arr:1", "  Duo{T}(::Any, ::Any) where T at t.arr:2"])
    assert ctors.lookup((T.type_of_type(T.apply_type(duo, (T.Float32,))), T.Int64, T.Int64))[1] \
        == {"T": T.Float32}
    calls = GenericFunction("(callable)", self_arg=True)
    calls.add_method(parse_method("call(p::Point, x::Float64)", names, span=span(3)))
    with pytest.raises(source.MethodError) as exc:
        calls.lookup((point, T.String))
    assert exc.value.message.splitlines()[0] == "no method matching (::Point)(::String)"
    assert "  (::Point)(::Float64) at t.arr:3" in exc.value.message
    assert calls.methods_text().splitlines()[1] == " [1] (p::Point)(x::Float64)"


def test_given_params_text_is_kept() -> None:
    gf = GenericFunction("f")
    gf.add_method(Method("f", (T.Int64, T.Int64), params_text="f(x::Int, y=2)", span=span(1)))
    gf.add_method(Method("f", (T.Int64, T.Any), params_text="f(x, y::Any)", span=span(2)))
    assert gf.methods[0].params_text == "f(x::Int, y=2)"
    assert gf.methods_text().splitlines()[1] == " [1] f(x::Int, y=2)"


def test_substitution_leaves_a_rebound_variable_alone() -> None:
    """`Foo(x::T) where T` of `struct Foo{T}` names T twice: substituting the method's T
    must not reach into the `Foo{T} where T` inside `Type{Foo}`."""
    tv = T.TypeVar("T")
    foo = T.new_struct_type("Foo", (tv,), None, ("x",), (tv,))     # Foo{T} where T
    assert type(foo) is T.UnionAll and foo.var is tv
    assert T.subst(foo, {tv: T.TypeVar("T")}) is foo
    assert T.subst(T.make_tuple_type((foo, tv)), {tv: T.Int64}) == \
        T.make_tuple_type((foo, T.Int64))


def test_default_constructor_beats_a_vararg_outer_constructor() -> None:
    """As in Julia: `Foo(1)` calls the default constructor, not `Foo(xs...)`."""
    from lang.session import Session
    s = Session()
    s.eval("struct Foo{T}\n    x::T\nend\nFoo(xs...) = Foo(xs)")
    assert s.eval("Foo(1).x") == 1
    assert s.eval("Foo(1, 2).x") == (1, 2)
