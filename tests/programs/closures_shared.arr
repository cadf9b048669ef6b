# Several closures share one captured variable; the closure sees later assignments.
function pair()
    x = 0
    getter() = x
    function setter(v)
        x = v
    end
    return getter, setter
end
g, s = pair()
println(g())                   # expect: 0
s(42)
println(g())                   # expect: 42
function later()
    x = 1
    f = () -> x
    x = 2
    return f()
end
println(later())               # expect: 2
function counter_total()
    n = 0
    bump = function ()
        n += 1
    end
    for i in 1:5
        bump()
    end
    return n
end
println(counter_total())       # expect: 5
