# Comparisons chain, and the middle operand is evaluated once.
x = 5
println(1 < x < 10)            # expect: true
println(1 < x > 10)            # expect: false
println(1 <= 1 < 2 <= 2)       # expect: true
println(3 > 2 > 1)             # expect: true
println(1 == 1.0 == true)      # expect: true
println(0 ≤ x ≤ 5)             # expect: true
println(x ≠ 5)                 # expect: false
println(1 < 2 > 0 != 5)        # expect: true
function noisy(v)
    println("eval ", v)
    return v
end
println(1 < noisy(2) < 3)      # expect: eval 2
                               # expect: true
println(5 < 1 < noisy(9))      # expect: false
println(3 < noisy(2) < noisy(7))  # expect: eval 2
                                  # expect: false
