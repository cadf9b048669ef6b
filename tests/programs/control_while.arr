# while loops with break.
function collatz(n)
    steps = 0
    while n != 1
        n = iseven(n) ? n ÷ 2 : 3n + 1
        steps += 1
    end
    steps
end
println(collatz(6))            # expect: 8
println(collatz(27))           # expect: 111
function first_power_over(limit)
    p = 1
    while true
        p *= 2
        p > limit && break
    end
    p
end
println(first_power_over(100)) # expect: 128
function countdown(n)
    s = ""
    while n > 0
        s = string(s, n)
        n -= 1
    end
    s
end
println(countdown(5))          # expect: 54321
i = 0
while i < 3
    global i
    i += 1
end
println(i)                     # expect: 3
