"""Run every variant in fresh processes, interleaved; print and save the ratios.

    python scripts/benchmark.py [--instances N] [--steps N] [--repeats N]
                                [--only TASK[:VARIANT],...] [--out FILE]

Each repeat runs every chosen variant once, one after another, so a change
in the machine's load reaches all of them alike; the table shows medians
over the repeats. Times exclude starting Python and importing libraries.
"""

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

from benchmarks.variants import TASKS, UNITS, VARIANTS
from graph_examples.cli import (EXIT_FAILED, EXIT_INTERRUPTED, MAX_INSTANCES,
                                MAX_STEPS, Parser, UsageError, at_most,
                                prepare_out_file, seed_int)
from graph_examples.output import write_text

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHILD_TIMEOUT = 3600  # seconds; the lecture's code takes about 40 at full size
REFERENCE = "lecture"  # the lecture's code as TensorFlow ships (oneDNN on)
SAME_ENV_REFERENCE = "lecture-onednn-off"  # the same code, oneDNN off like ours


class ChildFailed(RuntimeError):
    """A measurement's process failed; the message is one line."""


def make_parser():
    parser = Parser(prog="benchmark.py", description=(
        "Time the lecture's code, our default path and other frameworks on the "
        "lecture's data generation, batches and two trainings."))
    parser.add_argument("--instances", type=at_most(MAX_INSTANCES), default=1000000,
                        help="rows of the mantle data set (default %(default)s)")
    parser.add_argument("--steps", type=at_most(MAX_STEPS), default=20001,
                        help="training steps (default %(default)s, the lecture's)")
    parser.add_argument("--batch-steps", type=at_most(MAX_STEPS), default=2001,
                        help="calls of the batch function timed (default %(default)s)")
    parser.add_argument("--repeats", type=at_most(1000), default=3,
                        help="runs of each variant; medians are shown "
                             "(default %(default)s)")
    parser.add_argument("--only", default=None,
                        help="comma-separated TASK or TASK:VARIANT to run; tasks: "
                             + ", ".join(TASKS))
    parser.add_argument("--seed", type=seed_int, default=1, help="default %(default)s")
    parser.add_argument("--out", default="benchmark.json",
                        help="JSON file for the results (default %(default)s)")
    return parser


def choose(only):
    """[(task, variant)] to run, from --only (None: everything), or a ValueError."""
    if only is None:
        return [(task, variant) for task in TASKS for variant in VARIANTS[task]]
    chosen = []
    for item in only.split(","):
        task, _, variant = (part.strip() for part in item.partition(":"))
        if task not in VARIANTS:
            raise ValueError("--only: unknown task {!r}; tasks are {}".format(
                task, ", ".join(TASKS)))
        if variant and variant not in VARIANTS[task]:
            raise ValueError("--only: {} has no variant {!r}; it has {}".format(
                task, variant, ", ".join(VARIANTS[task])))
        for name in [variant] if variant else VARIANTS[task]:
            if (task, name) not in chosen:
                chosen.append((task, name))
    return chosen


def missing_module(task, variant):
    """The first module a variant needs that is not installed, or None."""
    import importlib.util

    for module in VARIANTS[task][variant].modules:
        if importlib.util.find_spec(module.split(".")[0]) is None:
            return module
    return None


def child_env(onednn):
    """The environment of a child: oneDNN off, or left to TensorFlow."""
    env = dict(os.environ, PYTHONPATH=ROOT, TF_CPP_MIN_LOG_LEVEL="2",
               TF_ENABLE_ONEDNN_OPTS="0")
    if onednn == "tf-default":
        del env["TF_ENABLE_ONEDNN_OPTS"]
    return env


def run_child(task, variant, settings):
    """One measurement in a fresh interpreter; returns the child's result dict."""
    env = child_env(VARIANTS[task][variant].onednn)
    with tempfile.TemporaryDirectory(prefix="benchmark-") as folder:
        out_path = os.path.join(folder, "result.json")
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.child", task, variant,
             json.dumps(settings), out_path],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=CHILD_TIMEOUT)
        if done.returncode != 0 or not os.path.exists(out_path):
            lines = (done.stderr.strip().splitlines()
                     or ["exit {}".format(done.returncode)])
            raise ChildFailed("{}:{} failed: {}".format(task, variant, lines[-1]))
        with open(out_path) as handle:
            return json.load(handle)


