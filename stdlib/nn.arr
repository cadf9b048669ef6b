# Neural networks: activations, losses, one-hot encoding, initialisers and layers, with
# Flux's conventions (batch last: a Dense layer maps (in, batch) to (out, batch)).
# Everything here is ordinary Arr: it compiles, and differentiates, like user code.

# ---------------------------------------------------------------- activations
# (`Intrinsics.select`, not a branch: inside a broadcast, and in its derivative, it stays
# one elementwise select.  The arguments are untyped, so that a program defining its own
# `σ(x)` or `relu(x)` replaces these methods rather than losing to them.)

"""`relu(x)`: max(x, 0), elementwise with `relu.(x)`."""
relu(x) = Intrinsics.select(x > zero(x), x, zero(x))

"""`sigmoid(x)` (also `σ`): the logistic function 1 / (1 + exp(-x))."""
function sigmoid(x)
    t = exp(-abs(x))
    Intrinsics.select(x >= zero(x), one(t) / (one(t) + t), t / (one(t) + t))
end
σ(x) = sigmoid(x)

"""`softplus(x)`: log(1 + exp(x)), computed without overflow."""
softplus(x) = log1p(exp(-abs(x))) + relu(x)

"""`gelu(x)`: the Gaussian error linear unit, in its tanh approximation (as Flux and
`jax.nn.gelu`)."""
function gelu(x)
    c = oftype(x, 0.7978845608028654)      # sqrt(2 / pi)
    oftype(x, 0.5) * x * (one(x) + tanh(c * (x + oftype(x, 0.044715) * x^3)))
end

"""`leakyrelu(x, a=0.01)`: x for positive x, a * x otherwise."""
leakyrelu(x, a=oftype(x, 0.01)) = Intrinsics.select(x > zero(x), x, oftype(x, a) * x)

"""
    softmax(x; dims=1)

exp.(x) normalised to sum to one along `dims` (shifted by the maximum first, so large
inputs do not overflow).
"""
function softmax(x::AbstractArray; dims=1)
    e = exp.(x .- maximum(x; dims=dims))
    e ./ sum(e; dims=dims)
end

"""`logsoftmax(x; dims=1)`: log.(softmax(x; dims)), computed stably."""
function logsoftmax(x::AbstractArray; dims=1)
    y = x .- maximum(x; dims=dims)
    y .- log.(sum(exp.(y); dims=dims))
end

"""
    logsumexp(x; dims=:)

log(sum(exp.(x))) without overflow: a number, or an array with `dims` of size one.
"""
function logsumexp(x::AbstractArray; dims=:)
    m = maximum(x; dims=dims)
    if dims isa Colon
        return m + log(sum(exp.(x .- m)))
    end
    m .+ log.(sum(exp.(x .- m); dims=dims))
end

# ---------------------------------------------------------------- losses
"""`mse(ŷ, y)`: the mean of the squared differences."""
mse(ŷ, y) = sum(abs2, ŷ .- y) / length(y)

"""
    crossentropy(ŷ, y; dims=1)

The cross-entropy of probabilities ŷ against targets y (one-hot or probabilities) along
`dims`, averaged over the other dimensions (the batch), as Flux computes it: eps(T) is
added to ŷ before the log.
"""
function crossentropy(ŷ::AbstractArray, y::AbstractArray; dims=1)
    ϵ = eps(eltype(ŷ))
    -sum(y .* log.(ŷ .+ ϵ)) / (length(y) ÷ size(y, dims))
end

"""
    logitcrossentropy(ŷ, y; dims=1)

crossentropy(softmax(ŷ), y) computed from the logits ŷ, stably.
"""
function logitcrossentropy(ŷ::AbstractArray, y::AbstractArray; dims=1)
    -sum(y .* logsoftmax(ŷ; dims=dims)) / (length(y) ÷ size(y, dims))
end

# ---------------------------------------------------------------- one-hot encoding
"""`onehot(x, labels)`: a Bool vector, true where `labels` has x."""
function onehot(x, labels)
    i = findfirst(l -> l == x, labels)
    i === nothing && throw(ArgumentError(string("value ", x, " is not among the labels")))
    [k == i for k in 1:length(labels)]
end

"""`onehotbatch(xs, labels)`: a Bool matrix of size (length(labels), length(xs)) whose
column j is `onehot(xs[j], labels)`."""
function onehotbatch(xs, labels)
    idx = [_label_index(x, labels) for x in xs]
    [idx[j] == i for i in 1:length(labels), j in 1:length(idx)]
end
function _label_index(x, labels)
    i = findfirst(l -> l == x, labels)
    i === nothing && throw(ArgumentError(string("value ", x, " is not among the labels")))
    i
end

