"""Bad input: one clear line, a non-zero exit (2 for usage), no traceback,
no partial file.

The command-line cases run in this process through each program's
main(argv) (a new Python process with TensorFlow costs seconds); two cases
also run as real processes. The public functions' cases check the one-line
ValueError each raises.
"""

import os
import re
import shutil
import stat
import subprocess

import numpy as np
import pytest

from graph_examples import (hello_world, mantle_stability, multiply_matrices,
                            quadratic_fit, run_lecture)
from graph_examples.supervisor import SupervisorConfig
from graph_examples.tf1 import fresh_graph, tf, tf1, visible_gpus
from layers import full_connection_layer
from maintainers_support import (all_files, partial_files, run_script, script_command,
                                 script_env)

PROGRAMS = {"quadratic": quadratic_fit, "mantle": mantle_stability,
            "hello": hello_world, "multiply": multiply_matrices, "job": run_lecture}
PROGS = {"quadratic": "quadratic_fit.py", "mantle": "mantle_stability.py",
         "hello": "hello_world.py", "multiply": "multiply_matrices.py",
         "job": "run_lecture.py"}
TINY_MANTLE = ["--instances", "200", "--batch-size", "10", "--steps", "5"]


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """Checkpoint folders to copy from: quadratic and mantle, 5 steps, seed 1."""
    root = tmp_path_factory.mktemp("saved")
    for name, program, kwargs in (
            ("quadratic", quadratic_fit, {}),
            ("mantle", mantle_stability, {"instances": 200, "batch_size": 10})):
        program.run(steps=5, echo=None, **kwargs,
                    supervise=SupervisorConfig(checkpoint_dir=str(root / name)))
    return root


# Set-ups: each makes something bad in the case's folder `tmp`.
def a_file(tmp):
    (tmp / "file").write_text("not a folder\n")


def quadratic_checkpoint(tmp, saved):
    shutil.copytree(saved / "quadratic", tmp / "ck")


def mantle_checkpoint(tmp, saved):
    shutil.copytree(saved / "mantle", tmp / "ck")


def garbage_manifest(tmp, saved):
    quadratic_checkpoint(tmp, saved)
    (tmp / "ck" / "manifest.json").write_text("{ this is not json")


def truncated_variables(tmp, saved):
    quadratic_checkpoint(tmp, saved)
    data = tmp / "ck" / "ckpt-5.data-00000-of-00001"
    data.write_bytes(data.read_bytes()[:7])


def garbage_index(tmp, saved):
    quadratic_checkpoint(tmp, saved)
    (tmp / "ck" / "ckpt-5.index").write_bytes(b"\x00garbage" * 8)


def missing_state(tmp, saved):
    quadratic_checkpoint(tmp, saved)
    (tmp / "ck" / "ckpt-5.state.npz").unlink()


def quadratic_variables_under_a_mantle_manifest(tmp, saved):
    """The manifest says mantle with the right settings; the variables are the
    quadratic's. Only the graph check can tell."""
    quadratic_checkpoint(tmp, saved)
    shutil.copy(saved / "mantle" / "manifest.json", tmp / "ck" / "manifest.json")


def mantle_job_checkpoint_of_another_seed(tmp, saved):
    shutil.copytree(saved / "mantle", tmp / "ck" / "mantle_stability")
    manifest = tmp / "ck" / "mantle_stability" / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"seed": 1', '"seed": 9'))


def mantle_job_checkpoint_truncated(tmp, saved):
    shutil.copytree(saved / "mantle", tmp / "ck" / "mantle_stability")
    for data in (tmp / "ck" / "mantle_stability").glob("ckpt-*.data-*"):
        data.write_bytes(data.read_bytes()[:7])


def garbage_state(tmp, saved):
    quadratic_checkpoint(tmp, saved)
    (tmp / "ck" / "ckpt-5.state.npz").write_bytes(b"\x93NUMPY garbage" * 8)


# TensorFlow's own reason (today "Read less bytes than requested" and "not an
# sstable (bad magic number)"), not the "Graph execution error:" header.
UNREADABLE_VARIABLES = r"checkpoint \S+/ck/ckpt-5 cannot be read: (?!Graph)\w.+"

