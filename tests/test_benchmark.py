"""scripts/benchmark.py run tiny: its JSON's shape, and ratios that follow
from its times. Timings are not asserted anywhere (see README, "Speed").

About a minute on two idle cores: it starts 18 fresh interpreters."""

import json
import os
import statistics
import subprocess
import sys

import numpy as np
import pytest

from graph_examples import quadratic_fit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "scripts", "benchmark.py")
TINY = ["--instances", "3000", "--steps", "30", "--batch-steps", "20"]
ROW_KEYS = {"label", "onednn", "seconds", "seconds_all", "train_seconds",
            "per_unit_us", "per_unit_us_all", "peak_mb", "start_mb", "result",
            "same_result_every_repeat", "vs_lecture", "vs_best",
            "vs_lecture_onednn_off", "unit_vs_lecture", "unit_vs_best",
            "unit_vs_lecture_onednn_off"}


def benchmark(tmp_path, *args):
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, SCRIPT, *TINY, "--out", str(out), *args],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(out.read_text()), done.stdout


def check_ratios(rows):
    best = min(row["seconds"] for row in rows.values())
    lecture = rows.get("lecture", {}).get("seconds")
    for row in rows.values():
        assert row["seconds"] == pytest.approx(statistics.median(row["seconds_all"]))
        assert row["vs_best"] == pytest.approx(row["seconds"] / best)
        if lecture is None:
            assert row["vs_lecture"] is None
        else:
            assert row["vs_lecture"] == pytest.approx(lecture / row["seconds"])
        per_step = [s for s in row["per_unit_us_all"]]
        assert row["per_unit_us"] == pytest.approx(statistics.median(per_step))
        assert 0 < row["train_seconds"] <= row["seconds"]
        assert row["peak_mb"] >= row["start_mb"] > 0
    assert min(row["vs_best"] for row in rows.values()) == pytest.approx(1.0)


def test_benchmark_json_is_complete_and_its_ratios_follow_from_its_times(tmp_path):
    report, stdout = benchmark(tmp_path, "--repeats", "2", "--only",
                               "generator,mantle:lecture-onednn-off,mantle:ours")
    assert set(report) == {"command", "settings", "machine", "versions", "tasks",
                           "skipped", "failures", "interrupted"}
    assert report["interrupted"] is False
    assert report["settings"]["instances"] == 3000
    assert report["settings"]["repeats"] == 2
    assert report["failures"] == []
    assert set(report["tasks"]) == {"generator", "mantle"}

    generator = report["tasks"]["generator"]["rows"]
    assert set(generator) == {"lecture", "ours", "ours-huge-pages"}
    for row in generator.values():
        assert set(row) == ROW_KEYS and len(row["seconds_all"]) == 2
    check_ratios(generator)
    # The vectorised generator makes the slide's rows and labels, bit for bit.
    assert generator["ours"]["result"] == generator["lecture"]["result"]
    assert generator["ours-huge-pages"]["result"] == generator["lecture"]["result"]

    mantle = report["tasks"]["mantle"]["rows"]
    check_ratios(mantle)
    for row in mantle.values():
        assert row["vs_lecture_onednn_off"] == pytest.approx(
            mantle["lecture-onednn-off"]["seconds"] / row["seconds"])
    # Same seed, same environment: ours computes what the lecture's code does.
    assert mantle["ours"]["result"] == mantle["lecture-onednn-off"]["result"]
    assert mantle["ours"]["same_result_every_repeat"]

    # The printed table has a row per variant, with the JSON's numbers.
    mantle_table = stdout[stdout.index("| mantle |"):].splitlines()
    for variant, row in mantle.items():
        line = next(line for line in mantle_table if "(`{}`)".format(variant) in line)
        assert "| {:.3f} |".format(row["seconds"]) in line


