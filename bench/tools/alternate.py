#!/usr/bin/env python3
"""Cross-check of a JIT speed-up: runs `jitstack run --call-threshold 1 PROGRAM` and `jitstack run --no-jit
PROGRAM` alternately RUNS times each and prints the median wall and CPU (user + system) times and their
ratio. Alternating puts both configurations under the same load on a shared machine.

    python3 bench/tools/alternate.py --jitstack .build-bench-root/release/jitstack --runs 30 bench/programs/fib.rb
"""
import argparse
import os
import statistics
import subprocess
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jitstack", required=True)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("program")
    args = parser.parse_args()
    configurations = {
        "jit": [args.jitstack, "run", "--call-threshold", "1", args.program],
        "no-jit": [args.jitstack, "run", "--no-jit", args.program],
    }
    samples = {name: {"wall": [], "cpu": []} for name in configurations}
    for _ in range(args.runs):
        for name, argv in configurations.items():
            before, start = os.times(), time.perf_counter()
            subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
            end, after = time.perf_counter(), os.times()
            samples[name]["wall"].append(end - start)
            samples[name]["cpu"].append((after.children_user - before.children_user)
                                        + (after.children_system - before.children_system))
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    for measure in ("wall", "cpu"):
        jit, interpreter = (statistics.median(samples[name][measure]) for name in ("jit", "no-jit"))
        print(f"{args.program} {measure}: JIT {jit * 1e3:.1f} ms, --no-jit {interpreter * 1e3:.1f} ms, "
              f"{interpreter / jit:.2f}x (medians of {args.runs}, load now {load})")


if __name__ == "__main__":
    main()