# (id, program, argv with {tmp} for the case's folder, set-up, exit, message)
# `message` is a regular expression the one stderr line must match in full.
CLI_CASES = [
    ("steps-zero", "quadratic", "--steps 0", None, 2,
     r"argument --steps: must be a positive integer, got 0"),
    ("steps-word", "quadratic", "--steps ten", None, 2,
     r"argument --steps: invalid positive integer value: 'ten'"),
    ("steps-fraction", "quadratic", "--steps 1.5", None, 2,
     r"argument --steps: invalid positive integer value: '1.5'"),
    ("rate-negative", "quadratic", "--learning-rate -1", None, 2,
     r"argument --learning-rate: must be a positive number, got -1"),
    ("rate-nan", "quadratic", "--learning-rate nan", None, 2,
     r"argument --learning-rate: must be a positive number, got nan"),
    ("rate-inf", "quadratic", "--learning-rate inf", None, 2,
     r"argument --learning-rate: must be between 1.18e-38 and 3.4e\+38 \(float32\), "
     r"got inf"),
    ("rate-beyond-float32", "mantle", "--learning-rate 1e39", None, 2,
     r"argument --learning-rate: must be between 1.18e-38 and 3.4e\+38 \(float32\), "
     r"got 1e39"),
    ("steps-too-many", "quadratic", "--steps 10000000000", None, 2,
     r"argument --steps: must be at most 100000000, got 10000000000"),
    ("batch-too-big", "mantle", "--batch-size 100000000", None, 2,
     r"argument --batch-size: must be at most 1000000, got 100000000"),
    ("seed-word", "quadratic", "--seed abc", None, 2,
     r"argument --seed: invalid seed value: 'abc'"),
    ("seed-negative", "quadratic", "--seed -1", None, 2,
     r"argument --seed: must be between 0 and 4294967295, got -1"),
    ("seed-too-big", "multiply", "--seed 4294967296", None, 2,
     r"argument --seed: must be between 0 and 4294967295, got 4294967296"),
    ("device-unknown", "hello", "--device tpu", None, 2,
     r"argument --device: invalid choice: 'tpu' \(choose from .*\)"),
    ("loop-unknown", "quadratic", "--loop fast", None, 2,
     r"argument --loop: invalid choice: 'fast' \(choose from .*\)"),
    ("flag-not-taken", "hello", "--seed 3", None, 2,
     r"unrecognized arguments: --seed 3"),
    ("flag-unknown", "quadratic", "--bogus", None, 2,
     r"unrecognized arguments: --bogus"),
    ("split-above-one", "mantle", "--split-rate 1.5", None, 2,
     r"argument --split-rate: must be between 0 and 1 \(exclusive\), got 1.5"),
    ("split-zero", "mantle", "--split-rate 0", None, 2,
     r"argument --split-rate: must be between 0 and 1 \(exclusive\), got 0"),
    ("split-leaves-no-rows", "mantle", "--instances 1", None, 2,
     r"--instances 1 with --split-rate 0.5 leaves 0 training and 1 test rows; "
     r"both need at least one"),
    ("instances-too-many", "mantle", "--instances 1000000000", None, 2,
     r"--instances 1000000000 is more than this program holds in memory "
     r"\(at most 20000000\)"),
    ("batch-zero", "mantle", "--batch-size 0", None, 2,
     r"argument --batch-size: must be a positive integer, got 0"),
    ("save-every-zero", "quadratic", "--save-every 0", None, 2,
     r"argument --save-every: must be a positive integer, got 0"),
    ("save-every-alone", "quadratic", "--save-every 5", None, 2,
     r"--save-every needs --checkpoint-dir"),
    ("resume-alone", "quadratic", "--resume", None, 2,
     r"--resume needs --checkpoint-dir"),
    ("out-is-a-file", "quadratic", "--out {tmp}/file", a_file, 2,
     r"--out \S+/file is a file, not a folder"),
    ("out-unwritable", "quadratic", "--out {tmp}/file/sub", a_file, 2,
     r"--out \S+/file/sub cannot be written: \S+/file is not a folder"),
    ("checkpoint-dir-is-a-file", "quadratic", "--checkpoint-dir {tmp}/file", a_file,
     2, r"--checkpoint-dir \S+/file is a file, not a folder"),
    ("logdir-unwritable", "mantle", "--logdir {tmp}/file/logs", a_file, 2,
     r"--logdir \S+/file/logs cannot be written: \S+/file is not a folder"),
    ("checkpoint-in-the-way", "quadratic", "--checkpoint-dir {tmp}/ck",
     quadratic_checkpoint, 2,
     r"--checkpoint-dir \S+/ck already holds a checkpoint of quadratic_fit at step 5; "
     r"add --resume to continue it, or choose another folder"),
    ("checkpoint-of-another-program", "mantle", "--checkpoint-dir {tmp}/ck --resume",
     quadratic_checkpoint, 2,
     r"\S+/ck holds a checkpoint of quadratic_fit, not of mantle_stability"),
    ("checkpoint-other-seed", "mantle",
     "--checkpoint-dir {tmp}/ck --resume --seed 2 " + " ".join(TINY_MANTLE),
     mantle_checkpoint, 2,
     r"the checkpoint in \S+/ck was made with --seed 1; this run has --seed 2 "
     r"\(resume with the same settings, or use another folder\)"),
    ("checkpoint-other-data", "mantle",
     "--checkpoint-dir {tmp}/ck --resume --instances 300 --batch-size 10 --steps 5",
     mantle_checkpoint, 2,
     r"the checkpoint in \S+/ck was made with --instances 200; this run has "
     r"--instances 300 \(resume with the same settings, or use another folder\)"),
    ("checkpoint-past-steps", "quadratic",
     "--checkpoint-dir {tmp}/ck --resume --steps 3", quadratic_checkpoint, 2,
     r"the checkpoint in \S+/ck is at step 5, past --steps 3"),
    ("checkpoint-manifest-garbage", "quadratic", "--checkpoint-dir {tmp}/ck --resume",
     garbage_manifest, 2,
     r"\S+/ck/manifest.json is not a checkpoint manifest of this project"),
    ("checkpoint-variables-truncated", "quadratic",
     "--checkpoint-dir {tmp}/ck --resume --steps 10", truncated_variables, 2,
     UNREADABLE_VARIABLES),
    ("checkpoint-index-garbage", "quadratic",
     "--checkpoint-dir {tmp}/ck --resume --steps 10", garbage_index, 2,
     UNREADABLE_VARIABLES),
    ("checkpoint-state-missing", "quadratic",
     "--checkpoint-dir {tmp}/ck --resume --steps 10", missing_state, 2,
     r"\S+/ck/ckpt-5.state.npz cannot be read: No such file or directory"),
    ("checkpoint-graph-mismatch", "mantle",
     "--checkpoint-dir {tmp}/ck --resume " + " ".join(TINY_MANTLE),
     quadratic_variables_under_a_mantle_manifest, 2,
     r"checkpoint \S+/ck/ckpt-5 does not fit this program's graph: it lacks "
     r"fc_layer_1/bias, fc_layer_1/bias/Adam, fc_layer_1/bias/Adam_1 and 21 more; "
     r"it has w, w/Adam, w/Adam_1 that the graph has not"),
    ("job-checked-before-it-runs", "job",
     "--checkpoint-dir {tmp}/ck --resume " + " ".join(TINY_MANTLE),
     mantle_job_checkpoint_of_another_seed, 2,
     r"the checkpoint in \S+/ck/mantle_stability was made with --seed 9; this run "
     r"has --seed 1 \(resume with the same settings, or use another folder\)"),
    ("job-damaged-checkpoint", "job",
     "--checkpoint-dir {tmp}/ck --resume " + " ".join(TINY_MANTLE),
     mantle_job_checkpoint_truncated, 2,
     r"checkpoint \S+/ck/mantle_stability/ckpt-\d+ cannot be read: (?!Graph)\w.+"),
    ("checkpoint-state-garbage", "quadratic",
     "--checkpoint-dir {tmp}/ck --resume --steps 10", garbage_state, 2,
     r"\S+/ck/ckpt-5.state.npz cannot be read: not a state file of this project"),
    ("out-cannot-be-made", "quadratic", "--out /proc/lecture1-out", None, 2,
     r"--out /proc/lecture1-out cannot be written: No such file or directory"),
    ("job-split-rate", "job", "--split-rate 2", None, 2,
     r"argument --split-rate: must be between 0 and 1 \(exclusive\), got 2"),
    ("loss-overflows", "quadratic", "--learning-rate 1e30 --steps 10", None, 1,
     r"the loss became inf at step 1; training stopped there "
     r"\(a smaller --learning-rate may help\)"),
]
if not visible_gpus():
    CLI_CASES.append(("gpu-missing", "hello", "--device gpu", None, 2,
                      r"--device gpu was asked for, but no GPU is visible"))