def test_peers_and_batches_run_and_agree_on_the_data(tmp_path):
    report, _ = benchmark(tmp_path, "--repeats", "1", "--only",
                          "batches,mantle:keras-fit,mantle:tf-function,mantle:torch,"
                          "quadratic:keras-fit,quadratic:tf-function,quadratic:torch,"
                          "quadratic:ours")
    assert report["failures"] == []
    batches = report["tasks"]["batches"]["rows"]
    assert len({row["result"]["digest"] for row in batches.values()}) == 1
    check_ratios(batches)

    mantle = report["tasks"]["mantle"]["rows"]
    expected = {"keras-fit", "tf-function", "torch"} - {
        name.split(":")[1] for name in report["skipped"]}
    assert set(mantle) == expected
    for row in mantle.values():
        assert 0 <= row["result"]["accuracy"] <= 1

    # Each peer's loss is tf.nn.l2_loss, half the sum of squares: its step-0
    # loss is that of its weights on the first 100 points. Thirty Adam steps
    # of 0.001 move the weights less than 0.04, so the final weights give it
    # within 2%; a mean instead of a sum, or a missing half, is 50x or 2x off.
    np.random.seed(1)
    x_val, y_val = (v[0] for v in quadratic_fit.draw_batches(1))
    features = np.stack([np.square(x_val), x_val, np.ones_like(x_val)], 1)
    for variant, row in report["tasks"]["quadratic"]["rows"].items():
        w = np.array(row["result"]["coefficients"])
        expected = 0.5 * np.sum((features @ w - y_val) ** 2)
        assert row["result"]["first_loss"] == pytest.approx(expected, rel=0.02), variant


def test_benchmark_refuses_an_unknown_task_in_one_line(tmp_path):
    done = subprocess.run([sys.executable, SCRIPT, "--only", "mantle:nope",
                           "--out", str(tmp_path / "b.json")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "no variant 'nope'" in done.stderr
    assert not (tmp_path / "b.json").exists()


@pytest.mark.parametrize("args, message", [
    (["--out", "{tmp}"], "is a folder or empty; it needs a file name"),
    (["--out", ""], "is a folder or empty; it needs a file name"),
    (["--out", "{tmp}/fifo"], "exists and is not a regular file"),
    (["--out", "/proc/benchmark.json"], "cannot be written"),
    (["--instances", "1"], "--instances must be at least 2, got 1"),
    (["--seed", "-1"], "argument --seed: must be between 0 and 4294967295, got -1"),
    (["--only", "mantle:bogus"], "--only: mantle has no variant 'bogus'"),
])
def test_bad_flags_are_refused_before_any_measurement(tmp_path, capsys, args, message):
    from benchmarks import runner

    os.mkfifo(str(tmp_path / "fifo"))
    argv = [arg.format(tmp=tmp_path) for arg in args]
    with pytest.raises(SystemExit) as stopped:
        runner.main(argv)
    assert stopped.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and message in error[0], error
    assert os.listdir(str(tmp_path)) == ["fifo"]  # nothing written, the pipe kept


def test_spaces_around_the_colon_in_only_are_ignored():
    from benchmarks import runner

    assert runner.choose("mantle : ours, generator") == [
        ("mantle", "ours"), ("generator", "lecture"), ("generator", "ours"),
        ("generator", "ours-huge-pages")]


def test_ctrl_c_keeps_the_finished_runs(tmp_path, capsys, monkeypatch):
    from benchmarks import runner

    finished = {"seconds": 1.0, "train": 0.5, "units": 10, "peak_mb": 600.0,
                "start_mb": 550.0, "counts": [6, 4], "digest": "abc"}
    calls = []

    def run_child(task, variant, settings):
        calls.append(variant)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return dict(finished)

    monkeypatch.setattr(runner, "run_child", run_child)
    out = tmp_path / "bench.json"
    code = runner.main(["--only", "generator:lecture,generator:ours", "--out",
                        str(out)])

    assert code == 130
    report = json.loads(out.read_text())
    assert report["interrupted"] is True
    assert list(report["tasks"]["generator"]["rows"]) == ["lecture"]
    printed = capsys.readouterr()
    assert "page 27's row loops (`lecture`)" in printed.out
    assert printed.err.strip().splitlines()[-1] == (
        "benchmark.py: interrupted; the tables and {} hold the runs that "
        "finished".format(out))
