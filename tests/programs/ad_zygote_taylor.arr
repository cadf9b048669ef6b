# The headline example of Zygote's paper: a Taylor series with a loop, a branch and an
# early return, differentiated exactly in reverse mode.
function s(x)
    t = 0.0
    sign = -1.0
    for i in 1:19
        if isodd(i)
            newterm = x^i / factorial(i)
            abs(newterm) < 1e-8 && return t
            sign = -sign
            t += sign * newterm
        end
    end
    return t
end
println(s(1.0))                 # expect: 0.841470984648068
println(derivative(s, 1.0))     # expect: 0.540302303791887
println(gradient(s, 1.0))       # expect: (0.5403023037918872,)
println(abs(gradient(s, 1.0)[1] - cos(1.0)) < 1e-8)   # expect: true