# Lines a run may print on stderr besides its one error line.
NOTES = (r"device: \w+", r"resuming from \S+ at step \d+",
         r"no checkpoint in \S+ yet; starting at step 0")


def call_main(program, argv):
    """main(argv)'s exit status, whether it returns it or argparse exits."""
    try:
        return PROGRAMS[program].main(argv)
    except SystemExit as stop:
        return stop.code


@pytest.mark.parametrize("case", CLI_CASES, ids=[case[0] for case in CLI_CASES])
def test_bad_command_line(case, tmp_path, capsys, saved):
    _, program, flags, setup, status, message = case
    if setup is a_file:
        setup(tmp_path)
    elif setup is not None:
        setup(tmp_path, saved)
    before = all_files(tmp_path)
    argv = flags.format(tmp=tmp_path).split()
    if "--out" not in argv and program in ("quadratic", "mantle", "job"):
        argv += ["--out", str(tmp_path / "out")]  # never the working folder

    code = call_main(program, argv)
    captured = capsys.readouterr()

    assert code == status
    errors = [line for line in captured.err.splitlines()
              if not any(fullmatch(note, line) for note in NOTES)]
    assert len(errors) == 1, captured.err
    expected = "{}: error: {}".format(PROGS[program], message)
    assert fullmatch(expected, errors[0]), errors[0]
    assert "Traceback" not in captured.err
    if program == "job":
        assert captured.out == ""  # refused before the first program ran
    assert all_files(tmp_path) == before
    assert partial_files(tmp_path) == []