def median(values):
    return statistics.median(values) if values else None


def summarise(task, runs):
    """Medians and ratios for one task; runs maps variant -> [child results]."""
    rows = {}
    for variant, results in runs.items():
        first = results[0]
        per_unit = [r["train"] / r["units"] * 1e6 for r in results]
        rows[variant] = {
            "label": VARIANTS[task][variant].label,
            "onednn": VARIANTS[task][variant].onednn,
            "seconds": median([r["seconds"] for r in results]),
            "seconds_all": [r["seconds"] for r in results],
            "train_seconds": median([r["train"] for r in results]),
            "per_unit_us": median(per_unit),
            "per_unit_us_all": per_unit,
            "peak_mb": max(r["peak_mb"] for r in results),
            "start_mb": median([r["start_mb"] for r in results]),
            "result": {key: first[key] for key in
                       ("accuracy", "first_loss", "final_loss", "final_loss_is",
                        "coefficients", "counts", "digest") if key in first},
            "same_result_every_repeat": all(
                r.get(k) == first.get(k) for r in results
                for k in ("accuracy", "final_loss", "coefficients", "counts",
                          "digest")),
        }
    for key, prefix in (("seconds", ""), ("per_unit_us", "unit_")):
        add_ratios(rows, key, prefix + "vs_lecture", REFERENCE, prefix + "vs_best")
        add_ratios(rows, key, prefix + "vs_lecture_onednn_off", SAME_ENV_REFERENCE)
    return {"unit": UNITS[task], "rows": rows}


def add_ratios(rows, key, to_reference, reference, to_best=None):
    """x times faster than `reference` (None if not run); x times the best."""
    best = min(row[key] for row in rows.values())
    reference_value = rows.get(reference, {}).get(key)
    for row in rows.values():
        # A tiny smoke run can time a part at 0 s; it has no ratio then.
        measured = row[key] > 0
        row[to_reference] = (reference_value / row[key]
                             if reference_value and measured else None)
        if to_best is not None:
            row[to_best] = row[key] / best if best > 0 else None


def describe(result):
    """The table's short account of what a variant computed."""
    parts = []
    if "accuracy" in result:
        parts.append("accuracy {:.4f}".format(result["accuracy"]))
    if "coefficients" in result:
        parts.append("w {}".format(" ".join("{:.3f}".format(v)
                                            for v in result["coefficients"])))
    if "final_loss" in result:
        mark = "*" if "final_loss_is" in result else ""
        parts.append("loss {:.4g}{}".format(result["final_loss"], mark))
    if "counts" in result:
        parts.append("stable/unstable {}/{}".format(*result["counts"]))
    if "digest" in result:
        parts.append("data #{}".format(result["digest"]))
    return ", ".join(parts)


def ratio(value):
    return "-" if value is None else "{:.1f}x".format(value)


def table(task, summary):
    """The task's results as a Markdown table, fastest first."""
    unit = summary["unit"]
    lines = ["| {} | whole run, s | vs lecture | vs lecture, oneDNN off | vs best "
             "| per {}, µs | vs lecture | vs best | result | peak MB |".format(
                 task, unit),
             "|" + " --- |" * 10]
    rows = sorted(summary["rows"].items(), key=lambda item: item[1]["seconds"])
    for variant, row in rows:
        lines.append("| {} (`{}`) | {:.3f} | {} | {} | {} | {:.3g} | {} | {} | {} | "
                     "{:.0f} |".format(
                         row["label"], variant, row["seconds"],
                         ratio(row["vs_lecture"]), ratio(row["vs_lecture_onednn_off"]),
                         ratio(row["vs_best"]), row["per_unit_us"],
                         ratio(row["unit_vs_lecture"]), ratio(row["unit_vs_best"]),
                         describe(row["result"]), row["peak_mb"]))
    return "\n".join(lines)


