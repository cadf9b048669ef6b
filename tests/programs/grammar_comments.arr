# a line comment
x = 1 # trailing comment
#= block
comment =#
y = #= inline =# 2
#= outer #= nested =# still a comment =#
println(x + y)                 # expect: 3
#=
multi
line #= nested
=#
println("inside a comment")
=#
println("after")               # expect: after
z = 3 # #= this is a line comment, not a block
println(z)                     # expect: 3
println("# not a comment")     # expect: # not a comment
