"""TensorFlow Multiply Matrices, page 21 (In [1] to In [5]).

Prints the three symbolic tensors (random_normal:0, random_normal_1:0,
MatMul:0), then the 3x3 value of their product.
"""

import dataclasses

import numpy as np

from graph_examples.cli import chosen_device, make_parser, run_main
from graph_examples.output import Transcript
from graph_examples.tf1 import DEFAULT_SEED, fresh_graph, make_session, tf, tf1

SHAPE = [3, 3]  # page 21, In [2]


@dataclasses.dataclass
class MultiplyResult:
    lines: list  # what was printed, one string a line
    x_val: np.ndarray  # float32 [3, 3]
    y_val: np.ndarray  # float32 [3, 3]
    z_val: np.ndarray  # float32 [3, 3], x_val @ y_val as TensorFlow computed it


def build_graph():
    """x, y ~ N(0, 1) of shape [3, 3] and z = x y, all still symbolic."""
    # NOTE: tf.random_normal is tf.compat.v1.random_normal on TensorFlow 2.
    x = tf1.random_normal(SHAPE)
    y = tf1.random_normal(SHAPE)
    z = tf.matmul(x, y)
    return x, y, z


def run(seed=DEFAULT_SEED, device="cpu", echo=print):
    """Run page 21 in a fresh graph; returns what it printed as data."""
    say = Transcript(echo)
    with fresh_graph(seed) as graph:
        x, y, z = build_graph()
    say("{}\n{}\n{}".format(x, y, z))

    # One sess.run for all three, so z_val is the product of these very x, y
    # (each separate run would draw new random numbers).
    with make_session(graph, device) as sess:
        x_val, y_val, z_val = sess.run([x, y, z])
    say(z_val)
    return MultiplyResult(lines=say.lines, x_val=x_val, y_val=y_val, z_val=z_val)


def main(argv=None):
    parser = make_parser("multiply_matrices.py",
                         "Page 21: multiply two random 3x3 matrices.")
    args = parser.parse_args(argv)
    return run_main(parser.prog, lambda: run(seed=args.seed,
                                             device=chosen_device(args.device)))
