# factorial beyond Int64 is an OverflowError (it does not wrap).
println(factorial(20))         # expect: 2432902008176640000
factorial(21)
# expect error: OverflowError at 3:1
# expect stderr: 21
