# Signed, Unsigned and Bool under Integer; subtype checks.
kind(x::Signed) = "signed"
kind(x::Unsigned) = "unsigned"
kind(x::Bool) = "bool"
kind(x::Integer) = "integer"
println(kind(1))               # expect: signed
println(kind(Int32(1)))        # expect: signed
println(kind(UInt8(1)))        # expect: unsigned
println(kind(true))            # expect: bool
println(Int32 <: Signed)       # expect: true
println(Bool <: Integer)       # expect: true
println(Float32 <: AbstractFloat)  # expect: true
println(Int64 <: AbstractFloat)    # expect: false
println(Int <: Real)           # expect: true
println(Vector{Int64} <: AbstractArray)  # expect: true
println(isa(1, Real))          # expect: true
println(isa(1.0, Integer))     # expect: false
println(isa([1.0], Vector{Float64}))  # expect: true
