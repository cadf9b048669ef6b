# Escapes in string literals.
println("a\nb")                # expect: a
                               # expect: b
println("quote \"hi\"")        # expect: quote "hi"
println("dollar \$x")          # expect: dollar $x
println("back\\slash")         # expect: back\slash
println(length("a\nb"))        # expect: 3
println("tab\tend" == "tab" * "\t" * "end")  # expect: true
