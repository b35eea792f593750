"""--logdir: TensorBoard event files hold the graph and every step's loss.

Read back with tf1.train.summary_iterator, as TensorBoard reads them. Scalar
summaries store float32, the dtype of the losses, so values compare exactly.
"""

import glob

import numpy as np

from graph_examples import mantle_stability, quadratic_fit
from graph_examples.supervisor import SupervisorConfig
from graph_examples.tf1 import tf1
from maintainers_support import MANTLE, interrupt_on


def read_events(logdir):
    """Every event of every event file in `logdir`, oldest file first."""
    files = sorted(glob.glob(str(logdir / "events.out.tfevents.*")))
    assert files, "no event file in {}".format(logdir)
    return [event for path in files for event in tf1.train.summary_iterator(path)]


def scalars(events, tag):
    """{step: value} of the scalar summaries tagged `tag`."""
    return {event.step: value.simple_value for event in events
            for value in event.summary.value if value.tag == tag}


def graph_nodes(events):
    graphs = [event.graph_def for event in events if event.graph_def]
    assert len(graphs) == 1
    graph_def = tf1.GraphDef()
    graph_def.ParseFromString(graphs[0])
    return {node.name for node in graph_def.node}


def test_quadratic_logs_its_graph_and_every_loss(tmp_path):
    result = quadratic_fit.run(steps=1200, echo=None,
                               supervise=SupervisorConfig(logdir=str(tmp_path)))
    events = read_events(tmp_path)

    assert {"w", "Placeholder", "Placeholder_1"} <= graph_nodes(events)
    loss = scalars(events, "loss")
    assert sorted(loss) == list(range(1200))
    np.testing.assert_array_equal(np.array([loss[step] for step in range(1200)],
                                           dtype=np.float32), result.losses)


def test_mantle_logs_loss_and_test_accuracy(tmp_path):
    result = mantle_stability.run(echo=None,
                                  supervise=SupervisorConfig(logdir=str(tmp_path)),
                                  **MANTLE)
    events = read_events(tmp_path)

    assert {"input", "label", "fc_layer_1/weight", "pred_output"} <= graph_nodes(events)
    loss = scalars(events, "loss")
    np.testing.assert_array_equal(np.array([loss[step] for step in sorted(loss)],
                                           dtype=np.float32), result.losses)
    assert scalars(events, "accuracy") == {len(result.losses) - 1: result.accuracy}


def test_a_resumed_run_marks_where_it_went_on(tmp_path):
    """The resumed run's file starts with SessionLog START at the resume step,
    which tells TensorBoard to drop later steps of older files."""
    config = SupervisorConfig(checkpoint_dir=str(tmp_path / "ck"), resume=True,
                              logdir=str(tmp_path / "logs"))
    try:
        quadratic_fit.run(steps=1500, echo=interrupt_on("STEP     0"),
                          supervise=config)
    except KeyboardInterrupt:
        pass
    whole = quadratic_fit.run(steps=1500, echo=None, supervise=config)

    events = read_events(tmp_path / "logs")
    starts = [event.step for event in events
              if event.HasField("session_log")
              and event.session_log.status == tf1.SessionLog.START]
    assert starts == [1000]
    loss = scalars(events, "loss")
    np.testing.assert_array_equal(np.array([loss[step] for step in range(1500)],
                                           dtype=np.float32), whole.losses)
