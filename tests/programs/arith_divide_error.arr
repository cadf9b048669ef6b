# Integer division by zero is a DivideError; float division is not.
println(div(7, 1))             # expect: 7
println(7 / 0)                 # expect: Inf
n = 0
div(7, n)
# expect error: DivideError at 5:1
# expect stderr: integer division error
