# Linear algebra and array arithmetic: +, -, * on arrays, matrix products, dot, norm,
# I (UniformScaling), diag, tril, triu, kron, inv, det and `A \ b`.
#
# StableHLO has no LU factorisation, so `inv`, `\` and `det` are Gaussian elimination with
# partial pivoting written here, on whole rows at a time (masks instead of shrinking
# slices, so that every step has the same shapes).

# ---------------------------------------------------------------- elementwise arithmetic
function _same_size(A, B)
    if size(A) != size(B)
        sa, sb = size(A), size(B)
        k = 1
        while k <= min(length(sa), length(sb)) && sa[k] == sb[k]
            k += 1
        end
        throw(DimensionMismatch(string("dimensions must match: a has dims ", _oneto(sa),
                                       ", b has dims ", _oneto(sb), ", mismatch at ", k)))
    end
    nothing
end
function _oneto(s::Tuple)
    parts = map(n -> string("Base.OneTo(", n, ")"), s)
    length(s) == 1 ? string("(", parts[1], ",)") : string("(", join(parts, ", "), ")")
end

function +(A::AbstractArray, B::AbstractArray)
    _same_size(A, B)
    broadcast(+, A, B)
end
function -(A::AbstractArray, B::AbstractArray)
    _same_size(A, B)
    broadcast(-, A, B)
end
-(A::AbstractArray) = broadcast(-, A)
+(A::AbstractArray) = A
*(a::Number, B::AbstractArray) = broadcast(*, a, B)
*(B::AbstractArray, a::Number) = broadcast(*, B, a)
/(B::AbstractArray, a::Number) = broadcast(/, B, a)
\(a::Number, B::AbstractArray) = broadcast(/, B, a)

# ---------------------------------------------------------------- adjoint vectors
"""`Adjoint`: `v'` for a vector v, a 1×n row; `v' * w` is the dot product."""
struct Adjoint{T} <: AbstractMatrix{T}
    parent::Vector{T}
end
adjoint(v::AbstractVector) = Adjoint(_iter_array(v))
transpose(v::AbstractVector) = Adjoint(_iter_array(v))
adjoint(a::Adjoint) = a.parent
transpose(a::Adjoint) = a.parent
collect(a::Adjoint) = Intrinsics.reshape(a.parent, (1, Intrinsics.length(a.parent)))
size(a::Adjoint) = (1, Intrinsics.length(a.parent))
length(a::Adjoint) = Intrinsics.length(a.parent)
_printable(a::Adjoint) = collect(a)
*(a::Adjoint, v::AbstractVector) = dot(a.parent, v)
*(a::Adjoint, B::AbstractMatrix) = Adjoint(vec(Intrinsics.matmul(collect(a), _iter_array(B))))

# ---------------------------------------------------------------- products
"""`A * B`: the matrix product (matrix-matrix, matrix-vector; a vector is a column)."""
*(A::AbstractMatrix, B::AbstractMatrix) = Intrinsics.matmul(_iter_array(A), _iter_array(B))
*(A::AbstractMatrix, x::AbstractVector) = Intrinsics.matmul(_iter_array(A), _iter_array(x))
*(x::AbstractVector, A::AbstractMatrix) = Intrinsics.matmul(_iter_array(x), _iter_array(A))
function ^(A::AbstractMatrix, p::Integer)
    size(A, 1) == size(A, 2) || throw(DimensionMismatch(string("matrix is not square: dimensions are ", size(A))))
    p < 0 && return inv(A)^(-p)
    R = _eye(eltype(A), size(A, 1))
    B = A
    while p > 0
        if isodd(p)
            R = R * B
        end
        B = B * B
        p = p ÷ 2
    end
    R
end

"""`dot(x, y)`: the sum of the products of corresponding elements."""
function dot(x::AbstractArray, y::AbstractArray)
    length(x) == length(y) || throw(DimensionMismatch(string("dot product arguments have lengths ", length(x), " and ", length(y))))
    sum(broadcast(*, vec(x), vec(y)))
end
dot(x::Number, y::Number) = x * y

