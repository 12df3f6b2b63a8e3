#!/usr/bin/env python3
"""Whole-process benchmarks: runs `jitstack run` and peer runtimes on bench/programs, measuring wall time
(median, min, max) and peak RSS (ru_maxrss from wait4), and reading `--stats --json` where the binary has it.
Writes one JSON file for report.py. Standard library only."""
import argparse, json, os, re, shutil, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = os.path.join(HERE, "..", "programs")


def run_once(argv, timeout):
    """Runs argv; returns (seconds, peak RSS in KiB, exit status, stderr text, CPU seconds)."""
    with tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        elapsed = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        return elapsed, usage.ru_maxrss, proc.returncode, err.read().decode(errors="replace"), cpu


def summarize(argv, samples):
    """Median/min/max of the samples' wall times (`cpu_*` for user+system CPU time), peak RSS of the largest,
    last stderr."""
    times = [sample[0] for sample in samples]
    cpus = [sample[4] for sample in samples]
    return {"median": statistics.median(times), "min": min(times), "max": max(times), "runs": len(times),
            "cpu_median": statistics.median(cpus), "cpu_min": min(cpus), "cpu_max": max(cpus),
            "rss_kib": max(sample[1] for sample in samples), "argv": argv, "stderr": samples[-1][3]}


def measure_interleaved(argvs, repeats, timeout):
    """Runs every argv once per round, `repeats` rounds, so configurations compared in a table see the same
    machine load (these machines are shared and their speed drifts); one summary per argv, `error` for an
    argv that failed."""
    samples = [[] for _ in argvs]
    errors = [None] * len(argvs)
    for _ in range(repeats):
        for index, argv in enumerate(argvs):
            if errors[index]:
                continue
            sample = run_once(argv, timeout)
            if sample[2] != 0:
                stderr = sample[3].strip()
                errors[index] = {"error": f"exit {sample[2]}: {stderr.splitlines()[-1] if stderr else ''}"[:200],
                                 "argv": argv}
                continue
            samples[index].append(sample)
    return [errors[index] or summarize(argv, samples[index]) for index, argv in enumerate(argvs)]


def measure(argv, repeats, timeout):
    """`measure_interleaved` for one argv."""
    return measure_interleaved([argv], repeats, timeout)[0]


def parse_stats(stderr):
    """The last JSON object on stderr (what `--stats --json` prints), or None."""
    for match in reversed(list(re.finditer(r"\{[^{}]*\}", stderr, re.S))):
        try:
            return json.loads(match.group(0))
        except ValueError:
            continue
    return None


def jit_share(stats):
    """Share of calls run in JIT code, from whichever counters the binary reports (None if it has none)."""
    if not stats:
        return None
    for key in ("jit_call_share", "ratio_in_jit"):
        if key in stats:
            return float(stats[key])
    jit = stats.get("jit_call_count")
    interp = stats.get("interpreted_call_count", stats.get("interpreter_call_count"))
    if jit is not None and interp is not None and jit + interp > 0:
        return jit / (jit + interp)
    return None


def round_robin_program(methods, rounds):
    """`methods` distinct methods called round-robin `rounds` times from one driver method."""
    lines = [f"def m{i}(x)\n  x + {i}\nend" for i in range(methods)]
    lines.append("def round(x)")
    lines += [f"  x = m{i}(x) - {i}" for i in range(methods)]
    lines.append("  x\nend")
    lines.append(f"i = 0\nx = 0\nwhile i < {rounds}\n  x = round(x)\n  i += 1\nend\nputs x")
    return "\n".join(lines) + "\n"


