"""The C library's math algorithms (glibc's exp/exp2, fdlibm's expm1, log1p, log10,
sinh, cosh, tanh) and double-double ones (log2, asin, acos, cbrt), written out as
StableHLO operations through `_Calc`, so that compiled code prints what the interpreter
(which calls glibc) prints.  Used by `math_lowering.py`.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import hlo_rules as H

_F64 = np.dtype(np.float64)
_I64 = np.dtype(np.int64)
_BOOL = np.dtype(np.bool_)
_INT_OF = {2: np.dtype(np.int16), 4: np.dtype(np.int32), 8: np.dtype(np.int64)}

class _Calc:
    """Arithmetic on run-time values of one shape, to write math routines readably:
    `c.add(a, b)`, `c.mul(a, 2.0)` (numbers become constants of the other operand's
    dtype), comparisons, `sel`, bit casts and table lookups."""

    def __init__(self, ctx: Any, shape: tuple, is_array: bool) -> None:
        self.ctx, self.shape, self.is_array = ctx, tuple(shape), is_array
        self.consts: dict[tuple, Any] = {}

    def at(self, dt: np.dtype) -> Any:
        from ..staging import array_type, scalar_type
        return array_type(dt, len(self.shape)) if self.is_array else scalar_type(dt)

    def c(self, v: Any, dt: Any = _F64) -> Any:
        """A constant.  Float constants pass through an optimization barrier: XLA's
        simplifier would otherwise fold `(a + C1) - C2` into `a + (C1 - C2)`, which
        changes the rounding these routines depend on."""
        dt = np.dtype(dt)
        if dt.kind != "f":
            return self.ctx.const(v, dt, self.shape)
        key = (np.array(v, _F64).tobytes(), dt.str)      # (-0.0 and 0.0 apart)
        d = self.consts.get(key)
        if d is None:
            from ..staging import scalar_type
            # (by its bits: the text form of some floats, 1e-10, is not valid MLIR)
            idt = _INT_OF[dt.itemsize]
            b = self.ctx.const(int(np.array(v, dt).view(idt)), idt, ())
            s = self.ctx.op("stablehlo.optimization_barrier", [b], scalar_type(idt), idt, ())
            s = self.ctx.op("stablehlo.bitcast_convert", [s], scalar_type(dt), dt, ())
            d = self.ctx.op("stablehlo.broadcast_in_dim", [s], self.at(dt), dt, self.shape,
                            "broadcast_dimensions = array<i64>") if self.shape else s
            self.consts[key] = d
        return d

    def v(self, x: Any, dt: Any = None) -> Any:
        if H.is_dyn(x):
            return x if dt is None or x.dtype == np.dtype(dt) else self.ctx.convert(x, dt)
        return self.c(x, _F64 if dt is None else dt)

    def op(self, name: str, *xs: Any, dt: Any = None, attrs: str = "") -> Any:
        ds = [x for x in xs if H.is_dyn(x)]
        odt = np.dtype(dt) if dt is not None else (ds[0].dtype if ds else _F64)
        args = [self.v(x, (ds[0].dtype if ds else odt)) for x in xs]
        return self.ctx.op(name, args, self.at(odt), odt, self.shape, attrs)

    def add(self, a: Any, b: Any) -> Any:
        return self.op("stablehlo.add", a, b)

    def sub(self, a: Any, b: Any) -> Any:
        return self.op("stablehlo.subtract", a, b)

    def mul(self, a: Any, b: Any) -> Any:
        return self.op("stablehlo.multiply", a, b)

    def div(self, a: Any, b: Any) -> Any:
        return self.op("stablehlo.divide", a, b)

    def un(self, name: str, a: Any) -> Any:
        return self.op("stablehlo." + name, a)

    def cmp(self, a: Any, direction: str, b: Any) -> Any:
        ds = [x for x in (a, b) if H.is_dyn(x)]
        dt = ds[0].dtype
        kind = ", compare_type = #stablehlo<comparison_type FLOAT>" if dt.kind == "f" else ""
        return self.ctx.op("stablehlo.compare", [self.v(a, dt), self.v(b, dt)],
                           self.at(_BOOL), _BOOL, self.shape,
                           f"comparison_direction = #stablehlo<comparison_direction "
                           f"{direction}>{kind}")

    def and_(self, a: Any, b: Any) -> Any:
        return self.op("stablehlo.and", a, b)

    def or_(self, a: Any, b: Any) -> Any:
        return self.op("stablehlo.or", a, b)

    def not_(self, a: Any) -> Any:
        return self.op("stablehlo.not", a)

    def shl(self, a: Any, n: int) -> Any:
        return self.op("stablehlo.shift_left", a, n)

    def shr(self, a: Any, n: int) -> Any:
        """Logical shift right."""
        return self.op("stablehlo.shift_right_logical", a, n)

    def sar(self, a: Any, n: int) -> Any:
        return self.op("stablehlo.shift_right_arithmetic", a, n)

    def high(self, x: Any) -> Any:
        """The high 32 bits of a Float64, sign-extended (C's int32 `GET_HIGH_WORD`)."""
        return self.sar(self.bits(x), 32)

    def with_high(self, x: Any, hi: Any) -> Any:
        """x with its high word replaced (C's `SET_HIGH_WORD`)."""
        low = self.and_(self.bits(x), 0xFFFFFFFF)
        return self.from_bits(self.or_(self.shl(hi, 32), low))

    def to_f64(self, i: Any) -> Any:
        return self.conv(i, _F64)

    def sel(self, c: Any, a: Any, b: Any) -> Any:
        ds = [x for x in (a, b) if H.is_dyn(x)]
        dt = ds[0].dtype if ds else _F64
        return self.ctx.op("stablehlo.select", [c, self.v(a, dt), self.v(b, dt)],
                           self.at(dt), dt, self.shape)

    def bits(self, a: Any) -> Any:
        """The bits of a float as the signed integer of its width."""
        idt = _INT_OF[a.dtype.itemsize]
        return self.ctx.op("stablehlo.bitcast_convert", [a], self.at(idt), idt, self.shape)

    def from_bits(self, b: Any, dt: Any = _F64) -> Any:
        dt = np.dtype(dt)
        return self.ctx.op("stablehlo.bitcast_convert", [b], self.at(dt), dt, self.shape)

    def conv(self, a: Any, dt: Any) -> Any:
        return self.ctx.convert(a, np.dtype(dt)) if a.dtype != np.dtype(dt) else a

    def take(self, table: np.ndarray, idx: Any) -> Any:
        """table[idx] elementwise (idx: Int64 values in range)."""
        from ..staging import scalar_type
        t = self.ctx.const(table)
        rank = len(self.shape)
        ind = self.ctx.op("stablehlo.reshape", [idx], scalar_type(_I64), _I64,
                          self.shape + (1,))
        return self.ctx.op(
            "stablehlo.gather", [t, ind], self.at(table.dtype), table.dtype, self.shape,
            f"dimension_numbers = #stablehlo.gather<collapsed_slice_dims = [0], "
            f"start_index_map = [0], index_vector_dim = {rank}>, "
            f"slice_sizes = array<i64: 1>, indices_are_sorted = false")

    def poly(self, x: Any, coeffs: tuple) -> Any:
        """c0 + x*(c1 + x*(c2 + ...)) (Horner, as the C sources write it)."""
        acc: Any = coeffs[-1]
        for cf in reversed(coeffs[:-1]):
            acc = self.add(cf, self.mul(x, acc))
        return acc


def _calc_for(ctx: Any, x: Any) -> tuple[_Calc, Any]:
    """A calculator over x's shape, and x as a Float64 run-time value."""
    xd = ctx.dyn(x)
    c = _Calc(ctx, xd.shape, H.is_array_value(x))
    return c, c.conv(xd, _F64)


def _tiny(c: _Calc, x: Any, top: int) -> Any:
    """|x| below the float whose high word is `top` (by the bits: XLA flushes subnormal
    operands of arithmetic and comparisons to zero, so tiny results are passed through)."""
    return c.cmp(c.and_(c.high(x), 0x7FFFFFFF), "LT", top)


# ------------------------------------------------ the C library's algorithms, on _Calc
_hex = float.fromhex
_EXP_TABLES: tuple | None = None


def _exp_tables() -> tuple[np.ndarray, np.ndarray]:
    """2^(k/128) = H[k] * (1 + T[k]), k < 128: the bits of T[k], and the bits of H[k]
    less k << 45 (so that adding k << 45 for any integer k scales it by 2^(k // 128))."""
    global _EXP_TABLES
    if _EXP_TABLES is None:
        from decimal import Decimal, localcontext
        tails, heads = [], []
        with localcontext() as lc:
            lc.prec = 50
            for k in range(128):
                e = Decimal(2) ** (Decimal(k) / Decimal(128))
                h = float(e)
                t = float((e - Decimal(h)) / Decimal(h))
                tails.append(int(np.float64(t).view(np.int64)))
                heads.append(int(np.float64(h).view(np.int64)) - (k << 45))
        _EXP_TABLES = (np.array(tails, np.int64), np.array(heads, np.int64))
    return _EXP_TABLES


def _exp_scale(c: _Calc, ki: Any) -> tuple[Any, Any]:
    """tail and scale bits for 2^(ki/128) (ki: the low bits of the shifted integer)."""
    tails, heads = _exp_tables()
    idx = c.and_(ki, 127)
    tail = c.from_bits(c.take(tails, idx))
    sbits = c.add(c.take(heads, idx), c.shl(ki, 45))
    return tail, sbits


def _exp_special(c: _Calc, tmp: Any, sbits: Any, ki: Any) -> Any:
    """scale * (1 + tmp) where the scale's exponent over- or underflows (|x| >= 512)."""
    pos = c.cmp(c.and_(ki, 0x80000000), "EQ", 0)
    sc_p = c.from_bits(c.sub(sbits, 1009 << 52))
    y_p = c.mul(2.0 ** 1009, c.add(sc_p, c.mul(sc_p, tmp)))
    sc = c.from_bits(c.add(sbits, 1022 << 52))
    y = c.add(sc, c.mul(sc, tmp))
    lo = c.add(c.sub(sc, y), c.mul(sc, tmp))
    hi = c.add(1.0, y)
    lo = c.add(c.add(c.sub(1.0, hi), y), lo)
    y2 = c.sub(c.add(hi, lo), 1.0)
    y2 = c.sel(c.cmp(y2, "EQ", 0.0), 0.0, y2)
    y = c.sel(c.cmp(y, "LT", 1.0), y2, y)
    # 2^-1022 y: subnormal when y < 1, built from its bits (XLA flushes subnormal
    # results of arithmetic to zero); y is a multiple of 2^-52 there
    sub = c.from_bits(c.conv(c.mul(y, 2.0 ** 52), _I64))
    y_n = c.sel(c.cmp(y, "LT", 1.0), sub, c.mul(2.0 ** -1022, y))
    return c.sel(pos, y_p, y_n)


def _exp_f64(c: _Calc, x: Any) -> Any:
    """glibc's exp (ARM optimized-routines: a 128-entry table and a degree-5 polynomial)."""
    abstop = c.and_(c.shr(c.bits(x), 52), 0x7FF)
    kd = c.add(c.mul(_hex("0x1.71547652b82fep0") * 128, x), _hex("0x1.8p52"))
    ki = c.bits(kd)
    kd = c.sub(kd, _hex("0x1.8p52"))
    r = c.add(c.add(x, c.mul(kd, -_hex("0x1.62e42fefa0000p-8"))),
              c.mul(kd, -_hex("0x1.cf79abc9e3b3ap-47")))
    tail, sbits = _exp_scale(c, ki)
    r2 = c.mul(r, r)
    p1 = c.mul(r2, c.add(_hex("0x1.ffffffffffdbdp-2"), c.mul(r, _hex("0x1.555555555543cp-3"))))
    p2 = c.mul(c.mul(r2, r2), c.add(_hex("0x1.55555cf172b91p-5"),
                                    c.mul(r, _hex("0x1.1111167a4d017p-7"))))
    tmp = c.add(c.add(c.add(tail, r), p1), p2)
    scale = c.from_bits(sbits)
    res = c.add(scale, c.mul(scale, tmp))
    res = c.sel(c.cmp(abstop, "EQ", 0x408), _exp_special(c, tmp, sbits, ki), res)
    res = c.sel(c.cmp(abstop, "LT", 0x3C9), c.add(1.0, x), res)
    big = c.sel(c.cmp(x, "LT", 0.0), 0.0, math.inf)
    big = c.sel(c.cmp(x, "NE", x), x, big)
    return c.sel(c.cmp(abstop, "GE", 0x409), big, res)


def _exp2_f64(c: _Calc, x: Any) -> Any:
    """glibc's exp2 (the same table as exp)."""
    bx = c.bits(x)
    abstop = c.and_(c.shr(bx, 52), 0x7FF)
    shift = _hex("0x1.8p52") / 128
    kd = c.add(x, shift)
    ki = c.bits(kd)
    kd = c.sub(kd, shift)
    r = c.sub(x, kd)
    tail, sbits = _exp_scale(c, ki)
    r2 = c.mul(r, r)
    # (glibc's exp2 is compiled without fused multiply-adds: keep XLA from forming them)
    def mul(a: Any, b: Any) -> Any:
        return _no_contract(c, c.mul(a, b))
    tmp = c.add(c.add(c.add(tail, mul(r, _hex("0x1.62e42fefa39efp-1"))),
                      mul(r2, c.add(_hex("0x1.ebfbdff82c424p-3"),
                                    mul(r, _hex("0x1.c6b08d70cf4b5p-5"))))),
                mul(c.mul(r2, r2), c.add(_hex("0x1.3b2abd24650ccp-7"),
                                         mul(r, _hex("0x1.5d7e09b4e3a84p-10")))))
    scale = c.from_bits(sbits)
    res = c.add(scale, mul(scale, tmp))
    # |x| > 928 (and not past the limits below): the scale's exponent needs care
    twice = c.shl(bx, 1)
    large = c.cmp(c.shr(twice, 1), "GT", int(np.float64(928.0).view(np.int64)))
    res = c.sel(large, _exp_special(c, tmp, sbits, ki), res)
    res = c.sel(c.cmp(abstop, "LT", 0x3C9), c.add(1.0, x), res)
    big = c.sel(c.cmp(x, "LT", 0.0), 0.0, math.inf)
    big = c.sel(c.cmp(x, "NE", x), x, big)
    beyond = c.and_(c.cmp(abstop, "GE", 0x409),
                    c.not_(c.and_(c.cmp(x, "LT", 0.0), c.cmp(x, "GT", -1075.0))))
    return c.sel(beyond, big, res)


_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10


def _expm1_f64(c: _Calc, x: Any) -> Any:
    """fdlibm's expm1, as glibc has it (the polynomial in Estrin's form)."""
    bx = c.bits(x)
    neg = c.cmp(bx, "LT", 0)
    hx = c.and_(c.shr(bx, 32), 0x7FFFFFFF)
    # argument reduction: x = k ln2 + r (+ c)
    k_gen = c.conv(c.add(c.mul(1.44269504088896338700e+00, x), c.sel(neg, -0.5, 0.5)), _I64)
    t = c.to_f64(k_gen)
    hi_gen = c.sub(x, c.mul(t, _LN2_HI))
    lo_gen = c.mul(t, _LN2_LO)
    near = c.cmp(hx, "LT", 0x3FF0A2B2)
    hi = c.sel(near, c.sel(neg, c.add(x, _LN2_HI), c.sub(x, _LN2_HI)), hi_gen)
    lo = c.sel(near, c.sel(neg, -_LN2_LO, _LN2_LO), lo_gen)
    k = c.sel(near, c.sel(neg, c.c(-1, _I64), c.c(1, _I64)), k_gen)
    reduce_ = c.cmp(hx, "GT", 0x3FD62E42)
    xr_red = c.sub(hi, lo)
    cc = c.sub(c.sub(hi, xr_red), lo)
    xr = c.sel(reduce_, xr_red, x)
    k = c.sel(reduce_, k, c.c(0, _I64))
    # x is now in the primary range
    hfx = c.mul(0.5, xr)
    hxs = c.mul(xr, hfx)
    r1_ = c.add(1.0, c.mul(hxs, -3.33333333333331316428e-02))
    h2 = c.mul(hxs, hxs)
    r2_ = c.add(1.58730158725481460165e-03, c.mul(hxs, -7.93650757867487942473e-05))
    h4 = c.mul(h2, h2)
    r3_ = c.add(4.00821782732936239552e-06, c.mul(hxs, -2.01099218183624371326e-07))
    r1 = c.add(c.add(r1_, c.mul(h2, r2_)), c.mul(h4, r3_))
    t = c.sub(3.0, c.mul(r1, hfx))
    e = c.mul(hxs, c.div(c.sub(r1, t), c.sub(6.0, c.mul(xr, t))))
    res_k0 = c.sub(xr, c.sub(c.mul(xr, e), hxs))
    e = c.sub(c.sub(c.mul(xr, c.sub(e, cc)), cc), hxs)
    res_km1 = c.sub(c.mul(0.5, c.sub(xr, e)), 0.5)
    res_k1 = c.sel(c.cmp(xr, "LT", -0.25), c.mul(-2.0, c.sub(e, c.add(xr, 0.5))),
                   c.add(1.0, c.mul(2.0, c.sub(xr, e))))
    kshift = c.shl(k, 52)
    y_far = c.from_bits(c.add(c.bits(c.sub(1.0, c.sub(e, xr))), kshift))
    res_far = c.sub(y_far, 1.0)
    t_lt20 = c.from_bits(c.shl(c.sub(0x3FF00000, c.op("stablehlo.shift_right_logical",
                                                     c.c(0x200000, _I64), k)), 32))
    y_lt20 = c.from_bits(c.add(c.bits(c.sub(t_lt20, c.sub(e, xr))), kshift))
    t_ge20 = c.from_bits(c.shl(c.sub(0x3FF, k), 52))
    y_ge20 = c.from_bits(c.add(c.bits(c.add(c.sub(xr, c.add(e, t_ge20)), 1.0)), kshift))
    res = c.sel(c.cmp(k, "LT", 20), y_lt20, y_ge20)
    far = c.or_(c.cmp(k, "LE", -2), c.cmp(k, "GT", 56))
    res = c.sel(far, res_far, res)
    res = c.sel(c.cmp(k, "EQ", 1), res_k1, res)
    res = c.sel(c.cmp(k, "EQ", -1), res_km1, res)
    res = c.sel(c.cmp(k, "EQ", 0), res_k0, res)
    # tiny, huge and non-finite arguments
    res = c.sel(c.cmp(hx, "LT", 0x3C900000), x, res)
    res = c.sel(c.and_(c.cmp(hx, "GE", 0x4043687A), neg), -1.0, res)
    res = c.sel(c.cmp(x, "GT", 7.09782712893383973096e+02), math.inf, res)
    res = c.sel(c.cmp(x, "EQ", -math.inf), -1.0, res)
    return c.sel(c.cmp(x, "NE", x), x, res)


def _log1p_f64(c: _Calc, x: Any) -> Any:
    """fdlibm's log1p, as glibc has it."""
    hx = c.high(x)
    ax = c.and_(hx, 0x7FFFFFFF)
    # k = 0 (f = x) for -0.2929 < x < 0.41422, else 1 + x = 2^k (1 + f) (+ c)
    small = c.and_(c.cmp(hx, "LT", 0x3FDA827A),
                   c.or_(c.cmp(hx, "GT", 0), c.cmp(hx, "LE", -0x402D413D)))
    big_x = c.cmp(hx, "GE", 0x43400000)
    u = c.sel(big_x, x, c.add(1.0, x))
    hu = c.high(u)
    k = c.sub(c.sar(hu, 20), 1023)
    corr = c.sel(c.cmp(k, "GT", 0), c.sub(1.0, c.sub(u, x)), c.sub(x, c.sub(u, 1.0)))
    corr = c.sel(big_x, 0.0, c.div(corr, u))
    hu = c.and_(hu, 0x000FFFFF)
    up = c.cmp(hu, "GE", 0x6A09E)
    u = c.sel(up, c.with_high(u, c.or_(hu, 0x3FE00000)), c.with_high(u, c.or_(hu, 0x3FF00000)))
    k = c.sel(up, c.add(k, 1), k)
    hu = c.sel(up, c.shr(c.sub(0x00100000, hu), 2), hu)
    f = c.sel(small, x, c.sub(u, 1.0))
    k = c.sel(small, c.c(0, _I64), k)
    hu = c.sel(small, c.c(1, _I64), hu)
    corr = c.sel(small, 0.0, corr)
    dk = c.to_f64(k)
    k0 = c.cmp(k, "EQ", 0)
    hfsq = c.mul(c.mul(0.5, f), f)
    # |f| < 2^-20
    r_small = c.mul(hfsq, c.sub(1.0, c.mul(0.66666666666666666, f)))
    tiny_k = c.sel(k0, c.sub(f, r_small),
                   c.sub(c.mul(dk, _LN2_HI),
                         c.sub(c.sub(r_small, c.add(c.mul(dk, _LN2_LO), corr)), f)))
    zero_f = c.sel(k0, 0.0, c.add(c.mul(dk, _LN2_HI), c.add(corr, c.mul(dk, _LN2_LO))))
    tiny_k = c.sel(c.cmp(f, "EQ", 0.0), zero_f, tiny_k)
    s = c.div(f, c.add(2.0, f))
    z = c.mul(s, s)
    r1 = c.mul(z, 6.666666666666735130e-01)
    z2 = c.mul(z, z)
    r2 = c.add(3.999999999940941908e-01, c.mul(z, 2.857142874366239149e-01))
    z4 = c.mul(z2, z2)
    r3 = c.add(2.222219843214978396e-01, c.mul(z, 1.818357216161805012e-01))
    z6 = c.mul(z4, z2)
    r4 = c.add(1.531383769920937332e-01, c.mul(z, 1.479819860511658591e-01))
    R = c.add(c.add(c.add(r1, c.mul(z2, r2)), c.mul(z4, r3)), c.mul(z6, r4))
    sR = c.mul(s, c.add(hfsq, R))
    res = c.sel(k0, c.sub(f, c.sub(hfsq, sR)),
                c.sub(c.mul(dk, _LN2_HI),
                      c.sub(c.sub(hfsq, c.add(sR, c.add(c.mul(dk, _LN2_LO), corr))), f)))
    res = c.sel(c.cmp(hu, "EQ", 0), tiny_k, res)
    # |x| < 2^-29, x <= -1, and +Inf / NaN
    res = c.sel(c.cmp(ax, "LT", 0x3E200000),
                c.sel(c.cmp(ax, "LT", 0x3C900000), x, c.sub(x, c.mul(c.mul(x, x), 0.5))), res)
    res = c.sel(c.cmp(x, "LE", -1.0), c.sel(c.cmp(x, "EQ", -1.0), -math.inf, math.nan), res)
    return c.sel(c.cmp(hx, "GE", 0x7FF00000), c.add(x, x), c.sel(c.cmp(x, "NE", x), x, res))


def _no_contract(c: _Calc, p: Any) -> Any:
    """p unchanged, in a form XLA cannot fuse into a following add (the C code this
    mirrors is compiled without fused multiply-adds)."""
    return c.sel(c.cmp(p, "NE", p), 0.0, p)


def _log10_f64(c: _Calc, x: Any) -> Any:
    """fdlibm's log10 on top of log: exact at the powers of ten."""
    # (no subnormal case: XLA's CPU runtime flushes subnormal arguments to zero)
    xs = x
    hx = c.high(xs)
    k = c.sub(c.sar(hx, 20), 1023)
    i = c.sel(c.cmp(k, "LT", 0), c.c(1, _I64), c.c(0, _I64))
    hx = c.or_(c.and_(hx, 0x000FFFFF), c.shl(c.sub(0x3FF, i), 20))
    y = c.to_f64(c.add(k, i))
    xm = c.with_high(xs, hx)
    z = c.add(_no_contract(c, c.mul(y, 3.69423907715893078616e-13)),
              _no_contract(c, c.mul(4.34294481903251816668e-01, c.un("log", xm))))
    res = c.add(z, c.mul(y, 3.01029995663611771306e-01))
    res = c.sel(c.cmp(x, "LT", 0.0), math.nan, res)
    res = c.sel(c.cmp(x, "EQ", 0.0), -math.inf, res)
    return c.sel(c.cmp(c.high(x), "GE", 0x7FF00000), c.add(x, x), res)


_SINH_OVERFLOW = 0x408633CE8FB9F87D       # |x| past this: sinh and cosh overflow


def _sinh_f64(c: _Calc, x: Any) -> Any:
    ax = c.un("abs", x)
    ix = c.and_(c.high(x), 0x7FFFFFFF)
    h = c.sel(c.cmp(c.bits(x), "LT", 0), -0.5, 0.5)
    t = _expm1_f64(c, ax)
    t1 = c.add(t, 1.0)
    small = c.mul(h, c.sub(c.mul(2.0, t), c.div(c.mul(t, t), t1)))
    mid = c.mul(h, c.add(t, c.div(t, t1)))
    res = c.sel(c.cmp(ix, "LT", 0x3FF00000), small, mid)
    res = c.sel(c.cmp(ix, "LT", 0x3E300000), x, res)
    w = _exp_f64(c, c.sel(c.cmp(ix, "LT", 0x40862E42), ax, c.mul(0.5, ax)))
    big = c.sel(c.cmp(ix, "LT", 0x40862E42), c.mul(h, w), c.mul(c.mul(h, w), w))
    res = c.sel(c.cmp(ix, "LT", 0x40360000), res, big)
    res = c.sel(c.cmp(c.bits(ax), "GT", _SINH_OVERFLOW), c.mul(x, 1.0e307), res)
    return c.sel(c.cmp(ix, "GE", 0x7FF00000), c.add(x, x), res)


def _cosh_f64(c: _Calc, x: Any) -> Any:
    ax = c.un("abs", x)
    ix = c.and_(c.high(x), 0x7FFFFFFF)
    t = _expm1_f64(c, ax)
    w = c.add(1.0, t)
    small = c.sel(c.cmp(ix, "LT", 0x3C800000), w, c.add(1.0, c.div(c.mul(t, t), c.add(w, w))))
    half_x = c.cmp(ix, "GE", 0x40862E42)
    e = _exp_f64(c, c.sel(half_x, c.mul(0.5, ax), ax))
    mid = c.add(c.mul(0.5, e), c.div(0.5, e))
    big = c.sel(half_x, c.mul(c.mul(0.5, e), e), c.mul(0.5, e))
    res = c.sel(c.cmp(ix, "LT", 0x3FD62E43), small, mid)
    res = c.sel(c.cmp(ix, "LT", 0x40360000), res, big)
    res = c.sel(c.cmp(c.bits(ax), "GT", _SINH_OVERFLOW), math.inf, res)
    return c.sel(c.cmp(ix, "GE", 0x7FF00000), c.mul(x, x), res)


def _tanh_f64(c: _Calc, x: Any) -> Any:
    ax = c.un("abs", x)
    ix = c.and_(c.high(x), 0x7FFFFFFF)
    ge1 = c.cmp(ix, "GE", 0x3FF00000)
    t = _expm1_f64(c, c.mul(c.sel(ge1, 2.0, -2.0), ax))
    z = c.sel(ge1, c.sub(1.0, c.div(2.0, c.add(t, 2.0))), c.div(c.un("negate", t), c.add(t, 2.0)))
    z = c.sel(c.cmp(ix, "LT", 0x40360000), z, 1.0)
    res = c.sel(c.cmp(c.bits(x), "LT", 0), c.un("negate", z), z)
    res = c.sel(c.cmp(ix, "LT", 0x3C800000), x, res)        # x (1 + x) rounds to x
    return c.sel(c.cmp(x, "NE", x), x, res)


def _atan_f64(c: _Calc, x: Any) -> Any:
    # atan2(x, 1.0), with a 1.0 computed at run time: LLVM rewrites `atan2(x, 1.0)` into
    # a vectorized atan whose results differ from the C library's
    one = c.sel(c.cmp(x, "NE", x), 2.0, 1.0)
    return c.sel(_tiny(c, x, 0x3E400000), x, c.op("stablehlo.atan2", x, one))


def _fast_two_sum(c: _Calc, a: Any, b: Any) -> tuple[Any, Any]:
    """a + b = s + e exactly, for |a| >= |b|."""
    s = c.add(a, b)
    return s, c.sub(b, c.sub(s, a))


def _dd_add(c: _Calc, a: tuple, b: tuple) -> tuple[Any, Any]:
    s, e = _two_sum(c, a[0], b[0])
    return _fast_two_sum(c, s, c.add(e, c.add(a[1], b[1])))


def _dd_mul(c: _Calc, a: tuple, b: tuple) -> tuple[Any, Any]:
    p, e = _two_prod(c, a[0], b[0])
    return _fast_two_sum(c, p, c.add(e, c.add(c.mul(a[0], b[1]), c.mul(a[1], b[0]))))


def _dd_const(c: _Calc, v: Any) -> tuple[Any, Any]:
    """A real number given as a Fraction (or Decimal) as a double-double of constants."""
    hi = float(v)
    return c.c(hi), c.c(float(v - type(v)(hi)))


_ASIN_SERIES: list | None = None


def _asin_series() -> list:
    """The Taylor coefficients of asin: asin(y) = sum c_n y^(2n+1), as Fractions."""
    global _ASIN_SERIES
    if _ASIN_SERIES is None:
        from fractions import Fraction
        out, c = [], Fraction(1)
        for n in range(32):
            out.append(c / (2 * n + 1))
            c = c * (2 * n + 1) / (2 * n + 2)
        _ASIN_SERIES = out
    return _ASIN_SERIES


def _asin_dd(c: _Calc, y: tuple) -> tuple[Any, Any]:
    """asin(y) for 0 <= y <= 0.5 (y a double-double), as a double-double good to about
    2^-62: the Taylor series, its first terms in double-double."""
    cs = _asin_series()
    t = _dd_mul(c, y, y)
    y3 = _dd_mul(c, t, y)
    tail = c.mul(c.mul(t[0], t[0]), c.poly(t[0], tuple(float(v) for v in cs[3:])))
    s = _dd_add(c, _dd_const(c, cs[1]), _dd_mul(c, _dd_const(c, cs[2]), t))
    s = _dd_add(c, s, (tail, c.c(0.0)))
    return _dd_add(c, y, _dd_mul(c, y3, s))


def _half_sqrt_dd(c: _Calc, v: Any) -> tuple[Any, Any]:
    """sqrt(v) as a double-double (v >= 0 exact)."""
    h = c.un("sqrt", v)
    p, e = _two_prod(c, h, h)
    lo = c.div(c.sub(c.sub(v, p), e), c.mul(2.0, h))
    return h, c.sel(c.cmp(v, "EQ", 0.0), 0.0, lo)


def _pi_dd(c: _Calc, num: int, den: int) -> tuple[Any, Any]:
    from decimal import Decimal, localcontext
    with localcontext() as lc:
        lc.prec = 50
        pi = Decimal("3.14159265358979323846264338327950288419716939937510582097494")
        return _dd_const(c, pi * num / den)


def _asin_parts(c: _Calc, ax: Any) -> tuple[Any, tuple, tuple]:
    """For 0 <= ax <= 1: (ax <= 0.5, asin(ax) for small ax, asin(sqrt((1 - ax) / 2)))."""
    small = c.cmp(ax, "LE", 0.5)
    r_small = _asin_dd(c, (c.sel(small, ax, 0.0), c.c(0.0)))
    v = c.mul(c.sub(1.0, c.sel(small, 1.0, ax)), 0.5)
    r_big = _asin_dd(c, _half_sqrt_dd(c, v))
    return small, r_small, r_big


def _asin_f64(c: _Calc, x: Any) -> Any:
    """asin in double-double, rounded once (asin(x) = pi/2 - 2 asin(sqrt((1 - x)/2)) above
    1/2)."""
    ax = c.un("abs", x)
    small, r_small, r_big = _asin_parts(c, ax)
    two = (c.mul(2.0, r_big[0]), c.mul(2.0, r_big[1]))
    big = _dd_add(c, _pi_dd(c, 1, 2), (c.un("negate", two[0]), c.un("negate", two[1])))
    r = c.sel(small, r_small[0], big[0])
    res = c.sel(c.cmp(c.bits(x), "LT", 0), c.un("negate", r), r)
    res = c.sel(_tiny(c, x, 0x3E400000), x, res)       # asin(x) rounds to x
    return c.sel(c.cmp(ax, "GT", 1.0), math.nan, c.sel(c.cmp(x, "NE", x), x, res))


def _acos_f64(c: _Calc, x: Any) -> Any:
    """acos in double-double: pi/2 - asin(x) near 0, 2 asin(sqrt((1 -+ x)/2)) beyond."""
    ax = c.un("abs", x)
    small, r_small, r_big = _asin_parts(c, ax)
    neg = c.cmp(x, "LT", 0.0)
    rs = (c.sel(neg, r_small[0], c.un("negate", r_small[0])),
          c.sel(neg, r_small[1], c.un("negate", r_small[1])))
    mid = _dd_add(c, _pi_dd(c, 1, 2), rs)
    two = (c.mul(2.0, r_big[0]), c.mul(2.0, r_big[1]))
    below = _dd_add(c, _pi_dd(c, 1, 1), (c.un("negate", two[0]), c.un("negate", two[1])))
    res = c.sel(small, mid[0], c.sel(neg, below[0], two[0]))
    return c.sel(c.cmp(ax, "GT", 1.0), math.nan, c.sel(c.cmp(x, "NE", x), x, res))


def _normalize(c: _Calc, x: Any) -> tuple[Any, Any, Any]:
    """x = 2^k m for a positive normal x, m in [sqrt(1/2), sqrt(2)): (k as Int64, m,
    f = m - 1 exactly).  (XLA's CPU runtime flushes subnormal arguments to zero.)"""
    xs = x
    hx = c.high(xs)
    k = c.sub(c.sar(hx, 20), 1023)
    frac = c.and_(hx, 0x000FFFFF)
    up = c.cmp(frac, "GE", 0x6A09E)
    k = c.sel(up, c.add(k, 1), k)
    m = c.with_high(xs, c.or_(frac, c.sel(up, c.c(0x3FE00000, _I64), c.c(0x3FF00000, _I64))))
    return k, m, c.sub(m, 1.0)


def _two_sum(c: _Calc, a: Any, b: Any) -> tuple[Any, Any]:
    s = c.add(a, b)
    bb = c.sub(s, a)
    return s, c.add(c.sub(a, c.sub(s, bb)), c.sub(b, bb))


def _log1p_dd(c: _Calc, f: Any) -> tuple[Any, Any]:
    """log(1 + f) for -0.3 < f < 0.42 (f exact) as a double-double good to about 2^-64:
    2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), s = f / (2 + f) in double-double."""
    d, d_lo = _two_sum(c, 2.0, f)
    s = c.div(f, d)
    p, pe = _two_prod(c, s, d)
    s_lo = c.div(c.sub(c.sub(c.sub(f, p), pe), c.mul(s, d_lo)), d)
    sd = (s, s_lo)
    t = _dd_mul(c, sd, sd)
    s3 = _dd_mul(c, t, sd)
    from fractions import Fraction
    tail = c.poly(t[0], tuple(2.0 / (2 * n + 1) for n in range(2, 14)))
    q = _dd_add(c, _dd_const(c, Fraction(2, 3)), (c.mul(t[0], tail), c.c(0.0)))
    return _dd_add(c, (c.mul(2.0, s), c.mul(2.0, s_lo)), _dd_mul(c, s3, q))


def _log2_f64(c: _Calc, x: Any) -> Any:
    """log2(x) = k + log(m) / log(2), x = 2^k m, in double-double and rounded once: exact
    at the powers of two, and almost always the correctly rounded value."""
    k, m, f = _normalize(c, x)
    lm = _log1p_dd(c, f)
    from decimal import Decimal, localcontext
    with localcontext() as lc:
        lc.prec = 50
        inv_ln2 = 1 / Decimal(2).ln()
    l2 = _dd_mul(c, lm, _dd_const(c, inv_ln2))
    res = _dd_add(c, (c.to_f64(k), c.c(0.0)), l2)[0]
    res = c.sel(c.cmp(x, "LT", 0.0), math.nan, res)
    res = c.sel(c.cmp(x, "EQ", 0.0), -math.inf, res)
    return c.sel(c.cmp(c.high(x), "GE", 0x7FF00000), c.add(x, x), res)


def _cbrt_f64(c: _Calc, x: Any) -> Any:
    """XLA's cbrt, corrected by one Newton step on an accurate residual x - y^3."""
    sub = _tiny(c, x, 0x00100000)
    # a subnormal x: cbrt(x) = cbrt(x 2^1080) 2^-360, x 2^1080 from the bits
    scaled = c.mul(c.to_f64(c.and_(c.bits(x), (1 << 52) - 1)), 64.0)
    x = c.sel(sub, c.sel(c.cmp(c.bits(x), "LT", 0), c.un("negate", scaled), scaled), x)
    res = _cbrt_normal(c, x)
    return c.sel(sub, c.sel(c.cmp(x, "EQ", 0.0), x, c.mul(res, 2.0 ** -360)), res)


def _cbrt_normal(c: _Calc, x: Any) -> Any:
    y = c.un("cbrt", x)
    y2h, y2l = _two_prod(c, y, y)
    p, e = _two_prod(c, y2h, y)
    r = c.sub(c.sub(c.sub(x, p), e), c.mul(y2l, y))
    corr = c.div(r, c.mul(3.0, y2h))
    res = c.add(y, corr)
    ok = c.and_(c.cmp(c.un("abs", x), "LT", 1e300), c.cmp(c.un("abs", x), "GT", 1e-300))
    return c.sel(ok, res, y)


def _split(c: _Calc, a: Any) -> tuple[Any, Any]:
    """a = hi + lo exactly, hi with 26 significant bits (the low bits masked off)."""
    hi = c.from_bits(c.and_(c.bits(a), ~((1 << 27) - 1)))
    return hi, c.sub(a, hi)


def _two_prod(c: _Calc, a: Any, b: Any) -> tuple[Any, Any]:
    """a * b = p + e (e to about 2^-106 relative), without fused multiply-adds."""
    p = c.mul(a, b)
    ah, al = _split(c, a)
    bh, bl = _split(c, b)
    e = c.add(c.add(c.add(c.sub(c.mul(ah, bh), p), c.mul(ah, bl)), c.mul(al, bh)),
              c.mul(al, bl))
    return p, e
