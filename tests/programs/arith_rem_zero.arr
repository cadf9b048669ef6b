# x % 0 on integers is a DivideError too.
println(7 % 2)                 # expect: 1
println(mod(7.0, 0.0))         # expect: NaN
r = 7 % 0
# expect error: DivideError at 4:5
