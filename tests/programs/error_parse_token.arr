# An unexpected token.

y = 1 +* 2
# expect error: ParseError at 3:8
