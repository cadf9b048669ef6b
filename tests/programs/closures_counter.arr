# A closure that reassigns a captured variable shares it with its scope (Julia semantics).
function make_counter()
    cnt = 0
    function inc()
        cnt += 1
        return cnt
    end
    return inc
end
c = make_counter()
println(c())                   # expect: 1
println(c())                   # expect: 2
println(c())                   # expect: 3
d = make_counter()
println(d())                   # expect: 1
println(c())                   # expect: 4
function make_acc(start)
    total = start
    function add(x)
        total += x
    end
    return add
end
acc = make_acc(10)
acc(5)
println(acc(1))                # expect: 16
