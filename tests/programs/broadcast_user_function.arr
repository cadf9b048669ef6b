# Broadcasting user functions that contain branches.
σ(x) = x > 0 ? x : 0.1x
println(σ.([-1.0, 2.0]))       # expect: [-0.1, 2.0]
function clampish(x)
    if x < -1.0
        return -1.0
    elseif x > 1.0
        return 1.0
    else
        return x
    end
end
println(clampish.([-3.0, 0.5, 2.0]))  # expect: [-1.0, 0.5, 1.0]
W = [1.0 -1.0; 2.0 0.0]
x = [1.0, 2.0]
b = [0.5, -6.0]
println(σ.(W * x .+ b))        # expect: [-0.05, -0.4]
relu2(x) = max(x, zero(x))
println(relu2.([-1, 2]))       # expect: [0, 2]
println(relu2.([-1.5 2.5]))    # expect: [0.0 2.5]
