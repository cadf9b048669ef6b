# zeros(3)[4] is out of bounds.
v = zeros(3)
println(length(v))             # expect: 3
println(zeros(3)[4])
# expect error: BoundsError at 4:9
