"""The training loop both lecture programs share, in two equivalent forms.

`feed`: the slides' loop, one `sess.run([train_op, loss], feed_dict)` a step.

`ingraph`: the same steps, many per `sess.run`. The batches are still drawn
with the lecture's NumPy calls, in the lecture's order, stacked and fed in
one go; a `tf.while_loop` then applies one Adam step per batch and records
each step's loss. Each step computes what the feed loop computes, in the same
order, so the losses agree bit for bit; only the per-step Python and session
overhead goes away.

Two things keep the in-graph loop fed. The next segment's batches are drawn
on a helper thread while TensorFlow trains on the current one, so NumPy and
TensorFlow use both cores; the draws still happen one after another, in the
slides' order. And batches that are rows of fixed tables (the mantle data
set, a `RowBatches`) are gathered from float32 copies of the tables, made
once, instead of being cast from float64 at every feed.
"""

import concurrent.futures
import dataclasses

import numpy as np

from graph_examples.tf1 import tf, tf1

LOOPS = ("feed", "ingraph")
DEFAULT_LOOP = "ingraph"
CHUNK_STEPS = 1000  # steps per sess.run in the in-graph loop
# At most this many input values a chunk (32 MB of float32: the mantle's
# 1000 steps of 1000 rows of 8), so a large batch size gets shorter chunks
# instead of gigabytes of stacked batches.
CHUNK_VALUES = 8_000_000


@dataclasses.dataclass
class Trainer:
    placeholders: tuple  # one step's inputs, fed by the feed loop
    loss: tf.Tensor  # float32 scalar on `placeholders`
    train_op: tf.Operation  # one optimiser step on `placeholders`
    chunk_inputs: tuple  # the same inputs with a leading [steps] axis
    chunk_losses: tf.Tensor  # float32 [steps], one loss per step run


@dataclasses.dataclass
class RowBatches:
    """Batches made of rows of fixed tables, drawn by row id.

    Called with k it returns the next k steps' batches, stacked along a
    leading axis, like any draw_batches function.
    """
    tables: tuple  # NumPy arrays [n, ...], one per trainer input
    draw_ids: object  # k -> int array [k, batch], the next k steps' row ids

    def __call__(self, steps):
        ids = self.draw_ids(steps)
        # np.take copies rows about three times faster than tables[ids].
        return tuple(np.take(table, ids, axis=0) for table in self.tables)

    def cast(self, dtypes):
        """The same batches from tables cast to `dtypes`, cast once here.

        Casting rows after gathering them or before gives the same numbers.
        """
        tables = tuple(table.astype(dtype, copy=False)
                       for table, dtype in zip(self.tables, dtypes))
        return RowBatches(tables, self.draw_ids)


def build_trainer(placeholders, loss_fn, optimizer, loss=None, step_shapes=None):
    """Both loops for the loss `loss_fn(*inputs)`, sharing its variables.

    loss_fn must create its variables with tf1.get_variable (or capture
    them), so the in-graph copy reuses them instead of making new ones.
    `loss`, when given, is loss_fn(*placeholders) already built by the caller.
    step_shapes, when given, are the full shapes of one step's inputs where
    the placeholders leave them open (the batch size, say): the in-graph
    loop then knows every shape, and TensorFlow folds the shape arithmetic
    of the gradients out of each step (same numbers, about 10-20% faster).
    """
    if loss is None:
        loss = loss_fn(*placeholders)
    train_op = optimizer.minimize(loss)  # creates Adam's slots, once
    if step_shapes is None:
        step_shapes = [p.shape for p in placeholders]
    chunk_inputs = tuple(_chunk_placeholder(p, shape)
                         for p, shape in zip(placeholders, step_shapes))
    chunk_losses = _in_graph_steps(chunk_inputs, loss_fn, optimizer)
    return Trainer(tuple(placeholders), loss, train_op, chunk_inputs, chunk_losses)


def _chunk_placeholder(placeholder, step_shape):
    """A placeholder for `placeholder`'s values of many steps, [steps, ...]."""
    shape = placeholder.shape.merge_with(step_shape)  # ValueError if they clash
    stacked = None if shape.rank is None else [None] + shape.as_list()
    return tf1.placeholder(placeholder.dtype, stacked,
                           name=placeholder.op.name + "_chunk")


def _in_graph_steps(chunk_inputs, loss_fn, optimizer):
    """A while_loop that runs one optimiser step per row of `chunk_inputs`."""
    steps = tf.shape(chunk_inputs[0])[0]
    losses = tf.TensorArray(tf.float32, size=steps)

    def body(i, losses):
        with tf1.variable_scope(tf1.get_variable_scope(), reuse=True):
            loss = loss_fn(*(tf.gather(inputs, i) for inputs in chunk_inputs))
        step = optimizer.apply_gradients(optimizer.compute_gradients(loss))

        # The next iteration must see the updated variables.
        with tf.control_dependencies([step]):
            return i + 1, losses.write(i, loss)

    _, losses = tf.while_loop(lambda i, _: i < steps, body, [0, losses],
                              parallel_iterations=1)
    return losses.stack()


