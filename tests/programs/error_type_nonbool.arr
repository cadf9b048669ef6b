# A non-Bool condition is a TypeError.
println("start")               # expect: start
if 1
    println("never")
end
# expect error: TypeError at 3
# expect stderr: non-boolean (Int64) used in boolean context
