# A BoundsError deep in user code points at the failing indexing and shows the stack.
function getit(v, i)
    return v[i]
end
function outer(v)
    s = 0
    for i in 1:4
        s += getit(v, i)
    end
    s
end
println(outer([1, 2, 3, 4]))   # expect: 10
outer([1, 2, 3])
# expect error: BoundsError at 3:12
# expect stderr: Stacktrace:
# expect stderr: getit
# expect stderr: outer