def train(sess, trainer, draw_batches, steps, loop=DEFAULT_LOOP, stops=(),
          on_stop=None, chunk_steps=CHUNK_STEPS, block_ends=(), on_block=None):
    """Run `steps` optimiser steps; returns every step's loss, float32 [steps].

    draw_batches(k) returns the inputs of the next k steps, each stacked
    along a leading axis, drawn exactly as k single-step draws would be.
    on_stop(step, loss_val) runs after each step in `stops`, with the
    variables as that step left them (the slides print and inspect there).
    on_block(end, losses, rng_state) runs after step end - 1 for each `end`
    in block_ends, with losses[:end] filled; rng_state() is NumPy's state
    as of the batches of those steps, for a checkpoint. The in-graph loop
    draws the next segment while one trains, also across blocks, so
    on_stop and on_block must not draw from NumPy's global stream.
    """
    if loop not in LOOPS:
        raise ValueError("loop must be one of {}, got {!r}".format(LOOPS, loop))
    if loop == "ingraph":
        chunk_steps = min(chunk_steps, max(1, CHUNK_VALUES // _values_a_step(trainer)))
    ends = set(block_ends)
    segment_ends = set(stops) | {end - 1 for end in ends}
    segments = list(_segments(steps, segment_ends,
                              chunk_steps if loop == "ingraph" else 1))
    lengths = [end - start for start, end in segments]
    if loop == "feed":
        batches, run_steps = _drawn_in_turn(draw_batches, lengths), _feed_steps
    else:
        draw = _fed_as(draw_batches, trainer.chunk_inputs)
        batches, run_steps = _drawn_ahead(draw, lengths), _chunk_steps

    losses = np.empty(steps, dtype=np.float32)
    for (start, end), (batch, rng_state) in zip(segments, batches):
        losses[start:end] = run_steps(sess, trainer, batch)
        if end - 1 in stops and on_stop is not None:
            on_stop(end - 1, losses[end - 1])
        if end in ends and on_block is not None:
            on_block(end, losses, rng_state)
    return losses


def _values_a_step(trainer):
    """Values one step's first input holds, where its shape is known (else 1)."""
    shape = trainer.chunk_inputs[0].shape
    if shape.rank is None or None in shape.as_list()[1:]:
        return 1
    return max(1, int(np.prod(shape.as_list()[1:])))


def _segments(steps, stops, length):
    """[start, end) runs of at most `length` steps, each stop ending one."""
    stop_ends = sorted({stop + 1 for stop in stops if stop < steps} | {steps})
    start = 0
    for stop_end in stop_ends:
        while start < stop_end:
            end = min(start + length, stop_end)
            yield start, end
            start = end


def _fed_as(draw_batches, placeholders):
    """draw_batches, giving arrays of the placeholders' dtypes where it can.

    Rows of tables are cast once, as whole tables, rather than at every feed.
    """
    if isinstance(draw_batches, RowBatches):
        return draw_batches.cast([p.dtype.as_numpy_dtype for p in placeholders])
    return draw_batches


def _drawn_in_turn(draw_batches, lengths):
    """(draw_batches(k), rng_state) for each k in `lengths`, each when asked."""
    for length in lengths:
        yield draw_batches(length), np.random.get_state


def _drawn_ahead(draw_batches, lengths):
    """(draw_batches(k), rng_state) for each k in `lengths`, one call ahead.

    A helper thread draws the next segment while the caller trains on this
    one (NumPy and TensorFlow release the GIL while they compute); it holds
    only the next segment's batches, not the whole run's. rng_state() is
    NumPy's state before that next draw: the state as of this segment.
    """
    def draw_after_noting_state(length):
        return np.random.get_state(), draw_batches(length)

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as helper:
        upcoming = (helper.submit(draw_after_noting_state, lengths[0])
                    if lengths else None)
        for index in range(len(lengths)):
            _, batches = upcoming.result()
            if index + 1 < len(lengths):
                upcoming = helper.submit(draw_after_noting_state, lengths[index + 1])
                yield batches, lambda drawing=upcoming: drawing.result()[0]
            else:
                yield batches, np.random.get_state


def _feed_steps(sess, trainer, batches):
    losses = []
    for row in range(len(batches[0])):
        feed = {p: b[row] for p, b in zip(trainer.placeholders, batches)}
        _, loss_val = sess.run([trainer.train_op, trainer.loss], feed)
        losses.append(loss_val)
    return losses


def _chunk_steps(sess, trainer, batches):
    feed = dict(zip(trainer.chunk_inputs, batches))
    return sess.run(trainer.chunk_losses, feed)
