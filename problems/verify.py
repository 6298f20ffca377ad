#!/usr/bin/env python3
"""Runs every example submission of the problems here against their data,
locally and without a sandbox, and checks that each gets the verdict its
folder names (accepted, wrong_answer, time_limit_exceeded, run_time_error).

Mirrors the judge: cases in order (samples first), stop at the first failure,
CPU time limit = problem limit x language multiplier (C++ 1, Python 2),
default validator with the problem's validator_flags.

Usage: python3 problems/verify.py [problem ...]
"""
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.abspath(__file__))
EXPECTED = {"accepted": "AC", "wrong_answer": "WA",
            "time_limit_exceeded": "TLE", "run_time_error": "RE"}


def problem_config(problem):
    time_limit, flags = 1.0, []
    with open(os.path.join(ROOT, problem, "problem.yaml")) as f:
        for line in f:
            key, _, value = line.strip().partition(":")
            if key == "time_limit":
                time_limit = float(value)
            elif key == "validator_flags":
                flags = value.split()
    tolerance = None
    if "float_tolerance" in flags:
        tolerance = float(flags[flags.index("float_tolerance") + 1])
    return time_limit, tolerance


def cases(problem):
    out = []
    for group in ["sample", "secret"]:
        d = os.path.join(ROOT, problem, "data", group)
        for name in sorted(os.listdir(d)):
            if name.endswith(".in"):
                out.append((f"{group}/{name[:-3]}", os.path.join(d, name),
                            os.path.join(d, name[:-3] + ".ans")))
    return out


def as_number(token):
    if not all(c in "0123456789+-.eE" for c in token):
        return None
    try:
        return float(token)
    except ValueError:
        return None


def compare(answer, output, tolerance):
    judge, team = answer.split(), output.split()
    if len(judge) != len(team):
        return False
    for j, t in zip(judge, team):
        if j.lower() == t.lower():
            continue
        if tolerance is None:
            return False
        jn, tn = as_number(j), as_number(t)
        if jn is None or tn is None:
            return False
        err = abs(jn - tn)
        if err > tolerance and err > tolerance * abs(jn):
            return False
    return True


def run(command, input_path, cpu_limit):
    def limit():
        soft = int(cpu_limit) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 1))

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(input_path, "rb") as stdin:
        start = time.monotonic()
        try:
            proc = subprocess.run(command, stdin=stdin, capture_output=True,
                                  timeout=cpu_limit * 3 + 1, preexec_fn=limit)
        except subprocess.TimeoutExpired:
            return "TLE", cpu_limit * 3 + 1, b""
        wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if cpu > cpu_limit:
        return "TLE", cpu, proc.stdout
    if proc.returncode != 0:
        return "RE", cpu, proc.stdout
    return "OK", max(cpu, 0.0), proc.stdout


def judge(problem, path, build_dir):
    time_limit, tolerance = problem_config(problem)
    if path.endswith(".cpp"):
        exe = os.path.join(build_dir, os.path.basename(path) + ".bin")
        subprocess.run(["g++", "-O2", "-std=gnu++17", "-pipe", "-o", exe, path], check=True)
        command, cpu_limit = [exe], time_limit
    else:
        command, cpu_limit = ["python3", path], time_limit * 2
    slowest = 0.0
    for name, input_path, answer_path in cases(problem):
        outcome, cpu, output = run(command, input_path, cpu_limit)
        slowest = max(slowest, cpu)
        if outcome != "OK":
            return outcome, name, slowest
        with open(answer_path) as f:
            if not compare(f.read(), output.decode(errors="replace"), tolerance):
                return "WA", name, slowest
    return "AC", None, slowest


def main():
    problems = sys.argv[1:] or sorted(
        p for p in os.listdir(ROOT) if os.path.isfile(os.path.join(ROOT, p, "problem.yaml")))
    failures = 0
    with tempfile.TemporaryDirectory() as build_dir:
        for problem in problems:
            if os.path.isdir(os.path.join(ROOT, problem, "output_validators")):
                # This script only knows the default validator; the judge's own
                # end-to-end tests cover problems with a custom one.
                print(f"skip {problem}: it has a custom output validator", flush=True)
                continue
            subs = os.path.join(ROOT, problem, "submissions")
            for folder in sorted(os.listdir(subs)):
                for file in sorted(os.listdir(os.path.join(subs, folder))):
                    verdict, case, slowest = judge(problem, os.path.join(subs, folder, file), build_dir)
                    ok = verdict == EXPECTED[folder]
                    failures += not ok
                    where = f" on {case}" if case else ""
                    print(f"{'ok  ' if ok else 'FAIL'} {problem}/{folder}/{file}: "
                          f"{verdict}{where} (max cpu {slowest:.2f} s)", flush=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