"""`onecold(y, labels=1:size(y, 1))`: the label of the largest entry of each column."""
onecold(y::AbstractVector, labels=1:length(y)) = labels[argmax(y)]
onecold(y::AbstractMatrix, labels=1:size(y, 1)) = [labels[argmax(y[:, j])] for j in 1:size(y, 2)]

# ---------------------------------------------------------------- initialisers
# fan-in and fan-out of a weight array: (out, in) for a matrix, (k..., cin, cout) for a
# convolution kernel
_nfan(n) = (1, n)
_nfan(nout, nin) = (nin, nout)
_nfan(dims...) = (prod(dims[1:end-2]) * dims[end-1], prod(dims[1:end-2]) * dims[end])

"""`glorot_uniform(dims...)`: Float32 weights uniform in ±sqrt(6 / (fan_in + fan_out))."""
function glorot_uniform(dims::Integer...)
    scale = Float32(sqrt(24.0 / sum(_nfan(dims...))))
    (rand(Float32, dims...) .- 0.5f0) .* scale
end

"""`glorot_normal(dims...)`: Float32 normal weights with variance 2 / (fan_in + fan_out)."""
function glorot_normal(dims::Integer...)
    randn(Float32, dims...) .* Float32(sqrt(2.0 / sum(_nfan(dims...))))
end

# ---------------------------------------------------------------- layers
"""
    Dense(in => out, σ=identity; init=glorot_uniform, bias=true)
    Dense(W, b=true, σ=identity)

A fully connected layer: `d(x) = σ.(W * x .+ b)` maps (in, batch) to (out, batch).
`b=true` is a zero bias of length out, `b=false` none.
"""
struct Dense{F, M, B}
    weight::M
    bias::B
    σ::F
end
function Dense(p::Pair, σ=identity; init=glorot_uniform, bias=true)
    W = init(p.second, p.first)
    _dense(W, _bias(bias, W, 1), σ)
end
Dense(W::AbstractMatrix, b=true, σ=identity) = _dense(W, _bias(b, W, 1), σ)
_dense(W::M, b::B, σ::F) where {M, B, F} = Intrinsics.struct_new(Dense{F, M, B}, (W, b, σ))

(d::Dense)(x::AbstractArray) = d.σ.(_add_bias(d.weight * x, d.bias))
_add_bias(y, b::AbstractVector) = y .+ b
_add_bias(y, b::Bool) = y
# a bias for the weight's output dimension d: `true` is zeros, `false` none
_bias(b::Bool, w, d) = b ? zeros(eltype(w), size(w, d)) : false
_bias(b::AbstractVector, w, d) = b

"""
    Chain(layers...)

Layers applied in order: `Chain(f, g)(x) == g(f(x))`.  `c.layers` is the tuple of them.
"""
struct Chain{T<:Tuple}
    layers::T
end
Chain(layers...) = Chain(layers)
function (c::Chain)(x)
    for layer in c.layers
        x = layer(x)
    end
    x
end

"""`flatten(x)`: x reshaped to a matrix, keeping the last (batch) dimension."""
flatten(x::AbstractArray) = reshape(x, :, size(x, ndims(x)))

# ---------------------------------------------------------------- convolution and pooling
# Images are (W, H, C, N) and kernels (kw, kh, cin, cout), as in Flux; a convolution is a
# cross-correlation (no flip), as in PyTorch and JAX.  On the CPU it is written as patch
# extraction and one matrix product: XLA's own CPU convolution is several times slower
# than the same product (see benchmarks/).

_pair(x::Integer) = (Int64(x), Int64(x))
_pair(x::Tuple) = (Int64(x[1]), Int64(x[2]))

# x with p1 zero columns on both sides of dimension 1 and p2 on both sides of dimension 2
function _pad2(x::AbstractArray{T,4}, p1, p2) where {T}
    if p1 > 0
        z = zeros(T, p1, size(x, 2), size(x, 3), size(x, 4))
        x = cat(z, x, z; dims=1)
    end
    if p2 > 0
        z = zeros(T, size(x, 1), p2, size(x, 3), size(x, 4))
        x = cat(z, x, z; dims=2)
    end
    x
end

# the output size of a window of k taken every s along n
_out_size(n, k, s) = (n - k) ÷ s + 1

