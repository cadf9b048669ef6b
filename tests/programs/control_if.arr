# if / elseif / else, and if as an expression.
function classify(x)
    if x < 0
        "negative"
    elseif x == 0
        "zero"
    elseif x < 10
        "small"
    else
        "large"
    end
end
for v in (-5, 0, 3, 50)
    println(classify(v))
end
# expect: negative
# expect: zero
# expect: small
# expect: large
x = 3
if x > 2; println("gt2"); end  # expect: gt2
y = if x > 5
    "a"
else
    "b"
end
println(y)                     # expect: b
r = if false
    1
end
println(r)                     # expect: nothing
if x == 3 && y == "b"
    println("both")            # expect: both
end
