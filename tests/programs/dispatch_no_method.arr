# No matching method: MethodError listing the closest candidates.
area(r::Float64) = 3.0 * r^2
area(w::Float64, h::Float64) = w * h
println(area(1.0))             # expect: 3.0
println(area(2.0, 3.0))        # expect: 6.0
area("big")
# expect error: MethodError at 6:1
# expect stderr: no method matching area(::String)
# expect stderr: Closest candidates
