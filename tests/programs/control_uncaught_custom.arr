# An uncaught user exception ends the program with status 1.
struct MyErr <: Exception
    msg::String
end
println("before")              # expect: before
throw(MyErr("custom failure"))
println("never")
# expect error: MyErr at 6:1