"""`norm(x, p=2)`: the p-norm of the elements of x (Euclidean by default)."""
function norm(x::AbstractArray, p::Real=2)
    isempty(x) && return float(zero(eltype(x)))
    p == 2 && return sqrt(sum(abs2, x))
    p == 1 && return float(sum(abs, x))
    p == Inf && return float(maximum(abs, x))
    p == 0 && return float(count(v -> v != 0, x))
    p == -Inf && return float(minimum(abs, x))
    sum(v -> abs(v)^p, x)^(1 / p)
end
norm(x::Number, p::Real=2) = float(abs(x))
normalize(x::AbstractArray, p::Real=2) = x / norm(x, p)
function cross(a::AbstractVector, b::AbstractVector)
    (length(a) == 3 && length(b) == 3) || throw(DimensionMismatch("cross product is only defined for vectors of length 3"))
    [a[2] * b[3] - a[3] * b[2], a[3] * b[1] - a[1] * b[3], a[1] * b[2] - a[2] * b[1]]
end

# ---------------------------------------------------------------- structure
# linear (row-major) indices of the k-th diagonal of an m×n matrix
function _diagindices(m::Integer, n::Integer, k::Integer)
    rows = k >= 0 ? (1:min(m, n - k)) : ((1 - k):min(m, n - k))
    map(i -> (i - 1) * n + i + k, collect(rows))
end
"""`diag(A, k=0)`: the k-th diagonal of a matrix, as a vector."""
diag(A::AbstractMatrix, k::Integer=0) = vec(A)[_diagindices(size(A, 1), size(A, 2), k)]
"""`diagm(v)`: the square matrix with v on its diagonal."""
function diagm(v::AbstractVector)
    n = length(v)
    setindex(zeros(eltype(v), n, n), _iter_array(v), _diagindices(n, n, 0))
end
diagm(p::Pair) = _diagm_k(p.second, p.first)
function _diagm_k(v::AbstractVector, k::Integer)
    n = length(v) + abs(k)
    setindex(zeros(eltype(v), n, n), _iter_array(v), _diagindices(n, n, k))
end
tr(A::AbstractMatrix) = sum(diag(A))

# (i, j) index grids of an m×n matrix
_rowgrid(m, n) = Intrinsics.broadcast_to(reshape(collect(1:m), m, 1), (m, n))
_colgrid(m, n) = Intrinsics.broadcast_to(reshape(collect(1:n), 1, n), (m, n))
"""`tril(A, k=0)`: A with the elements above the k-th diagonal set to zero."""
function tril(A::AbstractMatrix, k::Integer=0)
    m, n = size(A)
    keep = (_colgrid(m, n) .- _rowgrid(m, n)) .<= k
    Intrinsics.select(keep, _iter_array(A), zero(eltype(A)))
end
"""`triu(A, k=0)`: A with the elements below the k-th diagonal set to zero."""
function triu(A::AbstractMatrix, k::Integer=0)
    m, n = size(A)
    keep = (_colgrid(m, n) .- _rowgrid(m, n)) .>= k
    Intrinsics.select(keep, _iter_array(A), zero(eltype(A)))
end

"""`kron(A, B)`: the Kronecker product."""
function kron(A::AbstractMatrix, B::AbstractMatrix)
    m, n = size(A)
    p, q = size(B)
    C = broadcast(*, reshape(A, m, 1, n, 1), reshape(B, 1, p, 1, q))
    reshape(C, m * p, n * q)
end
kron(a::AbstractVector, b::AbstractVector) = vec(broadcast(*, reshape(a, length(a), 1), reshape(b, 1, length(b))))
kron(A::AbstractMatrix, b::AbstractVector) = kron(A, reshape(b, length(b), 1))
kron(a::AbstractVector, B::AbstractMatrix) = kron(reshape(a, length(a), 1), B)

# ---------------------------------------------------------------- I
"""`I`: the identity matrix of any size, as in `A + 2I` or `I * x`."""
struct UniformScaling
    λ
end
const I = UniformScaling(true)
(J::UniformScaling)(n::Integer) = diagm(fill(J.λ, n))
function _square(A)
    size(A, 1) == size(A, 2) || throw(DimensionMismatch(string("matrix is not square: dimensions are ", size(A))))
    size(A, 1)
