# An unclosed parenthesis at the end of the file.
x = (1 +
# expect error: ParseError
