# Int(x) of a non-integral float is an InexactError.
println(Int(2.0))              # expect: 2
x = 3.5
y = Int(x)
# expect error: InexactError at 4:5
# expect stderr: Int64(3.5)
