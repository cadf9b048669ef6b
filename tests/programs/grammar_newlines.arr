# Statements end at newlines, but continue after a binary operator or inside ( ).
x = 1 +
    2
println(x)                     # expect: 3
z = max(1,
        5,
        3)
println(z)                     # expect: 5
a = 1; b = 2; println(a + b)   # expect: 3
v = [1,
     2,
     3]
println(v)                     # expect: [1, 2, 3]
w = 2 *
    3 +
    4
println(w)                     # expect: 10
t = (1,
     2)
println(t)                     # expect: (1, 2)
c = 5
-1
println(c)                     # expect: 5
ok = true &&
     false
println(ok)                    # expect: false
