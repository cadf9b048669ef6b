# Unbounded recursion is a StackOverflowError, not a Python RecursionError.
f(n) = f(n + 1) + 1
println("start")               # expect: start
f(1)
# expect error: StackOverflowError at 2
