"""TensorBoard event files: the graph, and the loss (and accuracy) per step.

The scalars are written from the losses the training loop already returns
(tf1.Summary protos), not by summary ops in the graph, so the graph and its
printed tensors stay the lecture's. `tensorboard --logdir DIR` shows them.
"""

import time

from graph_examples.tf1 import tf1


class EventLog:
    """A tf1.summary.FileWriter for one run in `logdir`."""

    def __init__(self, logdir, graph, resumed_at=None):
        # TensorFlow names event files by the second and the host; the suffix
        # keeps two runs in one second apart, in the order they started.
        suffix = ".{:020d}".format(time.time_ns())
        self._writer = tf1.summary.FileWriter(logdir, graph=graph,
                                              filename_suffix=suffix)
        if resumed_at is not None:
            # TensorBoard drops events past this step from earlier files: an
            # interrupted run may have logged steps its checkpoint lacks.
            self._writer.add_session_log(
                tf1.SessionLog(status=tf1.SessionLog.START), resumed_at)

    def scalar(self, tag, step, value):
        summary = tf1.Summary(value=[tf1.Summary.Value(tag=tag,
                                                       simple_value=float(value))])
        self._writer.add_summary(summary, global_step=step)

    def scalars(self, tag, first_step, values):
        """values[i] as `tag` at step first_step + i, then flush to disk."""
        for offset, value in enumerate(values):
            self.scalar(tag, first_step + offset, value)
        self._writer.flush()

    def close(self):
        self._writer.close()
