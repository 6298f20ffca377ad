#!/usr/bin/env python3
"""Writes the test data of the example problems (hello, aplusb, circle).

Deterministic (fixed seeds): running it again rewrites identical files.
Run from anywhere: python3 problems/generate.py
"""
import math
import os
import random

ROOT = os.path.dirname(os.path.abspath(__file__))


def write(problem, name, text_in, text_ans):
    base = os.path.join(ROOT, problem, "data", name)
    os.makedirs(os.path.dirname(base), exist_ok=True)
    with open(base + ".in", "w", newline="\n") as f:
        f.write(text_in)
    with open(base + ".ans", "w", newline="\n") as f:
        f.write(text_ans)


def hello():
    for name in ["sample/1", "sample/2"] + [f"secret/{i:02d}" for i in range(1, 7)]:
        write("hello", name, "", "Hello, World!\n")


def aplusb_case(pairs):
    text_in = f"{len(pairs)}\n" + "".join(f"{a} {b}\n" for a, b in pairs)
    text_ans = "".join(f"{a + b}\n" for a, b in pairs)
    return text_in, text_ans


def aplusb():
    rng = random.Random(20261101)
    big = 10**18
    cases = {
        "sample/1": [(1, 2)],
        "sample/2": [(3, 4), (-10, 25), (0, 0)],
        "secret/01-single-zero": [(0, 0)],
        "secret/02-negative": [(-5, -7), (-1, 1), (7, -12)],
        "secret/03-extremes": [(big, big), (-big, -big), (big, -big), (-big, big),
                               (big, 0), (0, -big), (big - 1, 1)],
        "secret/04-random-huge": [(rng.randint(-big, big), rng.randint(-big, big))
                                  for _ in range(1000)],
        "secret/05-mixed-digits": [(rng.choice([-1, 1]) * rng.randint(0, 10**rng.randint(0, 18)),
                                    rng.choice([-1, 1]) * rng.randint(0, 10**rng.randint(0, 18)))
                                   for _ in range(2000)],
        "secret/06-max-t": [(rng.randint(-1000, 1000), rng.randint(-1000, 1000))
                            for _ in range(10**5)],
    }
    for name, pairs in cases.items():
        write("aplusb", name, *aplusb_case(pairs))


def circle_case(radii):
    text_in = f"{len(radii)}\n" + "".join(f"{r}\n" for r in radii)
    text_ans = "".join(f"{math.pi * float(r) * float(r):.6f}\n" for r in radii)
    return text_in, text_ans


def random_radius(rng, low, high):
    value = rng.uniform(low, high)
    decimals = rng.randint(0, 4)
    text = f"{value:.{decimals}f}"
    return text if float(text) > 0 else "0.0001"


def circle():
    rng = random.Random(314159)
    cases = {
        "sample/1": ["1"],
        "sample/2": ["2.5", "0.5", "10"],
        "secret/01-unit": ["1", "1.0", "1.0000"],
        "secret/02-tiny": ["0.0001", "0.001", "0.01", "0.1234"],
        "secret/03-max": ["10000", "9999.9999", "10000.0"],
        "secret/04-integers": [str(rng.randint(1, 10**4)) for _ in range(100)],
        "secret/05-random": [random_radius(rng, 0, 10**4) for _ in range(1000)],
        "secret/06-small-random": [random_radius(rng, 0, 2) for _ in range(1000)],
        "secret/07-max-n": [random_radius(rng, 0, 10**4) for _ in range(2 * 10**4)],
    }
    for name, radii in cases.items():
        write("circle", name, *circle_case(radii))


if __name__ == "__main__":
    hello()
    aplusb()
    circle()
