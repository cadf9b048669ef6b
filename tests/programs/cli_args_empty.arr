# The harness passes no arguments.
println(length(ARGS))          # expect: 0
println(typeof(ARGS))          # expect: Vector{String}
println(isempty(ARGS))         # expect: true
