# A closure sees the array a variable holds when it runs; updating the copy it got changes nothing outside.
function make_reader()
    data = [1, 2, 3]
    reader() = data[1]
    data[1] = 10
    return reader
end
println(make_reader()())       # expect: 10
function local_update(v)
    f = function (w)
        w[1] = 0
        return w
    end
    g = f(v)
    return v, g
end
orig, changed = local_update([7, 8])
println(orig)                  # expect: [7, 8]
println(changed)               # expect: [0, 8]
