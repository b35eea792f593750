"""Approximate a quadratic function with TensorFlow, pages 22-23.

Fits y = w0 x^2 + w1 x + w2 to fresh samples of y = 5 x^2 + 14.3 x + 8.9 with
Adam, feeding 100 points a step through placeholders, and prints the loss at
the inspected steps:

    STEP     0: loss_val 2060689.375
    ...
    STEP 20000: loss_val 0.029617290943861008
"""

import dataclasses

import numpy as np

from graph_examples.cli import (choose_backend, chosen_device, make_parser, note,
                                positive_float, prepare_out_dir, publish_figure,
                                run_main)
from graph_examples.output import Transcript
from graph_examples.progress import keep_clear
from graph_examples.supervisor import (Supervisor, add_supervisor_flags,
                                       check_resumable, config_from_args)
from graph_examples.tf1 import (DEFAULT_SEED, fresh_graph, make_session, seed_numpy,
                                tf, tf1)
from graph_examples.training import DEFAULT_LOOP, Trainer, build_trainer

# Hyperparameters exactly as on the slides.
LEARNING_RATE = 0.001  # page 22, In [7] (its comment says 0.1: see errata)
STEP_NUM = 20001  # page 23, In [10]
SAMPLE_SIZE = 100  # page 22, In [8]: generate_data(size=100)
INSPECT_STEP = [0, 1000, 5000, 10000, 15000, 20000]  # page 23, In [9]
TRUE_COEFFICIENTS = (5.0, 14.3, 8.9)  # page 22, In [8]
PROGRAM = "quadratic_fit"  # the name its checkpoints carry


@dataclasses.dataclass
class QuadraticResult:
    lines: list  # what was printed, one string a line
    losses: np.ndarray  # float32 [steps], loss_val of every step
    inspect_list: list  # [{'step': int, 'w': float32 [3, 1]}], as on page 23

    @property
    def coefficients(self):
        """The last inspected (w0, w1, w2) as floats."""
        return tuple(float(v) for v in self.inspect_list[-1]["w"][:, 0])


@dataclasses.dataclass
class QuadraticGraph:
    x: tf.Tensor  # placeholder, float32, any shape [n]
    y: tf.Tensor  # placeholder, float32 [n]
    w: tf.Variable  # float32 [3, 1], the coefficients of x^2, x, 1
    trainer: Trainer  # loss = l2_loss(yhat - y), Adam, both loops
    init_op: tf.Operation  # global_variables_initializer, Adam's slots included


def generate_data(size=SAMPLE_SIZE):
    """`size` points x ~ U(-10, 10) and y = 5 x^2 + 14.3 x + 8.9 (page 22)."""
    x_val = np.random.uniform(-10.0, 10.0, size=size)
    y_val = 5 * np.square(x_val) + 14.3 * x_val + 8.9
    return x_val, y_val


def build_graph(learning_rate=LEARNING_RATE):
    """Placeholders, the model, the loss and Adam, as page 22's In [3]-[7]."""
    x = tf1.placeholder(tf.float32)
    y = tf1.placeholder(tf.float32)

    # Glorot-uniform initialised, drawn from the graph seed.
    w = tf1.get_variable("w", shape=[3, 1])

    def l2_loss(x, y):
        f = tf.stack([tf.square(x), x, tf.ones_like(x)], 1)
        yhat = tf.squeeze(tf.matmul(f, w), 1)
        return tf.nn.l2_loss(yhat - y)

    # Every step feeds SAMPLE_SIZE points: the in-graph loop may rely on it.
    trainer = build_trainer((x, y), l2_loss, tf1.train.AdamOptimizer(learning_rate),
                            step_shapes=([SAMPLE_SIZE], [SAMPLE_SIZE]))

    # Built after the optimiser so it also initialises Adam's slot variables.
    init_op = tf1.global_variables_initializer()
    return QuadraticGraph(x, y, w, trainer, init_op)


def draw_batches(steps):
    """generate_data() for `steps` steps at once, stacked [steps, 100].

    One uniform draw of steps * 100 numbers is the same stream as `steps`
    draws of 100, so the batches are the slide's.
    """
    x_val, y_val = generate_data(size=steps * SAMPLE_SIZE)
    return x_val.reshape(steps, SAMPLE_SIZE), y_val.reshape(steps, SAMPLE_SIZE)


