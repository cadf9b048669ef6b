# Dispatch over the built-in type hierarchy.
describe(x::Integer) = "integer"
describe(x::AbstractFloat) = "float"
describe(x::Real) = "real"
describe(x::Number) = "number"
describe(x) = "any"
describe(x::AbstractArray) = "array"
describe(x::String) = "string"
println(describe(1))           # expect: integer
println(describe(1.0))         # expect: float
println(describe(1f0))         # expect: float
println(describe(true))        # expect: integer
println(describe(Int32(3)))    # expect: integer
println(describe([1, 2]))      # expect: array
println(describe([1 2; 3 4]))  # expect: array
println(describe(1:3))         # expect: array
println(describe("s"))         # expect: string
println(describe(:s))          # expect: any
println(describe(nothing))     # expect: any
println(describe((1, 2)))      # expect: any
