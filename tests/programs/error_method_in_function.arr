# A MethodError inside nested calls points at the innermost call in user code.
half(x::Float64) = x / 2
process(v) = half(v)
run_it(v) = process(v) + 1
println(run_it(3.0))           # expect: 2.5
run_it(3)
# expect error: MethodError at 3:14
# expect stderr: no method matching half(::Int64)
# expect stderr: Stacktrace:
