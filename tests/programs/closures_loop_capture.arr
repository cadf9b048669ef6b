# Each loop iteration and comprehension element gets a fresh variable.
fs = [() -> i * 10 for i in 1:3]
println([f() for f in fs])     # expect: [10, 20, 30]
function collect_closures()
    a = () -> 0
    b = () -> 0
    for i in 1:2
        if i == 1
            a = () -> i
        else
            b = () -> i
        end
    end
    return a(), b()
end
println(collect_closures())    # expect: (1, 2)
