# A syntax error anywhere in the file: it is reported with its line.
function f(x)
    return x +
end
# expect error: ParseError at 4
