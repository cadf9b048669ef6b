# Exceptions: constructors for the built-in exception types, `throw`, `error`.
#
# The exception types themselves (ErrorException, BoundsError, ...) are built into the
# type system; they are plain structs, so a constructor builds one with
# `Intrinsics.struct_new`.  `Intrinsics.throw` turns any value into an Arr error whose
# message is Julia's `showerror` text for it.

"""
    throw(e)

Throw `e` as an exception.  Any value can be thrown; `catch err` binds it.
"""
throw(e) = Intrinsics.throw(e)

"""
    rethrow(e)

Throw again an exception caught with `catch e`.
"""
rethrow(e) = Intrinsics.throw(e)

ErrorException(msg) = Intrinsics.struct_new(ErrorException, (msg,))
ArgumentError(msg) = Intrinsics.struct_new(ArgumentError, (msg,))
DimensionMismatch(msg) = Intrinsics.struct_new(DimensionMismatch, (msg,))
DimensionMismatch() = DimensionMismatch("")
OverflowError(msg) = Intrinsics.struct_new(OverflowError, (msg,))
AssertionError(msg) = Intrinsics.struct_new(AssertionError, (msg,))
AssertionError() = AssertionError("")
BoundsError(a, i) = Intrinsics.struct_new(BoundsError, (a, i))
BoundsError(a) = Intrinsics.struct_new(BoundsError, (a, nothing))
BoundsError() = Intrinsics.struct_new(BoundsError, (nothing, nothing))
DomainError(val, msg) = Intrinsics.struct_new(DomainError, (val, msg))
DomainError(val) = Intrinsics.struct_new(DomainError, (val, ""))
InexactError(func, T, val) = Intrinsics.struct_new(InexactError, (func, T, val))
DivideError() = Intrinsics.struct_new(DivideError, ())
KeyError(key) = Intrinsics.struct_new(KeyError, (key,))
UndefVarError(var) = Intrinsics.struct_new(UndefVarError, (var,))
StackOverflowError() = Intrinsics.struct_new(StackOverflowError, ())
InterruptException() = Intrinsics.struct_new(InterruptException, ())
MethodError(f, args) = Intrinsics.struct_new(MethodError, (f, args))
function TypeError(func, context, expected, got)
    Intrinsics.struct_new(TypeError, (func, context, expected, got))
end

"""An error for a keyword argument without default that the call did not give."""
struct UndefKeywordError <: Exception
    msg::String
end

"""`inv` and `\\` on a singular matrix: `info` is the column with a zero pivot."""
struct SingularException <: Exception
    info::Int64
end

"""
    error(msg...)

Throw an `ErrorException` whose message is `string(msg...)`.
"""
error(msg...) = throw(ErrorException(string(msg...)))
