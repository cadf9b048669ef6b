# Integer arithmetic wraps around on overflow.
println(typemax(Int))                      # expect: 9223372036854775807
println(typemin(Int))                      # expect: -9223372036854775808
println(typemax(Int) + 1 == typemin(Int))  # expect: true
println(typemax(Int) + 1)                  # expect: -9223372036854775808
println(typemin(Int) - 1)                  # expect: 9223372036854775807
println(typemax(Int32))                    # expect: 2147483647
println(typemax(Int32) + Int32(1))         # expect: -2147483648
println(-typemin(Int))                     # expect: -9223372036854775808
println(abs(typemin(Int)))                 # expect: -9223372036854775808
println(typemax(Int) * 2)                  # expect: -2
println(typemin(Int32))                    # expect: -2147483648
function fact_wrap(n)
    p = 1
    for i in 1:n
        p *= i
    end
    p
end
println(fact_wrap(25))                     # expect: 7034535277573963776
