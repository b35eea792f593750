"""Faults: a loss gone NaN or infinite, Ctrl-C, and running twice in one process.

Each fault ends with one line that says what happened and where, a
non-zero exit status, and output files that are either complete or absent.
"""

import signal
import subprocess

import numpy as np
import pytest

from graph_examples import checkpoints, mantle_stability, quadratic_fit
from graph_examples.supervisor import Supervisor, TrainingDiverged
from graph_examples.tf1 import fresh_graph, make_session, tf, tf1
from graph_examples.training import build_trainer
from maintainers_support import (MANTLE, all_files, partial_files, script_command,
                                 script_env)


def out_flags(tmp_path):
    return ["--out", str(tmp_path / "out")]


def test_infinite_loss_stops_with_one_line_naming_the_step(tmp_path, capsys):
    ck = tmp_path / "ck"
    status = quadratic_fit.main(["--steps", "50", "--learning-rate", "1e30",
                                 "--checkpoint-dir", str(ck), "--save-every", "1"]
                                + out_flags(tmp_path))
    captured = capsys.readouterr()

    assert status == 1
    assert captured.err.splitlines()[-1] == (
        "quadratic_fit.py: error: the loss became inf at step 1; training stopped "
        "there (a smaller --learning-rate may help)")
    assert captured.out == "STEP     0: loss_val 2267546.0\n"

    # No figure; the last checkpoint is the last good step's, and complete.
    assert all_files(tmp_path / "out") == []
    assert checkpoints.find(str(ck)).step == 1
    assert partial_files(tmp_path) == []


def test_the_first_bad_step_is_named_even_inside_a_later_chunk():
    """A NaN fed at step 1234 (the second in-graph chunk) is reported there."""
    bad_step = 1234
    drawn = []

    def draw_batches(steps):
        first = len(drawn)
        drawn.extend(range(steps))
        xs = np.arange(first, first + steps, dtype=np.float32)
        xs[xs == bad_step] = np.nan
        return (xs,)

    with fresh_graph() as graph:
        x = tf1.placeholder(tf.float32, [])
        v = tf1.get_variable("v", [], initializer=tf1.ones_initializer())
        trainer = build_trainer((x,), lambda x: x * v,
                                tf1.train.GradientDescentOptimizer(0.0))
        init_op = tf1.global_variables_initializer()

    with Supervisor("probe", {}, 3000) as supervisor, make_session(graph) as sess:
        supervisor.start(sess, init_op)
        with pytest.raises(TrainingDiverged, match="became nan at step 1234;"):
            supervisor.train(sess, trainer, draw_batches, "ingraph")
    # It stopped after the chunk that held step 1234, with the next one drawn
    # ahead (the helper draws a chunk ahead, across blocks too).
    assert len(drawn) == 3000


def press_ctrl_c(times):
    """A draw_batches that presses Ctrl-C `times` times on its first call."""
    original = quadratic_fit.draw_batches
    calls = []

    def draw_batches(steps):
        if not calls:
            for _ in range(times):
                signal.raise_signal(signal.SIGINT)
        calls.append(steps)
        return original(steps)

    return draw_batches


def test_ctrl_c_without_checkpoints_says_where_it_stopped(
        tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(quadratic_fit, "draw_batches", press_ctrl_c(1))
    status = quadratic_fit.main(["--steps", "1500"] + out_flags(tmp_path))
    err = capsys.readouterr().err.splitlines()

    assert status == 130
    assert err[-1] == ("quadratic_fit.py: stopped after step 1000 of 1500; nothing "
                       "saved (--checkpoint-dir keeps progress)")
    assert all_files(tmp_path) == []
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_second_ctrl_c_stops_at_once_and_saves_nothing(
        tmp_path, capsys, monkeypatch):
    # The feed loop draws on the main thread, so the two presses arrive as two
    # signals; the in-graph loop draws ahead on a helper thread, where two
    # back-to-back raise_signal calls can merge into one.
    monkeypatch.setattr(quadratic_fit, "draw_batches", press_ctrl_c(2))
    status = quadratic_fit.main(["--steps", "1500", "--loop", "feed", "--checkpoint-dir",
                                 str(tmp_path / "ck")] + out_flags(tmp_path))

    assert status == 130
    assert capsys.readouterr().err.splitlines()[-1] == (
        "quadratic_fit.py: interrupted; files already written are complete")
    assert all_files(tmp_path) == []
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_ctrl_c_in_a_real_process_saves_a_checkpoint_of_that_step(tmp_path):
    """SIGINT to a running script, as a terminal's Ctrl-C sends it."""
    ck, out = tmp_path / "ck", tmp_path / "out"
    process = subprocess.Popen(
        script_command("quadratic_fit", "--steps", "200000", "--checkpoint-dir", ck,
                       "--out", out),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=script_env(),
        stdin=subprocess.DEVNULL)
    try:
        # STEP 0 is printed inside the first block, once training runs.
        assert process.stdout.readline() == "STEP     0: loss_val 2267546.0\n"
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=120)
    finally:
        process.kill()

    assert process.returncode == 130
    last = err.splitlines()[-1]
    assert last.startswith("quadratic_fit.py: stopped after step ")
    assert last.endswith(" of 200000; checkpoint saved in {} (add --resume to go "
                         "on)".format(ck))
    assert "Traceback" not in err

    # The checkpoint is the step the line names, and holds that run's losses.
    step = int(last.split("after step ")[1].split()[0])
    checkpoint = checkpoints.find(str(ck))
    assert checkpoint.step == step and step % 1000 == 0
    state = checkpoints.load_state(checkpoint)
    np.testing.assert_array_equal(state.losses,
                                  quadratic_fit.run(steps=step, echo=None).losses)
    assert partial_files(tmp_path) == []
    assert not out.exists() or all_files(out) == []


def test_a_program_runs_twice_in_one_process(tmp_path, capsys):
    argv = ["--steps", "1200"] + out_flags(tmp_path)
    assert quadratic_fit.main(argv) == 0
    first = capsys.readouterr().out
    assert quadratic_fit.main(argv) == 0
    assert capsys.readouterr().out == first

    once, twice = (mantle_stability.run(echo=None, **MANTLE) for _ in range(2))
    assert once.lines == twice.lines
    np.testing.assert_array_equal(once.losses, twice.losses)


def test_an_ignored_ctrl_c_stays_ignored(tmp_path, capsys, monkeypatch):
    """A background job or nohup ignores SIGINT; training must not undo that."""
    monkeypatch.setattr(quadratic_fit, "draw_batches", press_ctrl_c(1))
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        status = quadratic_fit.main(["--steps", "1500"] + out_flags(tmp_path))
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
    assert status == 0
    assert all_files(tmp_path / "out") == ["quadratic_fit.png"]
