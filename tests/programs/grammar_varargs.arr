# Varargs and splatting.
count_args(xs...) = length(xs)
println(count_args())              # expect: 0
println(count_args(1, 2, 3))       # expect: 3
mysum(xs...) = sum(xs)
println(mysum(1, 2, 3))            # expect: 6
first_rest(a, rest...) = rest
println(first_rest(1, 2, 3))       # expect: (2, 3)
println(first_rest(1))             # expect: ()
println(typeof(first_rest(1, 2.0)))  # expect: Tuple{Float64}
args = (4, 5)
add(a, b) = a + b
println(add(args...))              # expect: 9
v = [1, 2, 3]
println(max(v...))                 # expect: 3
println(count_args(v...))          # expect: 3
println(count_args(v))             # expect: 1
println(vcat([1], [2, 3]...))      # expect: [1, 2, 3]
println((v..., 4))                 # expect: (1, 2, 3, 4)
