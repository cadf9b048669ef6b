# An `end` that closes nothing.
x = 1
end
# expect error: ParseError at 3:1
