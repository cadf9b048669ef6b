# A caught error does not end the program; it exits 0.
for d in (2, 0, 5)
    try
        println(div(10, d))
    catch e
        println("skipped: ", typeof(e))
    end
end
# expect: 5
# expect: skipped: DivideError
# expect: 2
println("done")                # expect: done
