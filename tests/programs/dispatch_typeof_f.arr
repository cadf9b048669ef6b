# ::typeof(f) dispatch: each function has its own type.
describe(::typeof(sin)) = "sine"
describe(::typeof(cos)) = "cosine"
describe(f::Function) = "some function"
println(describe(sin))         # expect: sine
println(describe(cos))         # expect: cosine
println(describe(x -> x))      # expect: some function
myf(x) = x
describe(::typeof(myf)) = "mine"
println(describe(myf))         # expect: mine
println(isa(sin, Function))    # expect: true
println(typeof(myf) == typeof(myf))  # expect: true
println(typeof(sin) == typeof(cos))  # expect: false
apply(f, x) = f(x)
println(apply(abs, -3))        # expect: 3
