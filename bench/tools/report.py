#!/usr/bin/env python3
"""Turns one `scripts/bench` run into bench/results/RESULTS.md, SVG plots and the README's performance
section (bench/results/README-section.md). Standard library only."""
import argparse, glob, html, json, math, os

COMMAND = "scripts/bench"

# How the steady-state rows are measured (printed with them).
STEADY_METHOD = ("Method: each configuration runs the program with {rounds} rounds and with 2 rounds "
                 "(start-up, parsing and compiling, ~0.1 s), {repeats} times, every configuration once per "
                 "repetition (interleaved, so all see the same load); the difference of the median CPU times "
                 "(user + system, the JIT runs on one thread) divided by the extra rounds is the steady-state "
                 "time per round, so start-up and compilation do not dilute the comparison. Region sizes are "
                 "50/80/120% of the live pages of an unlimited run.")


def ns(value):
    """A duration in ns, printed with a fitting unit."""
    if value is None:
        return "-"
    if value >= 1e9:
        return f"{value / 1e9:.2f} s"
    if value >= 1e6:
        return f"{value / 1e6:.2f} ms"
    if value >= 1e3:
        return f"{value / 1e3:.1f} us"
    return f"{value:.0f} ns" if value >= 10 else f"{value:.1f} ns"


def spread(row, fmt=ns):
    """`median (min-max)`."""
    if row is None:
        return "-"
    return f"{fmt(row['median'])} ({fmt(row['min'])}-{fmt(row['max'])})"


# ---- micro-benchmarks (JMH export of ordo-one/benchmark) ----

def load_micro(directory):
    """{benchmark name: {metric: {median, min, max}}} from every JMH JSON file in `directory`."""
    results = {}
    for path in glob.glob(os.path.join(directory, "**", "*.json"), recursive=True):
        try:
            elements = json.load(open(path))
        except ValueError:
            continue
        for element in elements if isinstance(elements, list) else []:
            name = element["benchmark"].split(".", 3)[-1].replace("_", " ") if False else element["benchmark"]
            name = name.split("CodeGCBenchmarks.", 1)[-1]
            metrics = {}
            for metric, data in element.get("secondaryMetrics", {}).items():
                scale = 1000.0 if data.get("scoreUnit") == "μs" else 1.0
                p = data["scorePercentiles"]
                metrics[metric] = {"median": p["50.0"] * scale, "min": p["0.0"] * scale, "max": p["100.0"] * scale}
            results[name] = metrics
    return results


def metric(micro, name, key):
    return micro.get(name, {}).get(key)


# ---- SVG ----

def bar_chart(path, title, rows, unit, log=False):
    """Horizontal bars: rows = [(label, value or None)]; values printed at the bar ends."""
    rows = [(label, value) for label, value in rows if value is not None and value > 0]
    if not rows:
        return False
    width, left, bar, gap, top = 900, 290, 18, 6, 40
    height = top + len(rows) * (bar + gap) + 30
    top_value = max(value for _, value in rows)
    low = min(value for _, value in rows)

    def scale(value):
        span = width - left - 120
        if log:
            lo = math.log10(low) - 0.3
            return span * (math.log10(value) - lo) / (math.log10(top_value) - lo + 1e-9)
        return span * value / top_value

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="10" y="22" font-size="15" font-weight="bold">{html.escape(title)}</text>']
    for index, (label, value) in enumerate(rows):
        y = top + index * (bar + gap)
        w = max(1.0, scale(value))
        out.append(f'<text x="{left - 8}" y="{y + 13}" text-anchor="end">{html.escape(label)}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar}" fill="#4a78b5"/>')
        out.append(f'<text x="{left + w + 6:.1f}" y="{y + 13}">{html.escape(unit(value))}</text>')
    if log:
        out.append(f'<text x="{left}" y="{height - 8}" fill="#666">log scale</text>')
    out.append("</svg>")
    open(path, "w").write("\n".join(out))
    return True


