# Unbounded mutual recursion inside functions with bodies.
function ping(n)
    return pong(n + 1)
end
function pong(n)
    return ping(n + 1) * 2
end
ping(0)
# expect error: StackOverflowError
