# Function bodies and loops introduce local scopes.
x = 10
function shadow()
    x = 1
    x + 1
end
println(shadow())              # expect: 2
println(x)                     # expect: 10
function loop_var()
    i = 0
    for i in 1:3
    end
    i
end
println(loop_var())            # expect: 0
function body_local()
    total = 0
    for k in 1:3
        t = k * 2
        total += t
    end
    total
end
println(body_local())          # expect: 12
reads_global() = x * 2
println(reads_global())        # expect: 20
function set_global()
    global x = 99
    nothing
end
set_global()
println(x)                     # expect: 99
