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


def measure(argv, repeats, timeout):
    """Median/min/max of `repeats` runs (wall; `cpu_*` for user+system CPU time), peak RSS of the largest,
    last stderr; `error` if any run failed."""
    times, cpus, rss, stderr = [], [], [], ""
    for _ in range(repeats):
        seconds, peak, status, stderr, cpu = run_once(argv, timeout)
        if status != 0:
            return {"error": f"exit {status}: {stderr.strip().splitlines()[-1] if stderr.strip() else ''}"[:200],
                    "argv": argv}
        times.append(seconds)
        cpus.append(cpu)
        rss.append(peak)
    return {"median": statistics.median(times), "min": min(times), "max": max(times), "runs": len(times),
            "cpu_median": statistics.median(cpus), "cpu_min": min(cpus), "cpu_max": max(cpus),
            "rss_kib": max(rss), "argv": argv, "stderr": stderr}


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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jitstack", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--full", action="store_true")
    args = parser.parse_args()
    repeats = 5 if args.full else 3
    # The churn program takes ~20 s a run on a loaded 2-core machine: fewer repetitions keep the default
    # run under 20 minutes.
    churn_repeats = 5 if args.full else 2
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

    def jit_run(script, extra, needs=(), runs=None):
        missing = [flag for flag in needs if not flags.get(flag)]
        if missing:
            return {"unavailable": "not available yet (" + ", ".join(missing) + ")"}
        row = measure([js, "run", *extra, *stats_flags, script], runs or repeats, timeout)
        if "error" not in row:
            stats = parse_stats(row.pop("stderr"))
            row["stats"] = stats
            row["jit_share"] = jit_share(stats)
        return row

    # JIT vs interpreter.
    for name in ("fib", "while_loop", "method_calls"):
        script = program(name + ".rb")
        print(f"[whole] {name}", file=sys.stderr, flush=True)
        # --call-threshold 1: each program calls its hot method once and the JIT has no on-stack
        # replacement, so the default threshold (2) would never compile it.
        results["programs"][name] = {"jit": jit_run(script, ["--call-threshold", "1"]), "no_jit": jit_run(script, ["--no-jit"], ["--no-jit"])}

    # Churn at three region sizes and without the JIT.
    churn = program("churn.rb")
    for label, extra, needs in (("1M", ["--code-region", "1M", "--call-threshold", "1"], ["--code-region"]),
                                ("4M", ["--code-region", "4M", "--call-threshold", "1"], ["--code-region"]),
                                ("64M", ["--code-region", "64M", "--call-threshold", "1"], ["--code-region"]),
                                # What a user gets without flags: `test` is called once, below the default
                                # threshold (2), so only the cost of having the JIT on is measured.
                                ("default", [], []),
                                ("no_jit", ["--no-jit"], ["--no-jit"])):
        print(f"[whole] churn {label}", file=sys.stderr, flush=True)
        results["churn"][label] = jit_run(churn, extra, needs, churn_repeats)

    # Steady state: 2,000 methods round-robin, region at 50/80/120% of their code vs unlimited. A run of
    # ROUNDS rounds includes start-up, parsing and compiling everything (~0.1 s); a run of the same program
    # with 2 rounds (the first call compiles nothing, the second compiles) measures that part, and the
    # difference over ROUNDS - 2 rounds is the steady-state time per round. CPU time (user + system) is used
    # for it: the JIT runs on one thread, and CPU time is less disturbed than wall time on a shared machine.
    rounds = 10000 if args.full else 5000
    results["steady"]["rounds"] = rounds
    scripts = {}
    for count in (rounds, 2):
        with tempfile.NamedTemporaryFile("w", suffix=".rb", delete=False) as handle:
            handle.write(round_robin_program(2000, count))
            scripts[count] = handle.name

    def steady_run(extra):
        row = jit_run(scripts[rounds], extra, ["--code-region"])
        if "error" in row or "unavailable" in row:
            return row
        start = jit_run(scripts[2], extra, ["--code-region"])
        row["startup"] = {key: start.get(key) for key in ("median", "cpu_median", "error")}
        if "cpu_median" in start:
            row["steady_cpu_per_round"] = (row["cpu_median"] - start["cpu_median"]) / (rounds - 2)
            row["steady_wall_per_round"] = (row["median"] - start["median"]) / (rounds - 2)
        return row

    try:
        print("[whole] steady unlimited", file=sys.stderr, flush=True)
        page = ["--page-size", "4K"] if flags["--page-size"] else []
        unlimited = steady_run(["--code-region", "256M", *page])
        results["steady"]["unlimited"] = unlimited
        stats = unlimited.get("stats") or {}
        live = stats.get("live_page_count", 0) * stats.get("page_size", 0)
        results["steady"]["live_code_bytes"] = live
        for percent in (50, 80, 120):
            if not live:
                results["steady"][f"{percent}%"] = {"unavailable": "not available yet (needs --stats --json live_page_count)"}
                continue
            unit = stats.get("page_size", 4096)
            size = max(unit, (live * percent // 100) // unit * unit)
            print(f"[whole] steady {percent}% ({size} bytes)", file=sys.stderr, flush=True)
            row = steady_run(["--code-region", str(size), *page])
            row["region_bytes"] = size
            results["steady"][f"{percent}%"] = row
        print("[whole] steady --no-jit", file=sys.stderr, flush=True)
        results["steady"]["no_jit"] = steady_run(["--no-jit"]) if flags["--no-jit"] else {"unavailable": "no --no-jit"}
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
