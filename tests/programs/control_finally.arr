# finally always runs.
try
    try
        error("a")
    finally
        println("finally runs")
    end
catch e
    println(e.msg)
end
# expect: finally runs
# expect: a
function f()
    try
        return 1
    finally
        println("cleanup")
    end
end
println(f())
# expect: cleanup
# expect: 1
