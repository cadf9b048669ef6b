"""The interpreter: runs IR functions over the values of `values.py`.

Each `IRFunction` is prepared once into a list of blocks of Python closures ("closure
compilation"), so running an instruction costs one Python call.  Calls go through
`Interpreter.call`, which dispatches:

* a generic function -> the most specific method (`dispatch.lookup`, cached by types),
* a closure -> its lambda,
* a type -> its constructor methods (with `Type{T}` as the first argument type),
* anything else -> methods of the callable-struct table `(s::S)(args...)`.

Errors are `ArrError`s; each frame they pass through records its function name and the
span of the failing instruction, which gives the Arr stack trace.
"""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from . import dispatch, types as T
from .ir import IRFunction, UNDEF
from .lower import LambdaInfo, MethodDef, StructDefInfo
from .prims import PRIMITIVES, load_all
from .source import (ArrError, Frame, InterruptException, MethodError, NO_SPAN, Span,
                     StackOverflowError, error_class, is_library)
from .values import NamedTupleValue

MAX_DEPTH = 6000
FUEL_STEP = 10000        # calls and loop iterations between deadline checks


class Box:
    """A mutable cell shared between a function and its closures."""
    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value: Any = UNDEF


class Closure:
    """An anonymous function value: its lambda and the values it captured."""
    __slots__ = ("info", "captures", "arr_type", "name")

    def __init__(self, info: LambdaInfo, captures: tuple, arr_type: Any) -> None:
        self.info = info
        self.captures = captures
        self.arr_type = arr_type
        self.name = info.name

    def __repr__(self) -> str:
        return f"<closure {self.info.name}>"


@dataclass
class MethodImpl:
    """The body of a method written in Arr."""
    ir: IRFunction
    nparams: int              # positional parameters the body takes (incl. self)
    vararg: bool
    kwnames: tuple[str, ...]
    kw_vararg: bool
    drop_first: bool          # constructor methods: the type argument is not passed
    has_kw: bool
    direct: Any = None        # the intrinsic, when the body is just `Intrinsics.f(args...)`
    jit: int = 0              # compile calls (jit.py): 1 always (user code), 2 with an
                              # array argument (the stdlib's array functions), 0 never


class Builtin:
    """A function implemented in Python and bound as an Arr global (`include`).

    `stage` says how compiled code calls it (staging.py): None, it cannot be (the call
    runs in the interpreter); `DIRECT`, `fn` itself works on symbolic values; or a
    function `stager -> fn` giving the Python function that does the call's work while
    staging (differentiation's builtins, ad_staging.py)."""
    __slots__ = ("name", "fn", "arr_type", "stage", "made")

    def __init__(self, name: str, fn: Callable[..., Any], stage: Any = None) -> None:
        self.name = name
        self.fn = fn
        self.arr_type = T.function_type(name)
        self.stage = stage
        self.made: tuple | None = None     # a pullback's (maker, args): ad.AD.back_builtin


DIRECT = "direct"
_ALWAYS_COMPILED = frozenset({"gradient", "withgradient", "pullback", "derivative", "jacobian",
                              "hessian",       # Builtin.stage: fn runs on symbolic values as it is
                              "_train_step"})  # train!'s step: gradient and update, one executable


@dataclass
class BuiltinImpl:
    """A method implemented in Python (default struct constructors)."""
    fn: Callable[..., Any]
    drop_first: bool = True


class ArrThrow(Exception):
    pass


def _is_type_value(v: Any) -> bool:
    return isinstance(v, T.TYPE_VALUE_CLASSES)


