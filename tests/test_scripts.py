"""Each script run as a user runs it, tiny, and its flags' one-line errors."""

import os
import re
import subprocess
import sys

import pytest

from graph_examples import mantle_stability, quadratic_fit, run_lecture

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TINY_MANTLE = ["--steps", "5", "--instances", "2000", "--batch-size", "50"]


def script(name, *args, cwd=None):
    """Run scripts/<name>.py in a fresh interpreter; returns the CompletedProcess."""
    return subprocess.run([sys.executable, os.path.join(ROOT, "scripts", name + ".py"),
                           *args], capture_output=True, text=True, timeout=300,
                          cwd=cwd)


def test_hello_world_script():
    done = script("hello_world")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ('Tensor("Const:0", shape=(), dtype=string)\n'
                           "b'Hello, TensorFlow!'\n")
    assert done.stderr == "device: cpu\n"  # which device ran it, and nothing else


def test_multiply_matrices_script():
    done = script("multiply_matrices", "--seed", "3", "--device", "cpu")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:3] == ['Tensor("random_normal:0", shape=(3, 3), dtype=float32)',
                         'Tensor("random_normal_1:0", shape=(3, 3), dtype=float32)',
                         'Tensor("MatMul:0", shape=(3, 3), dtype=float32)']
    assert len(lines) == 6 and lines[3].startswith("[[")


def test_quadratic_script_writes_its_figure(tmp_path):
    done = script("quadratic_fit", "--steps", "3", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert [line[:10] for line in done.stdout.splitlines()] == ["STEP     0",
                                                                "STEP     2"]
    assert (tmp_path / quadratic_fit.FIGURE).read_bytes()[:4] == b"\x89PNG"


def test_mantle_script_writes_its_figure(tmp_path):
    done = script("mantle_stability", *TINY_MANTLE, "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Stable:") and lines[-1].startswith("Accuracy: ")
    assert len(lines) == 3  # counts, the loss at step 0, accuracy
    assert (tmp_path / mantle_stability.FIGURE).read_bytes()[:4] == b"\x89PNG"


def test_main_job_writes_figures_and_report(tmp_path):
    out = tmp_path / "out"
    done = script("run_lecture", *TINY_MANTLE, "--out", str(out))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == 'Tensor("Const:0", shape=(), dtype=string)'
    assert lines[-1].startswith("Accuracy: ")
    assert sorted(os.listdir(out)) == ["mantle_stability.png", "quadratic_fit.png",
                                       "report.md"]
    report = (out / "report.md").read_text()
    assert "0.9589059948921204" in report and "![quadratic_fit.png]" in report
    assert "device=cpu" in report

    # The link from each figure to its slide's part of the map resolves.
    links = re.findall(r"\]\(([^)#]+lecture_map\.md)#page-(\d+)\)", report)
    assert [page for _, page in links] == ["23", "31"]
    assert all((out / link).resolve().is_file() for link, _ in links)


@pytest.mark.parametrize("argv, message", [
    (["--steps", "0"], "--steps: must be a positive integer, got 0"),
    (["--steps", "ten"], "--steps: invalid positive integer value: 'ten'"),
    (["--split-rate", "1.5"], "between 0 and 1"),
    (["--split-rate", "0"], "between 0 and 1"),
    (["--instances", "1"], "leaves 0 training and 1 test rows"),
    (["--batch-size", "-3"], "must be a positive integer"),
    (["--learning-rate", "nan"], "must be a positive number"),
    (["--device", "tpu"], "invalid choice: 'tpu'"),
    (["--steps", "10000000000"], "--steps: must be at most 100000000"),
    (["--batch-size", "100000000"], "--batch-size: must be at most 1000000"),
    (["--learning-rate", "1e308"], "must be between 1.18e-38 and 3.4e+38 (float32)"),
    (["--learning-rate", "1e-320"], "must be between 1.18e-38 and 3.4e+38 (float32)"),
])
def test_bad_flags_give_one_line_and_status_2(argv, message, capsys, tmp_path):
    with pytest.raises(SystemExit) as stopped:
        status = run_lecture.main(argv + ["--out", str(tmp_path / "out")])
        raise SystemExit(status)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err
    assert not (tmp_path / "out").exists() or not os.listdir(tmp_path / "out")


def test_output_folder_that_is_a_file(capsys, tmp_path):
    target = tmp_path / "taken"
    target.write_text("mine")
    assert mantle_stability.main(TINY_MANTLE + ["--out", str(target)]) == 2
    assert capsys.readouterr().err == (
        "mantle_stability.py: error: --out {} is a file, not a folder\n".format(target))
    assert target.read_text() == "mine"


def test_gpu_asked_for_where_there_is_none(capsys, tmp_path):
    from graph_examples.tf1 import visible_gpus

    if visible_gpus():
        pytest.skip("a GPU is visible here")
    out = tmp_path / "new"
    assert quadratic_fit.main(["--device", "gpu", "--out", str(out)]) == 2
    assert capsys.readouterr().err == (
        "quadratic_fit.py: error: --device gpu was asked for, but no GPU is visible\n")
    assert not out.exists()  # a refused run leaves no empty folder


def test_a_folder_where_the_report_goes_is_refused_before_work(capsys, tmp_path):
    (tmp_path / "report.md").mkdir()
    assert run_lecture.main(TINY_MANTLE + ["--out", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.endswith("report.md is a folder, where this run writes a file\n")


def test_a_closed_pipe_ends_the_job_quietly():
    reader = subprocess.Popen(
        "{} {} | head -1".format(sys.executable,
                                 os.path.join(ROOT, "scripts", "multiply_matrices.py")),
        shell=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = reader.communicate(timeout=300)
    assert out == 'Tensor("random_normal:0", shape=(3, 3), dtype=float32)\n'
    assert "Traceback" not in err and "Broken pipe" not in err
