"""TensorFlow Hello World, page 20 (In [1] to In [5]).

Prints the symbolic tensor, then the value a session computes for it:

    Tensor("Const:0", shape=(), dtype=string)
    b'Hello, TensorFlow!'
"""

import dataclasses

from graph_examples.cli import chosen_device, make_parser, run_main
from graph_examples.output import Transcript
from graph_examples.tf1 import fresh_graph, make_session, tf

GREETING = "Hello, TensorFlow!"  # page 20, In [2]


@dataclasses.dataclass
class HelloResult:
    lines: list  # what was printed, one string a line
    value: bytes  # what sess.run(hello) returned


def build_graph():
    """Create a Constant op; the tensor is its output, not yet a value."""
    return tf.constant(GREETING)


def run(device="cpu", echo=print):
    """Run page 20 in a fresh graph; returns what it printed as data."""
    say = Transcript(echo)
    with fresh_graph() as graph:
        hello = build_graph()
    say(hello)

    # sess.run evaluates the op and hands back a Python bytes object.
    with make_session(graph, device) as sess:
        value = sess.run(hello)
    say(value)
    return HelloResult(lines=say.lines, value=value)


def main(argv=None):
    parser = make_parser("hello_world.py", "Page 20: TensorFlow Hello World.",
                         seeded=False)
    args = parser.parse_args(argv)
    return run_main(parser.prog, lambda: run(device=chosen_device(args.device)))