def stacked_chart(path, title, rows, parts, colors):
    """Horizontal stacked bars: rows = [(label, [value per part])]."""
    rows = [(label, values) for label, values in rows if all(v is not None for v in values)]
    if not rows:
        return False
    width, left, bar, gap, top = 900, 200, 18, 6, 60
    height = top + len(rows) * (bar + gap) + 20
    total = max(sum(values) for _, values in rows) or 1
    span = width - left - 120
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="10" y="22" font-size="15" font-weight="bold">{html.escape(title)}</text>']
    for index, (part, color) in enumerate(zip(parts, colors)):
        out.append(f'<rect x="{left + index * 110}" y="32" width="12" height="12" fill="{color}"/>')
        out.append(f'<text x="{left + index * 110 + 16}" y="43">{html.escape(part)}</text>')
    for index, (label, values) in enumerate(rows):
        y = top + index * (bar + gap)
        x = left
        out.append(f'<text x="{left - 8}" y="{y + 13}" text-anchor="end">{html.escape(label)}</text>')
        for value, color in zip(values, colors):
            w = span * value / total
            out.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{color}"/>')
            x += w
        out.append(f'<text x="{x + 6:.1f}" y="{y + 13}">{html.escape(ns(sum(values)))}</text>')
    out.append("</svg>")
    open(path, "w").write("\n".join(out))
    return True


