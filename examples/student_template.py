"""Lecture 1 exercises: fill in the five functions below and hand in this file.

The grader (lecture1-grade) imports this file and calls these functions by
name, with these signatures; keep them. Any you leave out or leave raising
NotImplementedError scores 0 for its own checks and costs nothing else.

TensorFlow: write TF1 graph code as on the slides, through tf.compat.v1
(today's TensorFlow has no tf.placeholder, tf.Session, tf.get_variable at
the top level). The three lines under the imports make that work when you
run this file yourself; under the grader, TensorFlow is already in TF1 mode
and the names tf and tf1 are already defined before your first line runs.

Rules of the grader:
- keep code that trains or plots under `if __name__ == "__main__":`; the
  grader imports the file and allows 30 s for that;
- each check has 30 s; do not start processes, do not read input();
- draw random numbers with np.random.* as the slides do (the grader seeds
  NumPy and compares with the reference under the same seed).
"""

import numpy as np  # noqa: F401 - you will need it
import tensorflow as tf

tf1 = tf.compat.v1
tf1.disable_v2_behavior()  # harmless when the grader has done it already


def full_connection_layer(input_tensor, n_out, w_init=None, b_init=None,
                          activation=tf.nn.sigmoid, name=None):
    """Page 28: one layer, activation(x W + b).

    Creates the variables <name>/weight [n_in, n_out] and <name>/bias [n_out]
    with tf1.get_variable inside tf1.variable_scope(name); by default the
    weight starts truncated normal (stddev 0.1) and the bias at 0.1, else
    with w_init / b_init. Returns the activation op named <name>_output,
    shape [None, n_out].
    """
    raise NotImplementedError


def inference(input_tensor):
    """Page 28: layers of 4, 4, 4 and 2 units in the variable scopes
    fc_layer_1, fc_layer_2, fc_layer_3 and pred, each feeding the next.
    input_tensor is a float32 placeholder [None, 8]; return pred's output."""
    raise NotImplementedError


def generate_data_set(instance_num=10000, split_rate=0.6):
    """Page 27: instance_num rows of the eight inputs, drawn column by column
    with np.random.uniform(low, high, ...) in the slide's order (b row by row
    from (max(0.25, d), 0.35)), labelled (0, 1) where Ra > Ra_cr, else (1, 0).

    Returns (train_set, test_set), dicts {'input': [n, 8], 'label': [n, 2]};
    the first int(instance_num * split_rate) rows train.
    """
    raise NotImplementedError


def get_traning_batch(train_set, batch_size, data_length):
    """Page 30 (the slide's spelling): batch_size rows of train_set picked by
    np.random.choice(len(train_set['input']), batch_size), with their labels.
    Returns (input_batch [batch_size, data_length], label_batch [batch_size, 2])."""
    raise NotImplementedError


def build_quadratic_graph():
    """Pages 22-23 as one function: build in the current default graph

        x, y     float32 placeholders (shape [n]),
        w        tf1.get_variable("w", shape=[3, 1]),
        loss     tf.nn.l2_loss(yhat - y), yhat = w0 x^2 + w1 x + w2,
        train_op Adam with the slide's learning rate, minimising loss,

    and return (x, y, w, loss, train_op), in that order. The grader trains it
    with its own loop and data from page 22's generate_data.
    """
    raise NotImplementedError


if __name__ == "__main__":
    train_set, test_set = generate_data_set()