def inspected_steps(steps):
    """The slide's inspected steps that a run of `steps` reaches, and its last.

    With the lecture's 20001 steps this is exactly INSPECT_STEP; a shorter
    run still shows where it ended.
    """
    chosen = [step for step in INSPECT_STEP if step < steps]
    if steps - 1 not in chosen:
        chosen.append(steps - 1)
    return chosen


def checkpoint_settings(seed, learning_rate):
    """What a checkpoint records, and a run resuming from it must repeat."""
    return {"seed": seed, "learning_rate": learning_rate}


def run(seed=DEFAULT_SEED, steps=STEP_NUM, learning_rate=LEARNING_RATE,
        device="cpu", loop=DEFAULT_LOOP, echo=print, supervise=None):
    """Run pages 22-23 in a fresh graph; returns what it printed as data.

    supervise: a supervisor.SupervisorConfig for checkpoints, TensorBoard
    and a progress bar; None for none of them.
    """
    say = Transcript(keep_clear(echo))
    settings = checkpoint_settings(seed, learning_rate)
    with Supervisor(PROGRAM, settings, steps, supervise) as supervisor:
        seed_numpy(seed)
        with fresh_graph(seed) as graph:
            model = build_graph(learning_rate)
        inspect_list = []

        with make_session(graph, device) as sess:
            supervisor.start(sess, model.init_op)

            # A resumed run shows the weights its checkpoint kept for the
            # steps before it started.
            kept_w = dict(zip(supervisor.extras.get("inspect_step", []),
                              supervisor.extras.get("inspect_w", [])))

            def inspect(step, loss_val):
                say("STEP {:5d}: loss_val {:}".format(step, loss_val))
                w = kept_w[step] if step in kept_w else sess.run(model.w)
                inspect_list.append({"w": w, "step": step})

            def keep():
                return {"inspect_step": [data["step"] for data in inspect_list],
                        "inspect_w": [data["w"] for data in inspect_list]}

            losses = supervisor.train(sess, model.trainer, draw_batches, loop,
                                      stops=inspected_steps(steps), on_stop=inspect,
                                      extras=keep)
    return QuadraticResult(lines=say.lines, losses=losses,
                           inspect_list=inspect_list)


def plot(result):
    """Page 23, In [11]: the ground truth and one curve per inspected step."""
    import matplotlib.pyplot as plt  # late, so a caller can pick the backend

    figure = plt.figure(figsize=(8, 6))
    x_axis = np.arange(-10.0, 10.0, 0.0001)
    y_gt = 5.0 * np.square(x_axis) + 14.3 * x_axis + 8.9
    plt.plot(x_axis, y_gt, color="r",
             label="Ground Truth y = 5 * x^2 + 14.3 * x + 8.9")
    for data in result.inspect_list:
        w = data["w"]
        yhat = w[0][0] * np.square(x_axis) + w[1][0] * x_axis + w[2][0]
        plt.plot(x_axis, yhat,
                 label="STEP  {:5d} y = {:.2f} * x^2 + {:.2f} * x + {:.2f}".format(
                     data["step"], w[0][0], w[1][0], w[2][0]))
    plt.legend()
    return figure


FIGURE = "quadratic_fit.png"


def main(argv=None):
    parser = make_parser("quadratic_fit.py",
                         "Pages 22-23: fit a quadratic with placeholders and Adam.",
                         training=True, figures=True)
    parser.add_argument("--learning-rate", type=positive_float, default=LEARNING_RATE,
                        help="Adam's learning rate (default %(default)s)")
    add_supervisor_flags(parser)
    args = parser.parse_args(argv)

    def body():
        supervise = config_from_args(args)
        check_resumable(supervise, PROGRAM,
                        checkpoint_settings(args.seed, args.learning_rate), args.steps)
        prepare_out_dir(args.out, files=[FIGURE])
        args.show = choose_backend(args.show)
        result = run(seed=args.seed, steps=args.steps,
                     learning_rate=args.learning_rate,
                     device=chosen_device(args.device), loop=args.loop,
                     supervise=supervise)
        note("wrote " + publish_figure(plot(result), args.out, FIGURE, args.show))

    return run_main(parser.prog, body)