end
+(A::AbstractMatrix, J::UniformScaling) = A + diagm(fill(J.λ, _square(A)))
+(J::UniformScaling, A::AbstractMatrix) = diagm(fill(J.λ, _square(A))) + A
-(A::AbstractMatrix, J::UniformScaling) = A - diagm(fill(J.λ, _square(A)))
-(J::UniformScaling, A::AbstractMatrix) = diagm(fill(J.λ, _square(A))) - A
*(J::UniformScaling, A::AbstractArray) = J.λ * A
*(A::AbstractArray, J::UniformScaling) = A * J.λ
*(a::Number, J::UniformScaling) = UniformScaling(a * J.λ)
*(J::UniformScaling, a::Number) = UniformScaling(J.λ * a)
*(J::UniformScaling, K::UniformScaling) = UniformScaling(J.λ * K.λ)
/(J::UniformScaling, a::Number) = UniformScaling(J.λ / a)
-(J::UniformScaling) = UniformScaling(-J.λ)
+(J::UniformScaling, K::UniformScaling) = UniformScaling(J.λ + K.λ)
-(J::UniformScaling, K::UniformScaling) = UniformScaling(J.λ - K.λ)
function Matrix(J::UniformScaling, m::Integer, n::Integer)
    setindex(zeros(typeof(J.λ), m, n), fill(J.λ, min(m, n)), _diagindices(m, n, 0))
end

# ---------------------------------------------------------------- solving
# Gaussian elimination with partial pivoting on the augmented matrix [A B]; returns X
# with A X = B.  Throws SingularException(k) for an exactly zero pivot in column k.
function _gauss_solve(A::AbstractMatrix, B::AbstractMatrix)
    n = _square(A)
    size(B, 1) == n || throw(DimensionMismatch(string("arguments must have the same number of rows: ", n, " and ", size(B, 1))))
    T = float(promote_type(eltype(A), eltype(B)))
    M = hcat(_with_eltype(T, collect(A)), _with_eltype(T, collect(B)))
    rows = collect(1:n)
    for k in 1:n
        col = ifelse.(rows .>= k, abs.(M[:, k]), -one(T))
        p = argmax(col)
        M[p, k] == 0 && throw(SingularException(k))
        if p != k
            rk = M[k, :]
            M[k, :] = M[p, :]
            M[p, :] = rk
        end
        pivot = M[k, k]
        factors = ifelse.(rows .> k, M[:, k] ./ pivot, zero(T))
        M = M .- reshape(factors, n, 1) .* reshape(M[k, :], 1, size(M, 2))
    end
    U = M[:, 1:n]
    X = M[:, (n + 1):size(M, 2)]
    for k in n:-1:1
        u = ifelse.(rows .> k, U[k, :], zero(T))
        X[k, :] = (X[k, :] .- vec(reshape(u, 1, n) * X)) ./ U[k, k]
    end
    X
end

"""`inv(A)`: the inverse of a square matrix (SingularException if there is none)."""
inv(A::AbstractMatrix) = _gauss_solve(A, _eye(float(eltype(A)), _square(A)))
inv(x::Number) = one(x) / x

"""`A \\ b`: the solution x of `A * x = b` (least squares when A has more rows)."""
function \(A::AbstractMatrix, B::AbstractMatrix)
    size(A, 1) == size(A, 2) && return _gauss_solve(A, B)
    At = transpose(A)
    _gauss_solve(At * A, At * B)
end
\(A::AbstractMatrix, b::AbstractVector) = vec(A \ reshape(b, length(b), 1))
\(a::Number, b::Number) = b / a
/(A::AbstractMatrix, B::AbstractMatrix) = transpose(transpose(B) \ transpose(A))

"""`det(A)`: the determinant of a square matrix."""
function det(A::AbstractMatrix)
    n = _square(A)
    T = float(eltype(A))
    M = _with_eltype(T, collect(A))
    rows = collect(1:n)
    d = one(T)
    for k in 1:n
        col = ifelse.(rows .>= k, abs.(M[:, k]), -one(T))
        p = argmax(col)
        M[p, k] == 0 && return zero(T)
        if p != k
            rk = M[k, :]
            M[k, :] = M[p, :]
            M[p, :] = rk
            d = -d
        end
        pivot = M[k, k]
        d = d * pivot
        factors = ifelse.(rows .> k, M[:, k] ./ pivot, zero(T))
        M = M .- reshape(factors, n, 1) .* reshape(M[k, :], 1, n)
    end
    d
end