def repeated_program(path, iterations):
    """A copy of the program at `path` whose last line (the measured call) runs `iterations` times, in a
    temporary file (the caller deletes it)."""
    lines = open(path).read().rstrip("\n").split("\n")
    body = lines[:-1] + ["bench_iteration = 0", f"while bench_iteration < {iterations}", "  " + lines[-1],
                         "  bench_iteration += 1", "end"]
    with tempfile.NamedTemporaryFile("w", suffix=".rb", delete=False) as handle:
        handle.write("\n".join(body) + "\n")
        return handle.name


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jitstack", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--full", action="store_true")
    args = parser.parse_args()
    repeats = 5 if args.full else 3
    # A churn run takes 2-5 s (more on a loaded machine) and single runs swing by a third: 5 rounds of its
    # 5 configurations.
    churn_repeats = 7 if args.full else 5
    timeout = 600 if args.full else 180
    js = args.jitstack

    help_text = subprocess.run([js, "run", "--help"], capture_output=True, text=True).stdout
    flags = {flag: flag in help_text for flag in ("--no-jit", "--code-region", "--page-size", "--call-threshold",
                                                   "--no-code-gc", "--stats", "--json")}
    has_stats = flags["--stats"] and flags["--json"]
    stats_flags = ["--stats", "--json"] if has_stats else []
    results = {"flags": flags, "repeats": repeats, "churn_repeats": churn_repeats, "programs": {}, "churn": {}, "steady": {}, "peers": {}}

    def program(name):
        return os.path.join(PROGRAMS, name)

    def with_stats(row):
        if "error" not in row:
            stats = parse_stats(row.pop("stderr"))
            row["stats"] = stats
            row["jit_share"] = jit_share(stats)
        return row

    def jit_run(script, extra, needs=(), runs=None):
        return jit_runs(script, [("only", extra, needs)], runs)["only"]

    def jit_runs(script, configurations, runs=None, also=()):
        """Rows by label for (label, extra flags, flags needed) configurations of `script`, and (label, script,
        extra flags, flags needed) ones of other scripts in `also`, measured interleaved."""
        rows, measured = {}, []
        for label, path, extra, needs in [(label, script, extra, needs) for label, extra, needs in configurations] + list(also):
            missing = [flag for flag in needs if not flags.get(flag)]
            if missing:
                rows[label] = {"unavailable": "not available yet (" + ", ".join(missing) + ")"}
            else:
                measured.append((label, [js, "run", *extra, *stats_flags, path]))
        summaries = measure_interleaved([argv for _, argv in measured], runs or repeats, timeout)
        for (label, _), row in zip(measured, summaries):
            rows[label] = with_stats(row)
        return rows

    # JIT vs interpreter, whole process and per iteration. Each program is also run with its last line (the
    # measured call) repeated ITERATIONS times in one process; the difference of the median CPU times over
    # the extra iterations is the time of one iteration without start-up (~8 ms, a quarter of fib's JIT
    # run) and without compiling, as in-process harnesses such as yjit-bench report it.
    for name, iterations, runs in (("fib", 4, max(repeats, 7)), ("while_loop", 3, repeats), ("method_calls", 3, repeats)):
        script = program(name + ".rb")
        repeated = repeated_program(script, iterations)
        print(f"[whole] {name}", file=sys.stderr, flush=True)
        # --call-threshold 1: each program calls its hot method once and the JIT has no on-stack
        # replacement, so the default threshold (2) would never compile it.
        try:
            rows = jit_runs(script, [("jit", ["--call-threshold", "1"], []),
                                     ("no_jit", ["--no-jit"], ["--no-jit"])], runs,
                            also=[("jit_repeated", repeated, ["--call-threshold", "1"], []),
                                  ("no_jit_repeated", repeated, ["--no-jit"], ["--no-jit"])])
        finally:
            os.unlink(repeated)
        once = {label: rows[label] for label in ("jit", "no_jit")}
        per_iteration = {"iterations": iterations}
        for label in ("jit", "no_jit"):
            single, many = rows[label], rows[label + "_repeated"]
            if "cpu_median" in single and "cpu_median" in many:
                per_iteration[label] = (many["cpu_median"] - single["cpu_median"]) / (iterations - 1)
        once["per_iteration"] = per_iteration
        results["programs"][name] = once

    # Churn at three region sizes, with default flags and without the JIT, the five runs of a round together.
    print("[whole] churn 1M, 4M, 64M, default, no_jit", file=sys.stderr, flush=True)
    results["churn"] = jit_runs(program("churn.rb"), [
        ("1M", ["--code-region", "1M", "--call-threshold", "1"], ["--code-region"]),
        ("4M", ["--code-region", "4M", "--call-threshold", "1"], ["--code-region"]),
        ("64M", ["--code-region", "64M", "--call-threshold", "1"], ["--code-region"]),
        # What a user gets without flags: `test` is called once, below the default threshold (2), so only
        # the cost of having the JIT on is measured.
        ("default", [], []),
        ("no_jit", ["--no-jit"], ["--no-jit"]),
    ], churn_repeats)

    # Steady state: 2,000 methods round-robin, region at 50/80/120% of their code vs unlimited. A run of
    # ROUNDS rounds includes start-up, parsing and compiling everything (~0.1 s); a run of the same program
    # with 2 rounds (the first call compiles nothing, the second compiles) measures that part, and the
    # difference over ROUNDS - 2 rounds is the steady-state time per round. CPU time (user + system) is used
    # for it: the JIT runs on one thread, and CPU time is less disturbed than wall time on a shared machine.
    rounds = 10000 if args.full else 5000
    # A configuration's steady time is a difference of two medians: more runs than elsewhere (each pair is
    # under a second), since single runs on these shared machines differ by 20-30%.
    steady_repeats = 2 * repeats + 1
    results["steady"]["rounds"] = rounds
    results["steady"]["repeats"] = steady_repeats
    scripts = {}
    for count in (rounds, 2):
        with tempfile.NamedTemporaryFile("w", suffix=".rb", delete=False) as handle:
            handle.write(round_robin_program(2000, count))
            scripts[count] = handle.name

    def steady_rows(configurations):
        """Rows by label for (label, extra flags) configurations: each one's ROUNDS-round and 2-round runs,
        every configuration in each repetition (interleaved), and the steady-state time per round."""
        argvs = []
        for _, extra in configurations:
            argvs += [[js, "run", *extra, *stats_flags, scripts[rounds]], [js, "run", *extra, *stats_flags, scripts[2]]]
        summaries = measure_interleaved(argvs, steady_repeats, timeout)
        rows = {}
        for index, (label, _) in enumerate(configurations):
            row, start = with_stats(summaries[2 * index]), summaries[2 * index + 1]
            if "error" not in row:
                row["startup"] = {key: start.get(key) for key in ("median", "cpu_median", "error")}
                if "cpu_median" in start:
                    row["steady_cpu_per_round"] = (row["cpu_median"] - start["cpu_median"]) / (rounds - 2)
                    row["steady_wall_per_round"] = (row["median"] - start["median"]) / (rounds - 2)
            rows[label] = row
        return rows

    try:
        page = ["--page-size", "4K"] if flags["--page-size"] else []
        unlimited_flags = ["--code-region", "256M", *page]
        # One run to learn how much code the methods need; the region sizes follow from it.
        print("[whole] steady: sizing", file=sys.stderr, flush=True)
        sizing = jit_run(scripts[rounds], unlimited_flags, ["--code-region"], runs=1)
        stats = sizing.get("stats") or {}
        live = stats.get("live_page_count", 0) * stats.get("page_size", 0)
        results["steady"]["live_code_bytes"] = live
        configurations = [("unlimited", unlimited_flags)]
        for percent in (50, 80, 120):
            if not live:
                results["steady"][f"{percent}%"] = {"unavailable": "not available yet (needs --stats --json live_page_count)"}
                continue
            unit = stats.get("page_size", 4096)
            size = max(unit, (live * percent // 100) // unit * unit)
            configurations.append((f"{percent}%", ["--code-region", str(size), *page]))
        if flags["--no-jit"]:
            configurations.append(("no_jit", ["--no-jit"]))
        else:
            results["steady"]["no_jit"] = {"unavailable": "no --no-jit"}
        print("[whole] steady: " + ", ".join(label for label, _ in configurations) + " interleaved",
              file=sys.stderr, flush=True)
        for label, row in steady_rows(configurations).items():
            results["steady"][label] = row
        for label, extra in configurations:
            if label.endswith("%"):
                results["steady"][label]["region_bytes"] = int(extra[1])
    finally:
        for path in scripts.values():
            os.unlink(path)

    # Time to safepoint: N threads run a compiled loop while the main thread stops the world 2 x STOPS times.
    results["safepoint"] = {}
    template = open(program("safepoint.rb")).read()
    for threads in (2, 8):
        text = template.replace("THREADS", str(threads)).replace("STOPS", "200" if not args.full else "400")
        with tempfile.NamedTemporaryFile("w", suffix=".rb", delete=False) as handle:
            handle.write(text)
            safepoint_script = handle.name
        try:
            print(f"[whole] safepoint {threads} threads", file=sys.stderr, flush=True)
            results["safepoint"][str(threads)] = jit_run(safepoint_script, [], runs=1)
        finally:
            os.unlink(safepoint_script)

    # Peers on the same programs.
    peers = {}
    if shutil.which("ruby"):
        peers["ruby"] = (["ruby"], ".rb")
        yjit = subprocess.run(["ruby", "--yjit", "-e", "p RubyVM::YJIT.enabled?"], capture_output=True, text=True)
        if yjit.returncode == 0 and yjit.stdout.strip() == "true":
            peers["ruby --yjit"] = (["ruby", "--yjit"], ".rb")
    if shutil.which("luajit"):
        peers["luajit"] = (["luajit"], ".lua")
    if shutil.which("node"):
        peers["node"] = (["node"], ".js")
    for peer, (argv, suffix) in peers.items():
        results["peers"][peer] = {}
        for name in ("fib", "while_loop", "method_calls", "churn"):
            script = program(name + suffix)
            if not os.path.exists(script):
                continue
            print(f"[whole] {peer} {name}", file=sys.stderr, flush=True)
            row = measure([*argv, script], churn_repeats if name == "churn" else repeats, timeout)
            row.pop("stderr", None)
            results["peers"][peer][name] = row

    with open(args.out, "w") as handle:
        json.dump(results, handle, indent=1)


if __name__ == "__main__":
    main()
