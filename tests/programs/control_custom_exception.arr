# User exception types.
struct MyErr <: Exception
    msg::String
end
function risky(x)
    x < 0 && throw(MyErr("negative: $x"))
    sqrt(x)
end
println(risky(4.0))            # expect: 2.0
try
    risky(-1)
catch e
    println(typeof(e))         # expect: MyErr
    println(e.msg)             # expect: negative: -1
    println(isa(e, MyErr))     # expect: true
    println(isa(e, Exception)) # expect: true
end
try
    throw(ArgumentError("bad arg"))
catch e
    println(typeof(e))         # expect: ArgumentError
    println(e.msg)             # expect: bad arg
end
struct Code <: Exception
    n::Int
end
try
    throw(Code(7))
catch e
    println(e.n * 2)           # expect: 14
end
