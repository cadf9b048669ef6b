# Printing and I/O (interpreter only).  `print` writes `string(x)`, `show` writes
# `repr(x)`, `display` writes what the REPL shows.  `stdout` and `stderr` may be given
# as a first argument.

"""An output stream: `stdout` (1) or `stderr` (2)."""
struct StdStream
    fd::Int64
end
const stdout = StdStream(1)
const stderr = StdStream(2)

_write(io::StdStream, s::String) = io.fd == 2 ? Intrinsics.write_stderr(s) : Intrinsics.write_stdout(s)

"""`print(xs...)`: write the printed forms of xs to standard output."""
function print(xs...)
    Intrinsics.write_stdout(string(xs...))
    nothing
end
"""`println(xs...)`: like `print`, followed by a newline."""
function println(xs...)
    Intrinsics.write_stdout(string(xs..., "\n"))
    nothing
end
function print(io::StdStream, xs...)
    _write(io, string(xs...))
    nothing
end
function println(io::StdStream, xs...)
    _write(io, string(xs..., "\n"))
    nothing
end
"""`show(x)`: write `repr(x)` (strings are quoted, floats are exact)."""
function show(x)
    Intrinsics.write_stdout(repr(x))
    nothing
end
function show(io::StdStream, x)
    _write(io, repr(x))
    nothing
end
"""`display(x)`: write x as the REPL shows it (`3-element Vector{Float64}:` ...)."""
function display(x)
    Intrinsics.write_stdout(string(Intrinsics.display_string(x), "\n"))
    nothing
end
flush(io::StdStream) = Intrinsics.flush_stdout()

"""`read(path, String)`: the contents of a file."""
read(path::String, ::Type{String}) = Intrinsics.read_file(path)
"""`readlines(path)`: the lines of a file, without their newlines."""
function readlines(path::String)
    text = Intrinsics.read_file(path)
    lines = split(text, "\n")
    (length(lines) > 0 && lines[length(lines)] == "") ? lines[1:(length(lines) - 1)] : lines
end
readline() = Intrinsics.read_stdin_line()
"""`write(path, s)`: write the string s to a file, replacing it; returns the byte count."""
write(path::String, s::String) = Intrinsics.write_file(path, s)
function write(io::StdStream, s::String)
    _write(io, s)
    ncodeunits(s)
end

"""`time()`: seconds since an arbitrary fixed moment, as a Float64."""
time() = Intrinsics.time_ns() / 1.0e9
time_ns() = Intrinsics.time_ns()
