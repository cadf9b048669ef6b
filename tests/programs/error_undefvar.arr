# Reading an undefined variable.
x = 1
println(x)                     # expect: 1
println(undefined_thing)
# expect error: UndefVarError at 4:9
# expect stderr: undefined_thing
# expect stderr: not defined
