"""Fuzzing the front end and the interpreter with random and mutated programs.

Every failure must be an Arr error (`lang.ArrError`, never an `InternalError`, which is
how the interpreter wraps an unexpected Python exception); no Python exception may escape.
The mutations are deterministic (fixed seeds), so a failure reproduces.
"""
from __future__ import annotations

import contextlib
import io
import random
import time
from pathlib import Path

import pytest

from lang.parser import parse
from lang.session import ArrExit, Session
from lang.source import ArrError

# slow: run by CI and by `python -m pytest -q -m slow` (README)
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent
PROGRAMS = sorted((ROOT / "programs").glob("*.arr"))
TOKENS = ["(", ")", "[", "]", "{", "}", ",", ";", "\n", " ", "=", "==", "+", "-", "*", "/",
          "^", ".", "..", "...", ":", "::", "'", '"', "$", "#", "#=", "=#", "end", "begin",
          "if", "else", "for", "while", "function", "struct", "return", "x", "y", "1", "2.5",
          "1f0", "true", "->", "=>", "&&", "||", "?", "@time", "[1 2; 3 4]", "x[end]", "2x",
          ".+", ".=", "try", "catch", "let", "do", "where", "<:", "σ", "nothing", "f(x)"]


def mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    kind = rng.randrange(6)
    if kind == 0 and len(lines) > 1:                    # drop a line
        del lines[rng.randrange(len(lines))]
    elif kind == 1:                                     # duplicate a line
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
    elif kind == 2 and len(lines) > 1:                  # swap two lines
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    else:                                               # splice tokens into a line
        i = rng.randrange(len(lines))
        line = lines[i]
        for _ in range(rng.randint(1, 3)):
            pos = rng.randint(0, len(line))
            if rng.random() < 0.5 and line:
                end = min(len(line), pos + rng.randint(1, 4))
                line = line[:pos] + line[end:]
            else:
                line = line[:pos] + rng.choice(TOKENS) + line[pos:]
        lines[i] = line
    return "\n".join(lines)


def random_source(rng: random.Random) -> str:
    return "".join(rng.choice(TOKENS + [" "] * 5) for _ in range(rng.randint(1, 30)))


def check_parse(src: str) -> None:
    try:
        parse(src, "fuzz.arr")
    except ArrError as e:
        assert e.kind == "ParseError", e.render()


def check_run(session: Session, src: str) -> None:
    # the interpreter is fuzzed: compiled code cannot be stopped at the deadline (a
    # mutated `while n != 1` never ends), so calls are not compiled here
    session.interp.jit_on = False
    session.interp.deadline = time.monotonic() + 1.0
    session.interp.depth = 0
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            session.eval(src, "fuzz.arr")
    except ArrError as e:
        assert e.kind != "InternalError", f"{e.render()}\n--- program ---\n{src}"
        e.render()                     # rendering must not fail either
    except ArrExit:
        pass                           # the program called exit(): a normal way to end
    finally:
        session.interp.deadline = None


def test_parser_on_random_strings() -> None:
    rng = random.Random(1234)
    for _ in range(3000):
        check_parse(random_source(rng))


def test_parser_on_mutated_programs() -> None:
    rng = random.Random(99)
    texts = [p.read_text() for p in PROGRAMS]
    for _ in range(3000):
        src = rng.choice(texts)
        for _ in range(rng.randint(1, 3)):
            src = mutate(src, rng)
        check_parse(src)


@pytest.mark.parametrize("seed", range(4))
def test_interpreter_on_mutated_programs(seed: int) -> None:
    rng = random.Random(seed)
    texts = [p.read_text() for p in PROGRAMS]
    session = Session()
    for k in range(300):
        if k % 100 == 99:
            session = Session()          # a mutated program may redefine stdlib methods
        src = rng.choice(texts)
        for _ in range(rng.randint(1, 2)):
            src = mutate(src, rng)
        check_run(session, src)


def test_interpreter_on_random_strings() -> None:
    rng = random.Random(7)
    session = Session()
    for _ in range(500):
        check_run(session, random_source(rng))
