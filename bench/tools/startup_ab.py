#!/usr/bin/env python3
"""Start-up A/B: runs each command once per round, ROUNDS rounds (alternating, so every command sees the
same load on a shared machine), and prints per command the median CPU time (user + system of the child as
wait4 reports it, exec and exit included) and wall time, and the CPU ratio to the first command.

    python3 bench/tools/startup_ab.py --rounds 300 \\
        "old/jitstack run one.rb" "new/jitstack run one.rb" \\
        "old/jitstack run --no-jit one.rb" "new/jitstack run --no-jit one.rb"

Commands are split on spaces; stdout goes to /dev/null. A command that exits non-zero stops the run.
"""
import argparse
import os
import statistics
import sys
import time


def run_once(argv):
    """(CPU ms, wall ms) of one run of argv."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = (time.perf_counter() - start) * 1e3
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(argv)}: exit {os.waitstatus_to_exitcode(status)}")
    return (usage.ru_utime + usage.ru_stime) * 1e3, wall


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("commands", nargs="+")
    args = parser.parse_args()
    argvs = [command.split() for command in args.commands]
    samples = [[] for _ in argvs]
    load_before = os.getloadavg()[0]
    for _ in range(args.rounds):
        for index, argv in enumerate(argvs):
            samples[index].append(run_once(argv))
    first_cpu = None
    for command, runs in zip(args.commands, samples):
        cpu = statistics.median(run[0] for run in runs)
        wall = statistics.median(run[1] for run in runs)
        first_cpu = first_cpu or cpu
        print(f"{command}: CPU {cpu:.2f} ms ({cpu / first_cpu:.3f} of the first), wall {wall:.2f} ms")
    print(f"medians of {args.rounds} alternated rounds; load {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")


if __name__ == "__main__":
    main()