class Interpreter:
    def __init__(self) -> None:
        load_all()
        self.globals: dict[str, Any] = {}
        self.consts: set[str] = set()
        self.ctor_tables: dict[Any, dispatch.GenericFunction] = {}
        self.call_table = dispatch.GenericFunction("(callable)", self_arg=True)
        self.depth = 0
        self.prepared: dict[int, Any] = {}
        self.compile_seconds = 0.0
        self.fuel = FUEL_STEP
        self.deadline: float | None = None     # time.monotonic() limit, for fuzzing
        self.jit: Any = None                   # jit.JIT, made on the first compilable call
        self.jit_on = os.environ.get("ARR_JIT", "1") != "0"
        # ARR_JIT=all: compile every call that interpreted code makes with concrete
        # arguments, even trivial ones (the test corpus checks compiled semantics so)
        self.jit_all = os.environ.get("ARR_JIT") == "all"
        for name, t in T.BUILTIN_TYPES.items():
            self.globals[name] = t
        self.globals.update({
            "nothing": None, "pi": float(np.pi), "π": float(np.pi), "Inf": float("inf"),
            "NaN": float("nan"), "Inf32": np.float32("inf"), "NaN32": np.float32("nan"),
            "Inf64": float("inf"), "NaN64": float("nan"), "ℯ": float(np.e),
            "ARGS": (),
        })

    @property
    def out(self) -> Any:
        """Where built-in output goes: the current sys.stdout (so redirection works)."""
        return sys.stdout

    # ------------------------------------------------------------------ calls
    def call(self, f: Any, *args: Any) -> Any:
        """`ctx.call(f, args...)` for the intrinsics."""
        return self.invoke_value(f, list(args), None, NO_SPAN)

    def call_kw(self, f: Any, args: list, kwargs: dict) -> Any:
        return self.invoke_value(f, list(args), kwargs or None, NO_SPAN)

    def invoke_value(self, f: Any, args: list, kw: dict | None, span: Span) -> Any:
        if isinstance(f, dispatch.GenericFunction):
            argtypes = tuple(map(T.typeof, args))
            method, env = dispatch.lookup(f, argtypes, span)
            return self.invoke_method(method, env, args, kw, span)
        if isinstance(f, Closure):
            return self.invoke_closure(f, args, kw, span)
        if isinstance(f, Builtin):
            return f.fn(*args, **(kw or {}))
        if isinstance(f, NewMarker):
            return construct(self, f.type, args, span)
        if _is_type_value(f):
            table = self.ctor_tables.get(T.ctor_key(f))
            argtypes = (T.type_of_type(f),) + tuple(map(T.typeof, args))
            if table is None:
                raise MethodError(f"no method matching {T.show_type(f)}"
                                  f"({', '.join('::' + T.show_type(a) for a in argtypes[1:])})",
                                  span)
            method, env = dispatch.lookup(table, argtypes, span)
            return self.invoke_method(method, env, [f, *args], kw, span)
        argtypes = (T.typeof(f),) + tuple(map(T.typeof, args))
        if not self.call_table.methods:
            raise MethodError(f"objects of type {T.show_type(argtypes[0])} are not callable",
                              span)
        method, env = dispatch.lookup(self.call_table, argtypes, span)
        return self.invoke_method(method, env, [f, *args], kw, span)

    def invoke_method(self, method: Any, env: dict, args: list, kw: dict | None,
                      span: Span) -> Any:
        impl = method.impl
        if isinstance(impl, BuiltinImpl):
            if kw:
                raise MethodError(f"{method.name} does not take keyword arguments", span)
            return impl.fn(env, *(args[1:] if impl.drop_first else args))
        if impl.drop_first:
            args = args[1:]
        if impl.direct is not None and not kw and not self.jit_all:
            return impl.direct(*args)
        jit = impl.jit
        if jit and self.jit_on and (jit == 1 or self.jit_all or _has_array(args)):
            r = self.jit_call(method, env, args, span, kw)
            if r is not _NOPE:
                return r
        if impl.vararg:
            n = impl.nparams - 1
            args = args[:n] + [tuple(args[n:])]
        if impl.has_kw:
            args.append(self.make_kw(kw, impl.kwnames, impl.kw_vararg, method.name, span))
        elif kw:
            raise MethodError(f"no method of {method.name} takes keyword arguments "
                              f"({', '.join(kw)})", span)
        return self.run(impl.ir, args, env, None)

    def jit_call(self, method: Any, env: dict, args: list, span: Span,
                 kw: dict | None = None) -> Any:
        """A call compiled (`jit.py`); _NOPE when it must be interpreted."""
        if self.jit is None:
            from .jit import JIT
            self.jit = JIT(self)
        return self.jit.call(method, env, args, span, kw)

    def invalidate(self) -> None:
        """A definition changed: compiled code that used the old one is stale."""
        if self.jit is not None:
            self.jit.invalidate()

    def make_kw(self, kw: dict | None, names: tuple, vararg: bool, fname: str,
                span: Span) -> NamedTupleValue:
        if not kw:
            return NamedTupleValue((), ())
        if not vararg:
            for k in kw:
                if k not in names:
                    raise MethodError(f"{fname} got unsupported keyword argument \"{k}\"", span)
        return NamedTupleValue(tuple(kw), tuple(kw.values()))

    def invoke_closure(self, f: Closure, args: list, kw: dict | None, span: Span) -> Any:
        info = f.info
        n = info.nparams
        if info.vararg:
            if len(args) < n - 1:
                raise self._closure_arity(f, args, span)
            args = args[:n - 1] + [tuple(args[n - 1:])]
        elif len(args) != n:
            raise self._closure_arity(f, args, span)
        if info.kwnames or info.kw_vararg:
            args.append(self.make_kw(kw, info.kwnames, info.kw_vararg, info.name, span))
        elif kw:
            raise MethodError("anonymous function does not take keyword arguments", span)
        return self.run(info.ir, args, None, f)

    def _closure_arity(self, f: Closure, args: list, span: Span) -> ArrError:
        sig = ", ".join("::" + T.show_type(T.typeof(a)) for a in args)
        return MethodError(f"no method matching {f.info.name}({sig}): the function takes "
                           f"{f.info.nparams} argument{'s' if f.info.nparams != 1 else ''}",
                           span)

    # ------------------------------------------------------------------ frames
    def run(self, ir: IRFunction, args: list, env: dict | None, closure: Closure | None) -> Any:
        entry = self.prepared.get(id(ir))
        if entry is None or entry[0] is not ir:
            # the entry keeps `ir` alive, so its id cannot be reused by another function
            entry = self.prepared[id(ir)] = (ir, prepare(self, ir))
        prep = entry[1]
        self.depth += 1
        self.fuel -= 1
        if self.fuel <= 0:
            self.refuel(ir.span)
        if self.depth > MAX_DEPTH:
            self.depth = 0
            raise StackOverflowError("stack overflow (too deep recursion)", None)
        try:
            return run_prepared(self, prep, ir, args, env, closure)
        finally:
            self.depth -= 1

    def refuel(self, span: Span) -> None:
        self.fuel = FUEL_STEP
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise InterruptException("the time limit for this evaluation ran out", span)

    # ------------------------------------------------------------------ definitions
    def define_method(self, d: MethodDef, span: Span, struct_type: Any = None) -> None:
        from .typeeval import method_signature
        fdef = d.fdef
        sig, has_self = method_signature(self, fdef, span)
        nparams = len(fdef.params) + (1 if fdef.self_param is not None else 0)
        vararg = bool(fdef.params) and fdef.params[-1].vararg
        impl = MethodImpl(d.ir, nparams, vararg, d.kwnames, d.kw_vararg, False,
                          bool(fdef.kwparams))
        if not vararg and not fdef.kwparams:
            impl.direct = intrinsic_wrapper(self, d.ir, nparams)
        # the stdlib's own helpers (`_name`) are compiled as part of their callers only;
        # a body that is one intrinsic is only worth compiling under ARR_JIT=all
        # differentiation's API is compiled always: its work is the user's function
        impl.jit = (1 if fdef.name in _ALWAYS_COMPILED else
                    0 if (fdef.name or "").startswith("_") else 2) if is_library(span) else 1
        self.invalidate()
        if fdef.name is None:
            receiver = _constructor_receiver(sig)
            if receiver is not None:
                # `(::Type{Array{T,N}})(args...) where {T,N} = ...`: a constructor method
                table = self.ctor_table(receiver)
                name = table.name
            else:
                table = self.call_table
                name = "(callable)"
        else:
            name = fdef.name
            existing = self.globals.get(name)
            if _is_type_value(existing):
                table = self.ctor_table(existing)
                sig = T.prepend_type_arg(sig, T.type_of_type(existing))
                impl.drop_first = True
                impl.jit = 0
            elif isinstance(existing, dispatch.GenericFunction):
                table = existing
            elif existing is None and name not in self.globals:
                table = self.globals[name] = dispatch.GenericFunction(name)
            else:
                raise error_class("ErrorException")(
                    f"cannot define function {name}: it already has a value of type "
                    f"{T.show_type(T.typeof(existing))}", span)
        m = dispatch.Method(name=name, sig=sig, span=span, impl=impl,
                            kwnames=d.kwnames, params_text=_params_text(fdef))
        table.add_method(m)
        if d.doc:
            table.doc.append(d.doc)

    def define_struct(self, info: StructDefInfo, span: Span) -> Any:
        self.invalidate()
        return define_struct(self, info, span)

    def define_abstract(self, node: Any, span: Span) -> Any:
        return define_abstract(self, node, span)

    def run_macro(self, attr: tuple, args: list, span: Span, fr: Any) -> Any:
        name = attr[0]
        if name == "typeexpr":
            return eval_type_expr(self, attr[1], {})
        if name in ("code_ir", "code_lowered"):
            from .printer import format_function
            f, fargs = args[0], args[1:]
            if isinstance(f, Closure):
                ir = f.info.ir
            else:
                if isinstance(f, dispatch.GenericFunction):
                    table, key = f, tuple(map(T.typeof, fargs))
                elif _is_type_value(f):
                    table = self.ctor_table(f)
                    key = (T.type_of_type(f),) + tuple(map(T.typeof, fargs))
                else:
                    table = self.call_table
                    key = tuple(map(T.typeof, [f, *fargs]))
                method, _ = dispatch.lookup(table, key, span)
                if not isinstance(method.impl, MethodImpl):
                    self.out.write(f"{method.name} is a built-in method\n")
                    return None
                ir = method.impl.ir
            self.out.write(format_function(ir) + "\n")
            return None
        if name == "code_typed":
            from .infer import Inference
            from .lattice import of_value
            from .printer import format_typed
            f, fargs = args[0], args[1:]
            engine = Inference(self)
            typed_args = [of_value(x, keep_const=False) for x in fargs]
            method = None
            if isinstance(f, Closure):
                from .infer import ClosureValue
                clo = ClosureValue(f.info, tuple(of_value(c, keep_const=False)
                                                 for c in f.captures))
                typed = engine.infer(f.info.ir, typed_args, None, clo)
            else:
                _, method = engine.call(of_value(f), typed_args, None)
                if method is None or not isinstance(method.impl, MethodImpl):
                    raise error_class("CompileError")(
                        "@code_typed: no Arr method to show for this call", span)
                impl = method.impl
                call_args = typed_args
                if impl.vararg:
                    from .infer import _tuple_value
                    n = impl.nparams - 1
                    call_args = call_args[:n] + [_tuple_value(call_args[n:])]
                if impl.has_kw:
                    call_args = call_args + [of_value(NamedTupleValue((), ()))]
                _, env = dispatch.lookup(self.table_for(f), self.argtypes_for(f, fargs), span)
                typed = engine.infer(impl.ir, call_args, env)
            self.out.write(format_typed(typed) + "\n")
            return None
        if name == "interpret":
            saved = self.jit_on
            self.jit_on = False
            try:
                return self.invoke_value(args[0], list(args[1:]), None, span)
            finally:
                self.jit_on = saved
        if name == "code_hlo":
            self.out.write(self.code_hlo(args[0], list(args[1:]), span) + "\n")
            return None
        raise error_class("CompileError")(f"unknown macro @{name}", span)

    def code_hlo(self, f: Any, args: list, span: Span) -> str:
        """The StableHLO module a call compiles to (CompileError when it cannot)."""
        from .jit import JIT
        from .staging import NotCompilable, StaticError
        if self.jit is None:
            self.jit = JIT(self)
        if isinstance(f, Closure) or isinstance(f, Builtin):
            raise error_class("CompileError")("@code_hlo: give a call of a named function", span)
        method, env = dispatch.lookup(self.table_for(f), self.argtypes_for(f, args), span)
        call_args = args if isinstance(f, dispatch.GenericFunction) else [f, *args]
        if not isinstance(method.impl, MethodImpl):
            raise error_class("CompileError")(f"{method.name} is a built-in method", span)
        try:
            text = self.jit.stage(method, env, call_args)[0]
        except StaticError as e:
            raise e.error
        except NotCompilable as e:
            err = error_class("CompileError")(f"{method.name} cannot be compiled: {e.reason}",
                                              span)
            if e.span is not None and not is_library(e.span):
                err.stack.append(Frame(method.name, e.span))
            raise err
        return text

    def table_for(self, f: Any) -> Any:
        if isinstance(f, dispatch.GenericFunction):
            return f
        if _is_type_value(f):
            return self.ctor_table(f)
        return self.call_table

    def argtypes_for(self, f: Any, args: list) -> tuple:
        types_ = tuple(map(T.typeof, args))
        if isinstance(f, dispatch.GenericFunction):
            return types_
        if _is_type_value(f):
            return (T.type_of_type(f),) + types_
        return (T.typeof(f),) + types_

    def ctor_table(self, t: Any) -> dispatch.GenericFunction:
        key = T.ctor_key(t)
        table = self.ctor_tables.get(key)
        if table is None:
            table = self.ctor_tables[key] = dispatch.GenericFunction(T.show_type(t), self_arg=True)
        return table