"""
    conv(x, w; pad=0, stride=1)

The 2-d cross-correlation of images x (W, H, C, N) with kernels w (kw, kh, C, cout):
an array (W', H', cout, N).  `pad` and `stride` are a number or a pair (for W and H).
"""
function conv(x::AbstractArray{T,4}, w::AbstractArray{T,4}; pad=0, stride=1) where {T}
    s1, s2 = _pair(stride)
    p1, p2 = _pair(pad)
    kw, kh, cin, cout = size(w)
    size(x, 3) == cin || throw(DimensionMismatch(string("conv: the input has ", size(x, 3),
                                                        " channels, the kernel ", cin)))
    xp = permutedims(_pad2(x, p1, p2), (1, 2, 4, 3))          # (W, H, N, C)
    wo, ho = _out_size(size(xp, 1), kw, s1), _out_size(size(xp, 2), kh, s2)
    n = size(x, 4)
    # one slice of the input per kernel position, side by side along the channels:
    # row (w, h, n) of the patch matrix holds the window under output pixel (w, h)
    parts = ntuple(k -> _window(xp, (k - 1) ÷ kh + 1, (k - 1) % kh + 1, wo, ho, s1, s2), kw * kh)
    patches = reshape(cat(parts...; dims=4), wo * ho * n, kw * kh * cin)
    y = patches * reshape(w, kw * kh * cin, cout)
    permutedims(reshape(y, wo, ho, n, cout), (1, 2, 4, 3))
end
_window(x, i, j, wo, ho, s1, s2) = x[i:s1:i + s1 * (wo - 1), j:s2:j + s2 * (ho - 1), :, :]

"""
    Conv((kw, kh), cin => cout, σ=identity; pad=0, stride=1, init=glorot_uniform, bias=true)
    Conv(w, b=true, σ=identity; pad=0, stride=1)

A convolutional layer: `c(x) = σ.(conv(x, w; pad, stride) .+ b)` on images (W, H, C, N).
"""
struct Conv{F, A, B}
    weight::A
    bias::B
    σ::F
    stride::Tuple{Int64, Int64}
    pad::Tuple{Int64, Int64}
end
function Conv(k::Tuple, ch::Pair, σ=identity; pad=0, stride=1, init=glorot_uniform, bias=true)
    w = init(k[1], k[2], ch.first, ch.second)
    _conv(w, _bias(bias, w, 4), σ, stride, pad)
end
Conv(w::AbstractArray, b=true, σ=identity; pad=0, stride=1) = _conv(w, _bias(b, w, 4), σ, stride, pad)
_conv(w::A, b::B, σ::F, stride, pad) where {A, B, F} =
    Intrinsics.struct_new(Conv{F, A, B}, (w, b, σ, _pair(stride), _pair(pad)))

function (c::Conv)(x::AbstractArray)
    y = conv(x, c.weight; pad=c.pad, stride=c.stride)
    c.σ.(_add_bias(y, c.bias))
end
_add_bias(y::AbstractArray{T,4}, b::AbstractVector) where {T} = y .+ reshape(b, 1, 1, length(b), 1)

"""
    MaxPool((kw, kh); pad=0, stride=(kw, kh))

The largest value of each window of images (W, H, C, N), channel by channel.
"""
struct MaxPool
    window::Tuple{Int64, Int64}
    stride::Tuple{Int64, Int64}
    pad::Tuple{Int64, Int64}
end
MaxPool(k::Tuple; pad=0, stride=k) = MaxPool(_pair(k), _pair(stride), _pair(pad))

"""`MeanPool((kw, kh); pad=0, stride=(kw, kh))`: the mean of each window."""
struct MeanPool
    window::Tuple{Int64, Int64}
    stride::Tuple{Int64, Int64}
    pad::Tuple{Int64, Int64}
end
MeanPool(k::Tuple; pad=0, stride=k) = MeanPool(_pair(k), _pair(stride), _pair(pad))

(p::MaxPool)(x::AbstractArray) = maxpool(x, p.window; pad=p.pad, stride=p.stride)
(p::MeanPool)(x::AbstractArray) = meanpool(x, p.window; pad=p.pad, stride=p.stride)

"""`maxpool(x, (kw, kh); pad=0, stride=(kw, kh))`: see `MaxPool`."""
maxpool(x::AbstractArray{T,4}, k; pad=0, stride=k) where {T} =
    _pool(max, _pad2(x, _pair(pad)...), _pair(k), _pair(stride))
"""`meanpool(x, (kw, kh); pad=0, stride=(kw, kh))`: see `MeanPool`."""
function meanpool(x::AbstractArray{T,4}, k; pad=0, stride=k) where {T}
    k1, k2 = _pair(k)
    _pool(+, _pad2(x, _pair(pad)...), (k1, k2), _pair(stride)) ./ T(k1 * k2)
end
# op over the windows: one strided slice per window position, combined elementwise
function _pool(op, x, k, s)
    wo, ho = _out_size(size(x, 1), k[1], s[1]), _out_size(size(x, 2), k[2], s[2])
    acc = _window(x, 1, 1, wo, ho, s[1], s[2])
    for i in 1:k[1], j in 1:k[2]
        if i > 1 || j > 1
            acc = op.(acc, _window(x, i, j, wo, ho, s[1], s[2]))
        end
    end
    acc
end
