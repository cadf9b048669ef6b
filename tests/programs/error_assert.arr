# @assert raises an AssertionError with the given message.
@assert 1 + 1 == 2
println("ok")                  # expect: ok
x = 3
@assert x < 0 "x must be negative"
# expect error: AssertionError at 5:1
# expect stderr: x must be negative
