# try/catch with error values.
try
    error("boom")
catch e
    println(e.msg)             # expect: boom
    println(typeof(e))         # expect: ErrorException
end
r = try
    sqrt(-1.0)
catch err
    "caught"
end
println(r)                     # expect: caught
function safe_div(a, b)
    try
        return div(a, b)
    catch e
        println(typeof(e))
        return 0
    end
end
println(safe_div(7, 2))        # expect: 3
println(safe_div(7, 0))        # expect: DivideError
                               # expect: 0
try
    [1, 2][5]
catch e
    println(typeof(e))         # expect: BoundsError
end
try
    undefined_fn(1)
catch e
    println(typeof(e))         # expect: UndefVarError
end
try
    sqrt(-4.0)
catch e
    println(typeof(e))         # expect: DomainError
end
v = try
    42
catch
    0
end
println(v)                     # expect: 42
