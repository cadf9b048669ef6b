# round(Int, x) of a value outside Int64's range is an InexactError.
println(round(Int, 1e3))       # expect: 1000
function toint(v)
    return round(Int, v)
end
println(toint(2.5))            # expect: 2
toint(1e30)
# expect error: InexactError at 4:12