# ---- report ----

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", required=True)
    args = parser.parse_args()
    out_dir = args.results
    machine = json.load(open(os.path.join(out_dir, "machine.json")))
    micro = load_micro(os.path.join(out_dir, "micro"))
    whole_path = os.path.join(out_dir, "whole_process.json")
    whole = json.load(open(whole_path)) if os.path.exists(whole_path) else None
    md, readme, plots = [], [], []

    md.append("# Benchmark results\n")
    md.append(f"Generated by `{machine['command']}` on {machine['date']}.\n")
    for part, record in sorted(machine.get("parts", {}).items()):
        md.append(f"- {part}: `{record['command']}` at {record['date']}, commit {record.get('commit', '?')}, "
                  f"load average {record['load']} at start, took {record['elapsed']}.")
    md.append("")
    md.append(f"Machine: {machine['cpu']}, `nproc` = {machine['nproc']}, load average at start "
              f"{machine['load']} (other builds ran on the same cores: read ratios, not absolute numbers). "
              f"Swift: {machine['swift']}. Whole runtime of this run: {machine.get('elapsed', '?')}.\n")
    md.append("Every cell is the median with (min-max) of the repetitions of one run; ratios compare medians "
              "of the same run.\n")

    # Stack walks.
    md.append("## Stack walking (micro, `Benchmarks/` walk/*)\n")
    md.append("One walk of a stack with N extra Swift frames; ns/frame divides by the frames unw_step found on "
              "that stack, so methods compare on the same denominator. `frames` is what the method itself "
              "visited (the frame-pointer chain stops at the first link that leaves the stack or does not grow).\n")
    md.append("| stack | method | frames (N) | walk | frames visited | ns/frame |")
    md.append("|---|---|---|---|---|---|")
    chart_rows = []
    for depth in (50, 1000):
        for stack in ("running", "fiber", "parked"):
            base = metric(micro, f"walk/{stack}/unw_step/{depth}", "frames")
            for method in ("unw_step", "unw_backtrace", "conservative", "frame_pointer"):
                name = f"walk/{stack}/{method}/{depth}"
                walk = metric(micro, name, "walk_ns")
                if walk is None:
                    continue
                visited = metric(micro, name, "frames")
                per = walk["median"] / base["median"] if base and base["median"] else None
                shown = "scan" if method == "conservative" else f"{visited['median']:.0f}"
                md.append(f"| {stack} | {method} | {depth} | {spread(walk)} | "
                          f"{shown} | {per:.1f} |" if per else
                          f"| {stack} | {method} | {depth} | {spread(walk)} | - | - |")
                chart_rows.append((f"{stack} {method} {depth}", per))
    md.append("")
    if bar_chart(os.path.join(out_dir, "stack_walk.svg"), "Stack walk cost, ns per frame (median)", chart_rows,
                 lambda v: f"{v:.1f} ns", log=True):
        plots.append(("stack_walk.svg", "Stack walk, ns per frame"))
    precise = [(f"{stack} {depth}", metric(micro, f"walk/{stack}/unw_step/{depth}", "walk_ns"),
                metric(micro, f"walk/{stack}/unw_step/{depth}", "frames"))
               for stack in ("running", "fiber", "parked") for depth in (50, 1000)]
    bt = [(depth, metric(micro, f"walk/running/unw_backtrace/{depth}", "walk_ns"),
           metric(micro, f"walk/running/unw_step/{depth}", "frames")) for depth in (50, 1000)]

    # W^X.
    md.append("## W^X write + run (micro, `Benchmarks/` wx/*)\n")
    md.append("Rewrite a 32-bit immediate through the scheme's writable view, then call the function.\n")
    md.append("| scheme | write 8 bytes + call | vs dual mapping |")
    md.append("|---|---|---|")
    dual = metric(micro, "wx/write_run/dual_mapping", "op_ps")
    toggle = metric(micro, "wx/write_run/mprotect", "op_ps")
    for label, row in (("dual mapping (default)", dual), ("mprotect toggling", toggle)):
        if row:
            scaled = {k: v / 1000 for k, v in row.items()}
            versus = f"{row['median'] / dual['median']:.1f}x" if dual else "-"
            md.append(f"| {label} | {spread(scaled)} | {versus} |")
    md.append("")

    # Assembler.
    md.append("## Assembler throughput (micro, `Benchmarks/` assembler/block)\n")
    block = metric(micro, "assembler/block", "block_ns")
    size = metric(micro, "assembler/block", "block_bytes")
    if block and size:
        md.append("A 32-instruction block (frame, arithmetic, compare-and-branch to labels, call) assembled and finalized.\n")
        md.append("| per block | bytes per block | blocks/s | MB/s |")
        md.append("|---|---|---|---|")
        md.append(f"| {spread(block)} | {size['median']:.0f} | {1e9 / block['median']:,.0f} | "
                  f"{size['median'] * 1e3 / block['median']:.0f} |\n")

    # GC pauses.
    md.append("## Code GC pause split (micro, `Benchmarks/` gc/pause/*)\n")
    md.append("Synthetic graph (as `Examples/ExprJIT bench`): 64-byte blocks chained 32 per owner, 16 KiB pages "
              "(blocks in the 8 KiB inline half), a collection that frees nothing, N extra frames on the "
              "collecting thread.\n")
    md.append("| live code | frames | pages | pause | mark | stack walk | sweep |")
    md.append("|---|---|---|---|---|---|---|")
    pause_rows = []
    for live in (1, 8, 64):
        for frames in (10, 1000):
            name = f"gc/pause/{live}MiB/{frames}"
            pause = metric(micro, name, "pause_ns")
            if not pause:
                continue
            parts = [metric(micro, name, key) for key in ("mark_ns", "walk_ns", "sweep_ns")]
            pages = metric(micro, name, "live_pages")
            md.append(f"| {live} MiB | {frames} | {pages['median']:.0f} | {spread(pause)} | "
                      + " | ".join(spread(p) for p in parts) + " |")
            pause_rows.append((f"{live} MiB, {frames} frames", [p["median"] for p in parts], pause["median"]))
    md.append("")
    if stacked_chart(os.path.join(out_dir, "gc_pause.svg"), "Code GC pause split (medians of each phase)",
                     [(label, values) for label, values, _ in pause_rows],
                     ["mark", "stack walk", "sweep"], ["#4a78b5", "#e0a030", "#5aa65a"]):
        plots.append(("gc_pause.svg", "Code GC pause split"))

    # Whole process.
    if whole:
        md.append("## Whole process (`jitstack run`, peers)\n")
        md.append(f"Wall time of the whole process, {whole['repeats']} runs each ({whole.get('churn_repeats', whole['repeats'])} for churn), the configurations of one "
                  "program interleaved (JIT and --no-jit, and churn's five, run in turn in each repetition); peak "
                  "RSS from wait4 (fib: at least 7 runs). `per iteration`: each program also runs with its last line "
                  "(the measured call) repeated 4 times (fib) or 3 times in one process, interleaved with the rest; the "
                  "difference of the median CPU times (user + system) over the extra iterations is one iteration without "
                  "start-up (~8 ms) or compiling, the way in-process harnesses such as yjit-bench measure. "
                  "Programs are in `bench/programs/`.\n")
        peers = list(whole["peers"])
        header = ("| program | jitstack (JIT) | jitstack --no-jit | JIT speed-up | per iteration (JIT / --no-jit, CPU) | "
                  + " | ".join(peers) + " |")
        md.append(header)
        md.append("|" + "---|" * (5 + len(peers)))
        time_rows = []
        labels = {"fib": "fib(30)", "while_loop": "50M-iteration while loop", "method_calls": "10M method calls"}
        for name, label in labels.items():
            row = whole["programs"][name]
            jit, interp = row["jit"], row["no_jit"]
            cells = [cell(jit), cell(interp), ratio(interp, jit), per_iteration(row.get("per_iteration"))]
            for peer in peers:
                cells.append(cell(whole["peers"][peer].get(name)))
            md.append(f"| {label} | " + " | ".join(cells) + " |")
            for runtime, data in [("jitstack", jit), ("jitstack --no-jit", interp)] + \
                    [(peer, whole["peers"][peer].get(name)) for peer in peers]:
                if data and "median" in data:
                    time_rows.append((f"{label}: {runtime}", data["median"] * 1e9))
        md.append("")
        if bar_chart(os.path.join(out_dir, "whole_process.svg"), "Whole-process wall time (median)", time_rows, ns, log=True):
            plots.append(("whole_process.svg", "Whole-process wall time"))

        md.append("### Churn: 500,000 × (eval a fresh `def test; 1; end`, call it)\n")
        md.append("JIT runs use `--call-threshold 1` (each `test` is called once, so only this compiles them), except the "
                  "default-flags row. `compiled` and "
                  "`JIT entries` are `compiled_iseq_count` and `jit_entry_count` from `--stats --json`; every `test()` "
                  "call comes from the interpreted block, so `entries per call` (JIT entries / 500,000) is the share "
                  "of calls that ran in JIT code (the one extra entry is the compiled prelude `times`).\n")
        md.append("| configuration | wall | vs --no-jit | peak RSS | code_gc_count | compiled | JIT entries | entries per call |")
        md.append("|---|---|---|---|---|---|---|---|")
        base = whole["churn"].get("no_jit")
        churn_rows = []
        for label in ("1M", "4M", "64M", "default", "no_jit"):
            data = whole["churn"].get(label, {})
            name = {"no_jit": "--no-jit", "default": "default flags (threshold 2: `test` never compiles)"}.get(
                label, f"--code-region {label}")
            if "median" not in data:
                md.append(f"| {name} | {data.get('unavailable') or data.get('error', '-')} | | | | | | |")
                continue
            stats = data.get("stats") or {}
            entries = stats.get("jit_entry_count")
            share = entries / 500_000 if entries is not None else None
            md.append(f"| {name} | {spread(data, secs)} | {ratio(base, data, inverse=True)} | "
                      f"{data['rss_kib'] / 1024:.0f} MiB | {stats.get('code_gc_count', '-')} | "
                      f"{stats.get('compiled_iseq_count', '-')} | {stats.get('jit_entry_count', '-')} | "
                      f"{f'{share:.6f}' if share is not None else '-'} |")
            churn_rows.append((name, data["median"] * 1e9))
        for peer in peers:
            data = whole["peers"][peer].get("churn")
            if data and "median" in data:
                md.append(f"| {peer} | {spread(data, secs)} | {ratio(base, data, inverse=True)} | "
                          f"{data['rss_kib'] / 1024:.0f} MiB | - | - | - | - |")
                churn_rows.append((peer, data["median"] * 1e9))
        md.append("")
        if bar_chart(os.path.join(out_dir, "churn.svg"), "Churn program wall time (median)", churn_rows, ns):
            plots.append(("churn.svg", "Churn"))

        md.append("### Steady state: 2,000 methods round-robin\n")
        steady = whole["steady"]
        live = steady.get("live_code_bytes")
        rounds = steady.get("rounds")
        md.append(STEADY_METHOD.format(rounds=f"{rounds:,}" if rounds else "N", repeats=steady.get("repeats", whole.get("repeats", "N"))) + "\n")
        md.append(f"Live code of the unlimited run: {live / 1024:.0f} KiB (live pages × page size).\n" if live else
                  "Live code size unknown (needs `--stats --json`).\n")
        md.append("| region | whole run (wall) | 2-round run (wall) | steady CPU per round | vs unlimited | "
                  "compiled_iseq_count | evicted_iseq_count | code_gc_count | peak RSS |")
        md.append("|---|---|---|---|---|---|---|---|---|")
        unlimited = steady.get("unlimited") or {}
        for label in ("unlimited", "50%", "80%", "120%", "no_jit"):
            data = steady.get(label) or {}
            if "median" not in data:
                md.append(f"| {label} | {data.get('unavailable') or data.get('error', '-')} | | | | | | | |")
                continue
            stats = data.get("stats") or {}
            region = f" ({data['region_bytes'] // 1024} KiB)" if "region_bytes" in data else ""
            per_round = data.get("steady_cpu_per_round")
            base = unlimited.get("steady_cpu_per_round")
            versus = f"{per_round / base:.2f}x" if per_round and base else "-"
            startup = (data.get("startup") or {}).get("median")
            md.append(f"| {label.replace('no_jit', '--no-jit')}{region} | {spread(data, secs)} | "
                      f"{secs(startup) if startup is not None else '-'} | "
                      f"{ns(per_round * 1e9) if per_round is not None else '-'} | {versus} | "
                      f"{stats.get('compiled_iseq_count', '-')} | {stats.get('evicted_iseq_count', '-')} | "
                      f"{stats.get('code_gc_count', '-')} | {data['rss_kib'] / 1024:.0f} MiB |")
        md.append("")

        safepoint = whole.get("safepoint") or {}
        if safepoint:
            md.append("### Time to safepoint (`bench/programs/safepoint.rb`)\n")
            md.append("N guest threads run a compiled loop while the main thread stops the world (a method "
                      "redefinition, then `JIT.code_gc`): how long the stopper waits for every other thread to park.\n")
            md.append("| threads | stops | median | p99 | max |")
            md.append("|---|---|---|---|---|")
            for threads, data in sorted(safepoint.items(), key=lambda item: int(item[0])):
                stats = data.get("stats") or {}
                if "median" not in data or "safepoint_wait_ns_median" not in stats:
                    md.append(f"| {threads} | {data.get('unavailable') or data.get('error', 'no safepoint stats')} | | | |")
                    continue
                md.append(f"| {threads} | {stats.get('safepoint_stop_count', '-')} | {ns(stats['safepoint_wait_ns_median'])} | "
                          f"{ns(stats['safepoint_wait_ns_p99'])} | {ns(stats['safepoint_wait_ns_max'])} |")
            md.append("")

    md.append("## Plots\n")
    for file, label in plots:
        md.append(f"![{label}]({file})\n")
    open(os.path.join(out_dir, "RESULTS.md"), "w").write("\n".join(md) + "\n")

    # README section: the headline numbers, each with the command that regenerates it.
    r = []
    r.append(f"Measured by `{COMMAND}` ({machine['date']}, {machine['cpu']}, {machine['nproc']} cores, load "
             f"average {machine['load']} at start); full tables in [bench/results/RESULTS.md](bench/results/RESULTS.md), "
             f"plots: " + ", ".join(f"[{label}](bench/results/{file})" for file, label in plots) + ".\n")
    if whole:
        r.append("| program | jitstack (JIT) | jitstack --no-jit | JIT speed-up | per iteration (JIT / --no-jit, CPU) | "
                 + " | ".join(whole["peers"]) + " |")
        r.append("|" + "---|" * (5 + len(whole["peers"])))
        for name, label in {"fib": "fib(30)", "while_loop": "50M `while` loop", "method_calls": "10M method calls"}.items():
            row = whole["programs"][name]
            r.append(f"| {label} | {cell(row['jit'], short=True)} | {cell(row['no_jit'], short=True)} | "
                     f"{ratio(row['no_jit'], row['jit'])} | {per_iteration(row.get('per_iteration'))} | "
                     + " | ".join(cell(whole["peers"][p].get(name), short=True) for p in whole["peers"]) + " |")
        r.append("")
        r.append("Times are whole-process wall medians (start-up ~8 ms included). `per iteration` is one run of the "
                 "measured call in a process that repeats it, start-up and compiling excluded (CPU medians; how: "
                 "[RESULTS.md](bench/results/RESULTS.md)).\n")
        churn = whole["churn"]
        cells = []
        for label in ("1M", "4M", "64M"):
            data = churn.get(label, {})
            if "median" in data:
                stats = data.get("stats") or {}
                cells.append(f"{label} region {secs(data['median'])} ({ratio(churn.get('no_jit'), data, inverse=True)} of "
                             f"--no-jit, {data['rss_kib'] / 1024:.0f} MiB RSS, {stats.get('code_gc_count', '?')} code GCs)")
        default = churn.get("default", {})
        if "median" in default:
            cells.append(f"default flags (`test` is called once, below the threshold, so never compiled) "
                         f"{secs(default['median'])} ({ratio(churn.get('no_jit'), default, inverse=True)} of --no-jit)")
        nj = churn.get("no_jit", {})
        if "median" in nj:
            cells.append(f"--no-jit {secs(nj['median'])} ({nj['rss_kib'] / 1024:.0f} MiB RSS)")
        if cells:
            r.append("Churn (500,000 evals + calls): " + "; ".join(cells) + ".\n")
        steady = whole.get("steady") or {}
        base = (steady.get("unlimited") or {}).get("steady_cpu_per_round")
        cells = [f"{label} {(steady.get(label) or {}).get('steady_cpu_per_round') / base:.2f}x"
                 for label in ("50%", "80%", "120%", "no_jit")
                 if base and (steady.get(label) or {}).get("steady_cpu_per_round")]
        if cells:
            r.append(f"Steady state (2,000 methods round-robin, time per round vs an unlimited region; "
                     f"unlimited {ns(base * 1e9)} per round): " + ", ".join(cells).replace("no_jit", "--no-jit")
                     + " (goal: within 10% at 80%). " + STEADY_METHOD.format(rounds=f"{steady.get('rounds', 0):,}", repeats=steady.get("repeats", whole.get("repeats", "N"))) + "\n")
        cells = []
        for threads, data in sorted((whole.get("safepoint") or {}).items(), key=lambda item: int(item[0])):
            stats = data.get("stats") or {}
            if "safepoint_wait_ns_median" in stats:
                cells.append(f"{threads} threads median {ns(stats['safepoint_wait_ns_median'])}, "
                             f"p99 {ns(stats['safepoint_wait_ns_p99'])}")
        if cells:
            r.append("Time to safepoint: " + "; ".join(cells) + ".\n")
    if precise[0][1]:
        parts = []
        for label, walk, frames in precise:
            if walk and frames:
                parts.append(f"{label} frames {walk['median'] / frames['median']:.0f} ns/frame")
        r.append("Precise `unw_step` walks: " + ", ".join(parts) + "; `unw_backtrace` on the running thread: "
                 + ", ".join(f"{w['median'] / f['median']:.0f} ns/frame at {d}" for d, w, f in bt if w and f)
                 + " (goal 50 ns/frame).\n")
    if dual and toggle:
        r.append(f"W^X write 8 bytes + call: dual mapping {ns(dual['median'] / 1000)}, mprotect toggling "
                 f"{ns(toggle['median'] / 1000)} ({toggle['median'] / dual['median']:.0f}x).\n")
    if block and size:
        r.append(f"Assembler: {1e9 / block['median'] / 1e6:.1f} M blocks/s, "
                 f"{size['median'] * 1e3 / block['median']:.0f} MB/s ({size['median']:.0f}-byte blocks).\n")
    if pause_rows:
        r.append("Code GC pause (collection freeing nothing): " + "; ".join(
            f"{label} {ns(pause)} (mark {ns(values[0])}, walk {ns(values[1])}, sweep {ns(values[2])})"
            for label, values, pause in pause_rows) + " (medians; goal: under 1 ms at 8 MiB and 1,000 frames).\n")
    open(os.path.join(out_dir, "README-section.md"), "w").write("\n".join(r) + "\n")


def secs(value):
    return f"{value:.2f} s" if value >= 0.1 else f"{value * 1000:.0f} ms"


def cell(data, short=False):
    if not data:
        return "-"
    if "median" not in data:
        return data.get("unavailable") or ("failed: " + data.get("error", "?"))
    if short:
        return secs(data["median"])
    return f"{secs(data['median'])} ({secs(data['min'])}-{secs(data['max'])}), {data['rss_kib'] / 1024:.0f} MiB"


def per_iteration(data):
    """`JIT / --no-jit = speed-up` of one in-process iteration (start-up and compiling excluded)."""
    if not data or "jit" not in data or "no_jit" not in data or data["jit"] <= 0:
        return "-"
    return f"{secs(data['jit'])} / {secs(data['no_jit'])} = {data['no_jit'] / data['jit']:.2f}x"


def ratio(slow, fast, inverse=False):
    """slow/fast (or fast/slow with `inverse`) of two medians, as `N.NNx`."""
    if not slow or not fast or "median" not in slow or "median" not in fast:
        return "-"
    value = fast["median"] / slow["median"] if inverse else slow["median"] / fast["median"]
    return f"{value:.2f}x"


if __name__ == "__main__":
    main()
