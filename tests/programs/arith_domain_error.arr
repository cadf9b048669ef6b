# sqrt of a negative Float64 is a DomainError.
function stdev(v)
    return sqrt(v)
end
println(stdev(4.0))            # expect: 2.0
stdev(-1.0)
# expect error: DomainError at 3:12
# expect stderr: -1.0
