# log of a negative number is a DomainError.
println(log(1.0))              # expect: 0.0
println(log(0.0))              # expect: -Inf
x = -2.0
println(log(x))
# expect error: DomainError at 5:9