def fullmatch(pattern, line):
    return re.fullmatch(pattern, line) is not None


@pytest.mark.parametrize("argv, message", [
    (["--steps", "0"], "quadratic_fit.py: error: argument --steps: must be a "
                       "positive integer, got 0"),
    (["--learning-rate", "1e30", "--steps", "10"],
     "quadratic_fit.py: error: the loss became inf at step 1; training stopped "
     "there (a smaller --learning-rate may help)"),
])
def test_bad_command_line_in_a_real_process(argv, message, tmp_path):
    done = run_script("quadratic_fit", *argv, "--out", tmp_path / "out")
    assert done.returncode in (1, 2)
    assert done.stderr.splitlines()[-1] == message
    assert [line for line in done.stderr.splitlines()
            if line != "device: cpu"] == [message]
    assert all_files(tmp_path) == []


# Public functions handed bad data: (id, call, message of the ValueError).
def train_set(rows=50, width=8, labels=None):
    return {"input": np.zeros([rows, width]),
            "label": np.zeros([rows if labels is None else labels, 2])}


def layer_on(shape, dtype=tf.float32, **kwargs):
    with fresh_graph():
        kwargs.setdefault("n_out", 4)
        kwargs.setdefault("name", "fc")
        return full_connection_layer(tf1.placeholder(dtype, shape), **kwargs)


def layer_on_array():
    with fresh_graph():
        return full_connection_layer(np.zeros([3, 8], np.float32), 4, name="fc")