def versions():
    """Library versions, read without importing TensorFlow here."""
    from importlib import metadata

    found = {}
    for name in ("tensorflow-cpu", "tensorflow", "keras", "numpy", "torch"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return found


def measure_all(plan, settings, repeats, say, runs, failures):
    """Fill runs {task: {variant: [results]}}, repeats interleaved, and failures.

    Fills the caller's dict and list as it goes, so the runs that finished
    survive a Ctrl-C.
    """
    for repeat in range(repeats):
        for task, variant in plan:
            if any(f.startswith("{}:{} ".format(task, variant)) for f in failures):
                continue
            say("repeat {}/{}: {} {} (load {:.2f})".format(
                repeat + 1, repeats, task, variant, os.getloadavg()[0]))
            try:
                result = run_child(task, variant, settings)
            except (ChildFailed, subprocess.TimeoutExpired) as error:
                failures.append(str(error).splitlines()[0])
                say(failures[-1])
                continue
            runs.setdefault(task, {}).setdefault(variant, []).append(result)


def _interrupt(signum, frame):
    """SIGTERM as Ctrl-C, so the running child is killed and results kept."""
    raise KeyboardInterrupt


def main(argv=None):
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        plan = choose(args.only)
        if args.instances < 2:  # the split is 0.5: both sets need a row
            raise ValueError("--instances must be at least 2, got {}".format(
                args.instances))
        prepare_out_file(args.out)
    except (ValueError, UsageError) as error:
        parser.error(str(error))

    def say(line):
        print(line, file=sys.stderr, flush=True)

    skipped = {}
    for task, variant in list(plan):
        module = missing_module(task, variant)
        if module is not None:
            skipped["{}:{}".format(task, variant)] = "{} is not installed".format(
                module)
            plan.remove((task, variant))

    settings = {"seed": args.seed, "instances": args.instances, "split_rate": 0.5,
                "steps": args.steps, "batch_steps": args.batch_steps}
    load_before = os.getloadavg()
    started = time.time()
    runs, failures = {}, []
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        measure_all(plan, settings, args.repeats, say, runs, failures)
        interrupted = False
    except KeyboardInterrupt:
        interrupted = True
    finally:
        signal.signal(signal.SIGTERM, previous)

    report = {
        "command": " ".join(["python scripts/benchmark.py"]
                            + list(argv or sys.argv[1:])),
        "settings": dict(settings, repeats=args.repeats),
        "machine": {"cores": os.cpu_count(), "load_before": load_before,
                    "load_after": os.getloadavg(),
                    "minutes": round((time.time() - started) / 60, 2)},
        "versions": versions(),
        "tasks": {task: summarise(task, runs[task]) for task in TASKS if task in runs},
        "skipped": skipped,
        "failures": failures,
        "interrupted": interrupted,
    }
    print_tables(report, args.repeats)
    try:
        write_text(args.out, json.dumps(report, indent=2) + "\n")
    except OSError as error:
        say("benchmark.py: error: {}".format(error))
        return EXIT_FAILED
    say("wrote " + args.out)
    if interrupted:
        say("benchmark.py: interrupted; the tables and {} hold the runs that "
            "finished".format(args.out))
        return EXIT_INTERRUPTED
    return EXIT_FAILED if failures else 0


def print_tables(report, repeats):
    """The tables of every measured task, then what was skipped."""
    print("load average before {:.2f}, after {:.2f}; {} cores; medians of {} "
          "runs".format(report["machine"]["load_before"][0],
                        report["machine"]["load_after"][0],
                        report["machine"]["cores"], repeats))
    for task, summary in report["tasks"].items():
        print()
        print(table(task, summary))
    for name, why in report["skipped"].items():
        print("skipped {}: {}".format(name, why))
    if not report["tasks"]:
        print("nothing was measured")
    elif any(task != "generator" and task != "batches" for task in report["tasks"]):
        print("* Keras reports the mean loss over the run, not the last step's.")
