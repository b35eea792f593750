"""Checkpoints: save, resume, and a resumed run ends with an unbroken run's numbers.

"The same" here is bit for bit: np.testing.assert_array_equal, no tolerance.
A resumed run restores the weights, Adam's slots and beta powers, NumPy's
random state and the losses so far, so nothing is left to differ.
"""

import json
import os

import numpy as np
import pytest

from graph_examples import checkpoints, mantle_stability, quadratic_fit
from graph_examples.supervisor import SupervisorConfig, TrainingInterrupted
from graph_examples.tf1 import tf1
from maintainers_support import (MANTLE, QUADRATIC, all_files, interrupt_on,
                                 partial_files)


def resumable(folder, **more):
    return SupervisorConfig(checkpoint_dir=str(folder), resume=True, **more)


def assert_same_quadratic(ours, reference):
    assert ours.lines == reference.lines
    np.testing.assert_array_equal(ours.losses, reference.losses)
    assert [d["step"] for d in ours.inspect_list] == [
        d["step"] for d in reference.inspect_list]
    for mine, theirs in zip(ours.inspect_list, reference.inspect_list):
        np.testing.assert_array_equal(mine["w"], theirs["w"])


@pytest.fixture(scope="module")
def quadratic_whole():
    """An unbroken 1500-step run, per loop."""
    return {loop: quadratic_fit.run(loop=loop, echo=None, **QUADRATIC)
            for loop in ("ingraph", "feed")}


@pytest.mark.parametrize("loop", ["ingraph", "feed"])
def test_quadratic_interrupted_then_resumed_ends_as_an_unbroken_run(
        tmp_path, loop, quadratic_whole):
    # Ctrl-C at step 0 stops after the first block (1000 steps), and saves.
    with pytest.raises(TrainingInterrupted, match="stopped after step 1000 of 1500"):
        quadratic_fit.run(loop=loop, echo=interrupt_on("STEP     0"),
                          supervise=resumable(tmp_path), **QUADRATIC)
    assert checkpoints.find(str(tmp_path)).step == 1000

    resumed = quadratic_fit.run(loop=loop, echo=None, supervise=resumable(tmp_path),
                                **QUADRATIC)
    assert_same_quadratic(resumed, quadratic_whole[loop])
    assert checkpoints.find(str(tmp_path)).step == 1500


def test_mantle_interrupted_then_resumed_ends_as_an_unbroken_run(tmp_path):
    whole = mantle_stability.run(echo=None, **MANTLE)

    # The first printed loss is the second line, after 'Stable:... UnStable:...'.
    with pytest.raises(TrainingInterrupted, match="stopped after step 1000 of 2500"):
        mantle_stability.run(echo=interrupt_on(whole.lines[1]),
                             supervise=resumable(tmp_path), **MANTLE)

    resumed = mantle_stability.run(echo=None, supervise=resumable(tmp_path), **MANTLE)
    assert resumed.lines == whole.lines
    np.testing.assert_array_equal(resumed.losses, whole.losses)
    np.testing.assert_array_equal(resumed.test_pred, whole.test_pred)
    assert resumed.accuracy == whole.accuracy


def test_a_longer_run_can_go_on_from_a_finished_one(tmp_path, quadratic_whole):
    quadratic_fit.run(steps=700, echo=None, supervise=resumable(tmp_path))
    longer = quadratic_fit.run(echo=None, supervise=resumable(tmp_path), **QUADRATIC)
    assert_same_quadratic(longer, quadratic_whole["ingraph"])


def test_resuming_a_finished_run_repeats_its_lines_without_training(tmp_path):
    first = quadratic_fit.run(steps=300, echo=None, supervise=resumable(tmp_path))
    files = {name: os.path.getmtime(tmp_path / name) for name in all_files(tmp_path)}

    again = quadratic_fit.run(steps=300, echo=None, supervise=resumable(tmp_path))
    assert_same_quadratic(again, first)
    # Nothing trained, so nothing was saved again.
    assert {name: os.path.getmtime(tmp_path / name)
            for name in all_files(tmp_path)} == files


def test_save_every_keeps_only_the_latest_complete_checkpoint(tmp_path):
    quadratic_fit.run(steps=1200, echo=None,
                      supervise=SupervisorConfig(checkpoint_dir=str(tmp_path),
                                                 save_every=500))
    assert all_files(tmp_path) == ["checkpoint", "ckpt-1200.data-00000-of-00001",
                                   "ckpt-1200.index", "ckpt-1200.state.npz",
                                   "manifest.json"]
    assert partial_files(tmp_path) == []

    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["program"] == "quadratic_fit"
    assert manifest["step"] == 1200
    assert manifest["settings"] == {"seed": 1, "learning_rate": 0.001}

    # TensorFlow's own pointer names the same checkpoint.
    assert tf1.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "ckpt-1200")


def test_periodic_checkpoint_holds_that_steps_state(tmp_path, quadratic_whole):
    """Stop by Ctrl-C after the 500-step save: the checkpoint is step 500's."""
    config = resumable(tmp_path, save_every=500)
    with pytest.raises(TrainingInterrupted, match="after step 500 "):
        quadratic_fit.run(echo=interrupt_on("STEP     0"), supervise=config,
                          **QUADRATIC)
    state = checkpoints.load_state(checkpoints.find(str(tmp_path)))
    np.testing.assert_array_equal(state.losses, quadratic_whole["ingraph"].losses[:500])

    resumed = quadratic_fit.run(echo=None, supervise=config, **QUADRATIC)
    assert_same_quadratic(resumed, quadratic_whole["ingraph"])


def test_checkpoint_holds_weights_adam_slots_and_beta_powers(tmp_path):
    quadratic_fit.run(steps=5, echo=None,
                      supervise=SupervisorConfig(checkpoint_dir=str(tmp_path)))
    stored = dict(tf1.train.list_variables(str(tmp_path / "ckpt-5")))
    assert stored == {"w": [3, 1], "w/Adam": [3, 1], "w/Adam_1": [3, 1],
                      "beta1_power": [], "beta2_power": []}

    # Adam's beta1_power is beta1 ** steps after `steps` updates.
    reader = tf1.train.NewCheckpointReader(str(tmp_path / "ckpt-5"))
    assert reader.get_tensor("beta1_power") == pytest.approx(0.9 ** 6, rel=1e-6)


def test_main_job_keeps_one_checkpoint_folder_per_training_program(tmp_path, capsys):
    from graph_examples import run_lecture

    argv = ["--steps", "20", "--instances", "300", "--batch-size", "10",
            "--out", str(tmp_path / "out"), "--checkpoint-dir", str(tmp_path / "ck")]
    assert run_lecture.main(argv) == 0
    assert checkpoints.find(str(tmp_path / "ck" / "quadratic_fit")).step == 20
    assert checkpoints.find(str(tmp_path / "ck" / "mantle_stability")).step == 20
    first = capsys.readouterr().out

    # Resuming both finished programs prints the same lecture lines.
    assert run_lecture.main(argv + ["--resume"]) == 0
    assert capsys.readouterr().out == first
