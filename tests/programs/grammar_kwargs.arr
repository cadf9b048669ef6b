# Keyword arguments with defaults.
function greet(name; greeting="Hello", punct="!")
    string(greeting, ", ", name, punct)
end
println(greet("Ann"))                      # expect: Hello, Ann!
println(greet("Bob"; greeting="Hi"))       # expect: Hi, Bob!
println(greet("Cy", punct="?"))            # expect: Hello, Cy?
println(greet("Di"; punct=".", greeting="Bye"))  # expect: Bye, Di.
scale(x; factor=2) = x * factor
println(scale(3))                          # expect: 6
println(scale(3; factor=10))               # expect: 30
shifted(x; by=x + 1) = x + by
println(shifted(1))                        # expect: 3
println(shifted(1; by=0))                  # expect: 1
total(xs; init=0) = init + sum(xs)
println(total([1, 2]; init=10))            # expect: 13
