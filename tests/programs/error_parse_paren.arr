# A closing parenthesis too many.
println(1))
# expect error: ParseError at 2:11
