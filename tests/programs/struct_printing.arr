# Structs print as their constructor call, fields shown with show.
struct Inner
    v::Int
end
struct Outer
    i::Inner
    name::String
    tag::Symbol
end
o = Outer(Inner(1), "x", :t)
println(o)                     # expect: Outer(Inner(1), "x", :t)
print(Inner(2))
println()                      # expect: Inner(2)
println(string(Inner(3)))      # expect: Inner(3)
println("value: $(Inner(4))")  # expect: value: Inner(4)
println((Inner(1), 2))         # expect: (Inner(1), 2)
struct Empty end
println(Empty())               # expect: Empty()
struct F32
    x::Float32
end
println(F32(1.5))              # expect: F32(1.5f0)
