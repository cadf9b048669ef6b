# Base: the Arr standard library, written in Arr on top of the intrinsics
# (`Intrinsics.name(...)`, see lang/prims/).  The files are loaded in order; a file may
# call functions of later files inside method bodies, but its top-level statements
# (constants, struct definitions) may only use what is already defined.

include("errors.arr")       # exception constructors, error, throw
include("core.arr")         # ===, isa, typeof, convert fallbacks, Colon, Pair, Ref
include("numbers.arr")      # arithmetic, comparison and math on numbers
include("promotion.arr")    # promote, promote_type, mixed-type arithmetic
include("tuples.arr")       # tuples and named tuples
include("ranges.arr")       # a:b, a:s:b, range
include("iteration.arr")    # iterate, Generator, zip, enumerate, in, collect
include("arrays.arr")       # construction, shape, indexing, literals, comprehensions
include("broadcast.arr")    # broadcast (the only definition), .=, x[i] .= v
include("mapreduce.arr")    # mapreduce (the only definition), sum, maximum, sort, ...
include("linalg.arr")       # *, \, inv, det, I, kron, tril, triu, norm, dot
include("strings.arr")      # string, *, join, split, parse, ...
include("printing.arr")     # print, println, show, display, I/O
include("random.arr")       # rand, randn, seed!
include("functional.arr")   # identity, ∘, |>, foreach, curried comparisons
include("ad.arr")           # gradient, pullback, rrule, the intrinsics' derivative rules
include("nn.arr")           # activations, losses, one-hot, initialisers, Dense, Chain
include("optimise.arr")     # Descent, Momentum, Adam, setup, update, train!
