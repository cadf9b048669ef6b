# Calling an undefined function inside a function.
function f(x)
    return g_missing(x) + 1
end
println("start")               # expect: start
f(1)
# expect error: UndefVarError at 3:12
# expect stderr: g_missing
