# Variables bound by let do not exist outside it.
let secret = 42
    println(secret)            # expect: 42
end
println(secret)
# expect error: UndefVarError at 5:9
# expect stderr: secret
