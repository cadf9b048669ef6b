# exit(code) ends the program with that status; a catch does not stop it.
println("before")                 # expect: before
try
    exit(0)
catch
    println("caught")
end
println("never")
