# Errors propagate through functions and can be re-thrown.
function inner()
    error("inner failed")
end
function outer()
    try
        inner()
    catch e
        println("outer saw: ", e.msg)
        throw(e)
    end
end
try
    outer()
catch e
    println("top saw: ", e.msg)
end
# expect: outer saw: inner failed
# expect: top saw: inner failed
function guarded(x)
    try
        x < 0 && error("neg")
        "ok"
    catch e
        "caught $(e.msg)"
    end
end
println(guarded(1))            # expect: ok
println(guarded(-1))           # expect: caught neg
