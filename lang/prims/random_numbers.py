"""Random numbers in the interpreter: `rand`, `randn`, `rand(lo:hi)`, `randperm`, `seed!`.

They come from one numpy Generator, reseeded by `seed!` (the Threefry keys of compiled code
are separate).  The shape rules give the element type and, from known `dims`, the shape:
`dims == ()` gives a scalar, a tuple of k dims an `Array{T, k}`.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from . import primitive, shape_rule
from .. import lattice as L
from .. import source
from .. import types
from ..lattice import NO_CONST, AbstractValue
from .misc import is_int_type, known, tuple_elements, type_value
from .scalar import as_int, dtype_of, make_scalar, shape_tuple, type_name


def _dims(shape: AbstractValue) -> tuple[tuple[int, ...] | None, int | None]:
    """The dimensions a `dims` argument asks for and their number (None where unknown),
    raising the call's ArgumentError for known invalid dimensions."""
    v = known(shape)
    if v is not NO_CONST:
        dims = shape_tuple(v)
        return dims, len(dims)
    if is_int_type(shape.type):
        return None, 1
    elements = tuple_elements(shape)
    if elements is not None and elements[1] is None:
        return None, len(elements[0])
    return None, None


def _samples(eltype: Any, shape: AbstractValue) -> AbstractValue:
    """The abstract result of drawing samples of type eltype for the `dims` argument shape."""
    dims, rank = _dims(shape)
    if rank == 0:
        return L.scalar(eltype)
    if dims is not None:
        return L.array(eltype, dims)
    if rank is not None:
        return AbstractValue(types.apply_type(types.Array, (eltype, rank)), None)
    return AbstractValue(types.make_union(eltype, types.apply_type(types.Array, (eltype,))), None)


class _RandomState:
    """The interpreter's global generator, reseeded by `seed!` (Threefry keys are separate)."""
    generator = np.random.default_rng()


@primitive("seed", 1, derivative="none")
def seed(n: Any) -> None:
    """`seed!(n)`: reseed the global random number generator."""
    _RandomState.generator = np.random.default_rng(int(n))
    return None


@shape_rule("seed")
def seed_shape(n: AbstractValue) -> AbstractValue:
    return L.of_value(None)


def _random_result(a: np.ndarray, shape: tuple, dt: np.dtype) -> Any:
    if shape == ():
        return make_scalar(a.reshape(())[()], dt)
    return a


@primitive("rand", 2, derivative="none")
def rand(T: Any, shape: tuple) -> Any:
    """`rand(T, dims)`: uniform in [0, 1) for float T, over all values for integers and
    Bool.  `dims == ()` gives a scalar."""
    shape = shape_tuple(shape)
    dt = dtype_of(T)
    g = _RandomState.generator
    if dt is None:
        raise source.ArgumentError(f"rand: unsupported element type {type_name(T)}")
    if dt.kind == "f" or dt.kind == "V":
        gen_dt = dt if dt in (np.float32, np.float64) else np.dtype(np.float32)
        a = g.random(shape, dtype=gen_dt).astype(dt)
    elif dt.kind == "b":
        a = g.integers(0, 2, size=shape).astype(np.bool_)
    else:
        info = np.iinfo(dt)
        a = g.integers(info.min, info.max, size=shape, dtype=dt, endpoint=True)
    return _random_result(a, shape, dt)


@shape_rule("rand")
def rand_shape(t: AbstractValue, shape: AbstractValue) -> AbstractValue:
    _dims(shape)                        # the call checks its dims first
    tv = type_value(t)
    if tv is None:
        return AbstractValue(types.ANY)
    if dtype_of(tv) is None:
        raise source.ArgumentError(f"rand: unsupported element type {type_name(tv)}")
    return _samples(tv, shape)


@primitive("randn", 2, derivative="none")
def randn(T: Any, shape: tuple) -> Any:
    """`randn(T, dims)`: standard normal samples of float type T."""
    shape = shape_tuple(shape)
    dt = dtype_of(T)
    if dt is None or dt.kind not in "fV":
        raise source.ArgumentError(f"randn: unsupported element type {type_name(T)}")
    gen_dt = dt if dt in (np.float32, np.float64) else np.dtype(np.float32)
    a = _RandomState.generator.standard_normal(shape, dtype=gen_dt).astype(dt)
    return _random_result(a, shape, dt)


@shape_rule("randn")
def randn_shape(t: AbstractValue, shape: AbstractValue) -> AbstractValue:
    _dims(shape)
    tv = type_value(t)
    if tv is None:
        return AbstractValue(types.ANY)
    dt = dtype_of(tv)
    if dt is None or dt.kind not in "fV":
        raise source.ArgumentError(f"randn: unsupported element type {type_name(tv)}")
    return _samples(tv, shape)


@primitive("rand_int", 3, derivative="none")
def rand_int(lo: Any, hi: Any, shape: tuple) -> Any:
    """Uniform Int64 samples from lo:hi (both included)."""
    shape = shape_tuple(shape)
    if hi < lo:
        raise source.ArgumentError("range must be non-empty")
    a = _RandomState.generator.integers(int(lo), int(hi), size=shape, dtype=np.int64,
                                        endpoint=True)
    return _random_result(a, shape, np.dtype(np.int64))


@shape_rule("rand_int")
def rand_int_shape(lo: AbstractValue, hi: AbstractValue, shape: AbstractValue) -> AbstractValue:
    out = _samples(types.Int64, shape)
    a, b = known(lo), known(hi)
    if isinstance(a, (int, float, np.number)) and isinstance(b, (int, float, np.number)) and b < a:
        raise source.ArgumentError("range must be non-empty")
    return out


@primitive("randperm", 1, derivative="none")
def randperm(n: Any) -> np.ndarray:
    """`randperm(n)`: a random permutation of 1:n."""
    return _RandomState.generator.permutation(int(n)).astype(np.int64) + 1


@shape_rule("randperm")
def randperm_shape(n: AbstractValue) -> AbstractValue:
    k = as_int(known(n))
    if k is None or k < 0:
        return AbstractValue(types.apply_type(types.Array, (types.Int64, 1)), None)
    return L.array(types.Int64, (k,))
