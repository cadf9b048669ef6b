# Arrays inside structs and tuples are values too.
struct Box
    v::Vector{Int}
end
b = Box([1, 2])
v = b.v
v[1] = 9
println(b.v)                   # expect: [1, 2]
println(v)                     # expect: [9, 2]
t = ([1, 2], 3)
u = t[1]
u[2] = 0
println(t)                     # expect: ([1, 2], 3)
println(u)                     # expect: [1, 0]
nt = (w = [1.0, 2.0],)
q = nt.w
q .*= 10
println(nt.w)                  # expect: [1.0, 2.0]
println(q)                     # expect: [10.0, 20.0]
