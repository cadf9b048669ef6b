# Optimisers, as Optimisers.jl (and Flux) use them:
#
#     state = setup(Adam(1e-3), model)
#     state, model = update(state, model, grads)
#
# `setup` walks the model (structs, tuples, named tuples, down to arrays of floats) and
# gives a tree of the same shape whose float arrays are `Leaf`s: the rule and its state
# for that array.  `update` walks the state, the model and the gradient (a NamedTuple per
# struct, `nothing` where there is none) together and returns new values of both, of
# exactly the types it was given, so a training step compiles once.

"""`Descent(η=0.1)`: plain gradient descent, x - η * dx."""
struct Descent
    eta::Float64
end
Descent() = Descent(0.1)

"""`Momentum(η=0.01, ρ=0.9)`: gradient descent with momentum, v = ρ v + η dx, x - v."""
struct Momentum
    eta::Float64
    rho::Float64
end
Momentum(eta=0.01) = Momentum(eta, 0.9)

"""`Adam(η=0.001, β=(0.9, 0.999), ϵ=1e-8)`: Adam (Kingma & Ba), with bias correction."""
struct Adam
    eta::Float64
    beta::Tuple{Float64, Float64}
    epsilon::Float64
end
Adam(eta=0.001, beta=(0.9, 0.999)) = Adam(eta, beta, 1.0e-8)

"""The optimiser state of one array: its rule and the rule's state (`setup`)."""
struct Leaf{R, S}
    rule::R
    state::S
end

# what each rule keeps per array
_init(::Descent, x) = nothing
_init(::Momentum, x) = zero(x)
_init(o::Adam, x) = (zero(x), zero(x), o.beta)

# one step of a rule on array x with gradient dx: (new state, new x)
function _apply(o::Descent, s, x, dx)
    s, x .- eltype(x)(o.eta) .* dx
end
function _apply(o::Momentum, v, x, dx)
    T = eltype(x)
    v2 = T(o.rho) .* v .+ T(o.eta) .* dx
    v2, x .- v2
end
function _apply(o::Adam, s, x, dx)
    T = eltype(x)
    m, v, βt = s
    b1, b2 = T(o.beta[1]), T(o.beta[2])
    m2 = b1 .* m .+ (one(T) - b1) .* dx
    v2 = b2 .* v .+ (one(T) - b2) .* abs2.(dx)
    c1, c2 = T(one(βt[1]) - βt[1]), T(one(βt[2]) - βt[2])
    step = (m2 ./ c1) ./ (sqrt.(v2 ./ c2) .+ T(o.epsilon)) .* T(o.eta)
    (m2, v2, (βt[1] * o.beta[1], βt[2] * o.beta[2])), x .- step
end

"""
    setup(rule, model)

The optimiser state for `model`: a tree shaped like it, with a `Leaf` (the rule and its
state) for each array of floats, and `nothing` for everything else.
"""
setup(rule, x::AbstractArray{<:AbstractFloat}) = Leaf(rule, _init(rule, x))
setup(rule, x::Number) = nothing
setup(rule, x::AbstractArray) = nothing
setup(rule, x::Tuple) = map(y -> setup(rule, y), x)
setup(rule, x::NamedTuple) = map(y -> setup(rule, y), x)
function setup(rule, x)
    names = fieldnames(typeof(x))
    isempty(names) && return nothing
    Intrinsics.namedtuple_new(names, map(n -> setup(rule, getfield(x, n)), names))
end

"""
    state, model = update(state, model, grads)

One optimiser step: every array of `model` with a gradient in `grads` moves by its rule,
and `state` advances.  Both are returned new, with the types they had.
"""
update(s::Leaf, x::AbstractArray, dx::AbstractArray) =
    (r = _apply(s.rule, s.state, x, dx); (Leaf(s.rule, r[1]), r[2]))
update(s, x, dx::Nothing) = (s, x)
update(s::Nothing, x, dx) = (s, x)
update(s::Nothing, x, dx::Nothing) = (s, x)
function update(s::Tuple, x::Tuple, dx::Tuple)
    parts = map(update, s, x, dx)
    map(p -> p[1], parts), map(p -> p[2], parts)
end
function update(s::NamedTuple, x::NamedTuple, dx::NamedTuple)
    parts = map(n -> update(s[n], x[n], dx[n]), keys(x))
    Intrinsics.namedtuple_new(keys(s), map(p -> p[1], parts)),
        Intrinsics.namedtuple_new(keys(x), map(p -> p[2], parts))
end
function update(s::NamedTuple, x, dx::NamedTuple)
    names = fieldnames(typeof(x))
    parts = map(n -> update(s[n], getfield(x, n), dx[n]), names)
    Intrinsics.namedtuple_new(names, map(p -> p[1], parts)),
        Intrinsics.struct_new(typeof(x), map(p -> p[2], parts))
end

"""
    model, state = train!(loss, model, data, opt; epochs=1)

Train `model` on `data`, an iterable of batches `(x, y)`: each step takes the gradient
of `loss(model, x, y)` and applies `opt` (a rule such as `Adam()`, or a state from
`setup`).  Shows a progress bar with the epoch's mean loss and steps per second, redrawn
in place on a terminal (one line per epoch otherwise).  Returns the trained model and the
optimiser state.
"""
function train!(loss, model, data, opt; epochs=1)
    state = opt isa Union{Descent, Momentum, Adam} ? setup(opt, model) : opt
    n = length(data)
    tty = Intrinsics.isatty_stdout()
    for epoch in 1:epochs
        total = 0.0
        t0 = time()
        for (i, batch) in enumerate(data)
            l, state, model = _train_step(loss, model, state, batch[1], batch[2])
            total += l
            if tty || i == n
                _progress(epoch, epochs, i, n, total / i, i / (time() - t0), tty)
            end
        end
    end
    model, state
end

function _train_step(loss, model, state, x, y)
    l, grads = withgradient(m -> loss(m, x, y), model)
    state2, model2 = update(state, model, grads[1])
    l, state2, model2
end

function _progress(epoch, epochs, i, n, loss, rate, tty)
    width = 24
    done = round(Int, width * i / n)
    bar = string(repeat("█", done), repeat("·", width - done))
    line = string("epoch ", epoch, "/", epochs, " ", bar, " ", i, "/", n,
                  "  loss ", _fmt(loss), "  ", _fmt(rate), " steps/s")
    if tty
        print("\r", line, "\e[K", i == n ? "\n" : "")     # \e[K: clear the old line's tail
        flush(stdout)
    else
        println(line)
    end
    nothing
end
_fmt(x) = string(round(Float64(x); digits=abs(x) < 1 ? 5 : 2))
