# A loop over a tuple may change the type (shape) of a variable on each iteration.
function run_layers(layers, x)
    for l in layers
        x = l(x)
    end
    x
end
double(v) = vcat(v, v)
total(v) = sum(v)
println(run_layers((double, double, total), [1.0, 2.0]))        # expect: 12.0
println(run_layers((x -> x .* 2, x -> x[1:2]), [1, 2, 3]))     # expect: [2, 4]
println(run_layers((x -> reshape(x, 2, 2), x -> x'), [1, 2, 3, 4]))  # expect: [1 3; 2 4]
function sizes(x)
    out = ()
    for k in (1, 2, 3)
        x = vcat(x, x)
        out = (out..., length(x))
    end
    out
end
println(sizes([0]))            # expect: (2, 4, 8)
