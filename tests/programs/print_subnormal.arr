# Subnormal floats exist in the interpreter.
# interpreted: compiled code on the CPU flushes subnormal floats to zero (XLA's CPU runtime
# sets flush-to-zero), so this program keeps to the default policy, where the top level's
# scalar arithmetic runs on the intrinsics' reference evaluation.
println(5e-324 > 0)            # expect: true
println(5e-324)                # expect: 5.0e-324
println(nextfloat(0.0))        # expect: 5.0e-324
