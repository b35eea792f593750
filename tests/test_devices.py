"""--device auto|cpu|gpu: where the ops ran, from the session's own step stats.

A traced sess.run (RunOptions FULL_TRACE) returns, per device, every node it
executed: the same evidence log_device_placement prints, as data. The GPU
tests run only where a GPU is visible and skip with the reason elsewhere.
"""

import numpy as np
import pytest

from graph_examples import (hello_world, mantle_stability, multiply_matrices,
                            quadratic_fit, run_lecture)
from graph_examples.tf1 import (fresh_graph, make_session, resolve_device, tf1,
                                visible_gpus)

needs_gpu = pytest.mark.skipif(not visible_gpus(), reason="no GPU is visible here")


def placements(sess, fetches, feed=None):
    """{device name: [node names]} of the nodes one traced run executed."""
    options = tf1.RunOptions(trace_level=tf1.RunOptions.FULL_TRACE)
    metadata = tf1.RunMetadata()
    sess.run(fetches, feed, options=options, run_metadata=metadata)
    return {stats.device: [node.node_name for node in stats.node_stats]
            for stats in metadata.step_stats.dev_stats if stats.node_stats}


def quadratic_fetches():
    with fresh_graph() as graph:
        model = quadratic_fit.build_graph()
    x, y = quadratic_fit.draw_batches(3)
    feed = {model.trainer.chunk_inputs[0]: x, model.trainer.chunk_inputs[1]: y}
    return graph, model.init_op, model.trainer.chunk_losses, feed


def mantle_fetches():
    train_set, _ = mantle_stability.generate_data_set(200, 0.5, echo=None)
    with fresh_graph() as graph:
        model = mantle_stability.build_graph()
    inputs, labels = mantle_stability.draw_batches(train_set, 10, 8, 3)
    feed = dict(zip(model.trainer.chunk_inputs, (inputs, labels)))
    return graph, model.init_op, model.trainer.chunk_losses, feed


def simple_fetches(build):
    with fresh_graph() as graph:
        built = build()
    return graph, None, built, None


PROGRAM_GRAPHS = {
    "hello_world": lambda: simple_fetches(hello_world.build_graph),
    "multiply_matrices": lambda: simple_fetches(multiply_matrices.build_graph),
    "quadratic_fit": quadratic_fetches,
    "mantle_stability": mantle_fetches,
}


@pytest.mark.parametrize("program", sorted(PROGRAM_GRAPHS))
def test_cpu_session_runs_every_op_on_the_cpu(program):
    graph, init_op, fetches, feed = PROGRAM_GRAPHS[program]()

    # No tf.device scope: placement is the session's choice alone.
    assert {op.device for op in graph.get_operations()} == {""}

    with make_session(graph, "cpu") as sess:
        if init_op is not None:
            sess.run(init_op)
        ran = placements(sess, fetches, feed)
    assert list(ran) == ["/job:localhost/replica:0/task:0/device:CPU:0"]
    assert len(ran["/job:localhost/replica:0/task:0/device:CPU:0"]) > 1


@pytest.mark.skipif(bool(visible_gpus()), reason="this machine has a GPU")
def test_auto_means_cpu_where_no_gpu_is_visible():
    assert resolve_device("auto") == "cpu"


@pytest.mark.parametrize("program", [hello_world, multiply_matrices])
def test_scripts_say_which_device_ran_them(program, capsys):
    assert program.main(["--device", "cpu"]) == 0
    assert capsys.readouterr().err == "device: cpu\n"


def test_the_main_jobs_report_names_the_device(tmp_path, capsys):
    argv = ["--steps", "3", "--instances", "200", "--batch-size", "10",
            "--device", "cpu", "--out", str(tmp_path)]
    assert run_lecture.main(argv) == 0
    settings = [line for line in (tmp_path / "report.md").read_text().splitlines()
                if line.startswith("Settings: ")]
    assert len(settings) == 1 and "device=cpu" in settings[0].split(", ")
    assert "device: cpu" in capsys.readouterr().err.splitlines()


@pytest.mark.gpu
@needs_gpu
def test_auto_means_gpu_where_one_is_visible():
    assert resolve_device("auto") == "gpu"


@pytest.mark.gpu
@needs_gpu
def test_gpu_session_runs_the_matrix_product_on_gpu_0():
    graph, _, fetches, _ = simple_fetches(multiply_matrices.build_graph)
    with make_session(graph, "gpu") as sess:
        ran = placements(sess, fetches)
    gpu = [device for device in ran if device.endswith("device:GPU:0")]
    assert gpu and any(name.startswith("MatMul") for name in ran[gpu[0]])


@pytest.mark.gpu
@needs_gpu
def test_cpu_session_hides_a_visible_gpu():
    graph, init_op, fetches, feed = mantle_fetches()
    with make_session(graph, "cpu") as sess:
        sess.run(init_op)
        ran = placements(sess, fetches, feed)
    assert not any("GPU" in device for device in ran)


@pytest.mark.gpu
@needs_gpu
def test_gpu_and_cpu_losses_agree_closely():
    """GPU kernels sum in other orders: close, not bit-identical. rtol 1e-3
    allows float32 drift over a few hundred Adam steps (not yet run on a GPU
    machine: the first run there should tighten it to what it sees)."""
    on_cpu = quadratic_fit.run(steps=300, device="cpu", echo=None)
    on_gpu = quadratic_fit.run(steps=300, device="gpu", echo=None)
    np.testing.assert_allclose(on_gpu.losses, on_cpu.losses, rtol=1e-3)