FUNCTION_CASES = [
    ("data-set-no-rows", lambda: mantle_stability.generate_data_set(0, echo=None),
     "instance_num must be a positive integer, got 0"),
    ("data-set-negative", lambda: mantle_stability.generate_data_set(-100, echo=None),
     "instance_num must be a positive integer, got -100"),
    ("data-set-fraction", lambda: mantle_stability.generate_data_set(2.5, echo=None),
     "instance_num must be a positive integer, got 2.5"),
    ("data-set-beyond-numpy",
     lambda: mantle_stability.generate_data_set(10**30, echo=None),
     "instance_num 1000000000000000000000000000000 is more rows than a NumPy array "
     "can hold (at most 144115188075855871)"),
    ("data-set-bad-cube",
     lambda: mantle_stability.generate_data_set(10, echo=None, cube="bogus"),
     "cube must be one of depth, thickness, got 'bogus'"),
    ("data-set-bad-echo", lambda: mantle_stability.generate_data_set(10, echo=3),
     "echo must be a function of one line, or None; got 3"),
    ("data-set-split-above-one",
     lambda: mantle_stability.generate_data_set(10, 1.5, echo=None),
     "split_rate must be a number between 0 and 1, got 1.5"),
    ("data-set-split-word", lambda: mantle_stability.generate_data_set(10, "a"),
     "split_rate must be a number between 0 and 1, got 'a'"),
    ("data-set-split-nan",
     lambda: mantle_stability.generate_data_set(10, float("nan"), echo=None),
     "split_rate must be a number between 0 and 1, got nan"),
    ("data-set-one-row", lambda: mantle_stability.generate_data_set(1, echo=None),
     "instance_num 1 with split_rate 0.5 leaves 0 training and 1 test rows; both "
     "need at least one"),
    ("batch-wrong-width",
     lambda: mantle_stability.get_traning_batch(train_set(width=7), 5, 8),
     "train_set['input'] has shape (50, 7), expected [n, 8]"),
    ("batch-labels-short",
     lambda: mantle_stability.get_traning_batch(train_set(labels=3), 5, 8),
     "train_set['label'] has shape (3, 2), expected [50, 2]"),
    ("batch-size-zero", lambda: mantle_stability.get_traning_batch(train_set(), 0, 8),
     "batch_size must be a positive integer, got 0"),
    ("batch-size-float",
     lambda: mantle_stability.get_traning_batch(train_set(), 2.0, 8),
     "batch_size must be a positive integer, got 2.0"),
    ("batch-empty-set",
     lambda: mantle_stability.get_traning_batch(train_set(rows=0), 5, 8),
     "train_set has no rows to draw a batch from"),
    ("batch-no-labels",
     lambda: mantle_stability.get_traning_batch({"input": np.zeros([5, 8])}, 5, 8),
     "train_set must be a dict with 'input' and 'label' arrays, as "
     "generate_data_set returns"),
    ("layer-rank-1", lambda: layer_on([8]),
     "input_tensor must have shape [batch, n_in] with n_in known, got [8]"),
    ("layer-unknown-width", lambda: layer_on([None, None]),
     "input_tensor must have shape [batch, n_in] with n_in known, got [None, None]"),
    ("layer-int-input", lambda: layer_on([None, 8], tf.int32),
     "input_tensor must be a float tensor, got int32"),
    ("layer-array-input", layer_on_array,
     "input_tensor must be a Tensor, got ndarray"),
    ("layer-no-units", lambda: layer_on([None, 8], n_out=0),
     "n_out must be a positive integer, got 0"),
    ("layer-no-name", lambda: layer_on([None, 8], name=None),
     "full_connection_layer needs a name for its variable scope, e.g. "
     "name='fc_layer_1'; got None"),
]


@pytest.mark.parametrize("case", FUNCTION_CASES,
                         ids=[case[0] for case in FUNCTION_CASES])
def test_bad_data_to_public_functions(case):
    _, call, message = case
    with pytest.raises(ValueError) as raised:
        call()
    assert str(raised.value) == message
    assert "\n" not in str(raised.value)


def test_corpus_is_large_enough():
    assert len(CLI_CASES) + len(FUNCTION_CASES) >= 30


def test_real_process_refuses_another_programs_checkpoint(tmp_path, saved):
    shutil.copytree(saved / "quadratic", tmp_path / "ck")
    done = subprocess.run(
        [*script_command("mantle_stability"), "--checkpoint-dir",
         str(tmp_path / "ck"), "--resume", "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
        env=script_env())
    assert done.returncode == 2
    assert done.stderr == ("mantle_stability.py: error: {} holds a checkpoint of "
                           "quadratic_fit, not of mantle_stability\n".format(
                               tmp_path / "ck"))


@pytest.mark.parametrize("kwargs", [{"cube": "bogus"}, {"echo": 3}, {"split_rate": 1.5}])
def test_a_refused_data_set_leaves_numpys_stream_where_it_was(kwargs):
    np.random.seed(7)
    _, key, position, *_ = np.random.get_state()
    with pytest.raises(ValueError):
        mantle_stability.generate_data_set(10, **kwargs)
    _, key_after, position_after, *_ = np.random.get_state()
    np.testing.assert_array_equal(key_after, key)
    assert position_after == position


def test_atomic_writes_never_replace_a_pipe_or_device(tmp_path):
    from graph_examples.output import write_text

    pipe = tmp_path / "pipe"
    os.mkfifo(str(pipe))
    with pytest.raises(FileExistsError) as raised:
        write_text(str(pipe), "x")
    assert str(raised.value) == (
        "{} exists and is not a regular file; it was left as it is".format(pipe))
    assert stat.S_ISFIFO(os.stat(str(pipe)).st_mode)
    assert os.listdir(str(tmp_path)) == ["pipe"]  # no temp file left
