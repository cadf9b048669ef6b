# The DivideError points at the ÷ inside the function.
function avg(total, count)
    return total ÷ count
end
println(avg(10, 2))            # expect: 5
println(avg(1, 0))
# expect error: DivideError at 3:12