_NOPE: Any = None     # jit.NOPE, bound when jit.py is imported


def _has_array(args: list) -> bool:
    for a in args:
        if type(a) is np.ndarray:
            return True
    return False


def _constructor_receiver(sig: Any) -> Any:
    """X when the first parameter of a callable-object method is `Type{X}` (X a type)."""
    body, _ = T.unwrap(sig)
    params = getattr(body, "params", ())
    if not params:
        return None
    first = params[0]
    if isinstance(first, T.DataType) and first.typename is T.TYPE_TN and first.params:
        x = first.params[0]
        if isinstance(x, T.TYPE_VALUE_CLASSES):
            return x
    return None


def intrinsic_wrapper(interp: Interpreter, ir: IRFunction, nparams: int) -> Any:
    """The intrinsic a method body merely forwards to (`f(x, y) = Intrinsics.add(x, y)`),
    so that calls to it skip the frame; None for any other body."""
    if len(ir.blocks) != 1:
        return None
    blk = ir.blocks[0]
    insts = blk.insts
    if len(insts) != nparams + 1 or blk.term.op != "ret":
        return None
    for i, inst in enumerate(insts[:-1]):
        if inst.op != "arg" or inst.attr != i:
            return None
    last = insts[-1]
    if last.op != "prim" or len(last.attr) != 1 or blk.term.args != (last.res,) or \
            last.args != tuple(x.res for x in insts[:-1]):
        return None
    p = PRIMITIVES.get(last.attr[0])
    if p is None:
        return None
    if p.needs_ctx:
        fn = p.impl
        return lambda *args: fn(interp, *args)
    return p.impl


def _params_text(fdef: Any) -> str:
    src = fdef.span.source.text[fdef.span.start:fdef.span.end]
    first = src.split("\n", 1)[0]
    if first.startswith("function "):
        first = first[len("function "):]
    if "=" in first and not first.startswith("function"):
        depth = 0
        for i, ch in enumerate(first):
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth -= 1
            elif ch == "=" and depth == 0 and first[i - 1] not in "=!<>" and \
                    (i + 1 >= len(first) or first[i + 1] != "="):
                return first[:i].strip()
    return first.strip()


from .frames import prepare, run_prepared  # noqa: E402  (the frame machinery, split out)
from .typeeval import (NewMarker, construct, define_abstract, define_struct,  # noqa: E402
                       eval_type_expr)
