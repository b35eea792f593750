"""Representations learned by the mantle network, page 32.

Page 32 scatters the test rows in the 2-unit space of a network's last
hidden layer, coloured by the class the network predicts, once for one
hidden layer and once for four, beside the hand-crafted representation
(2 pi b / lambda, Ra) in which page 33's curve Ra_cr splits the classes.

The networks are page 28's `full_connection_layer` stacked with other
widths. Each is built twice in one graph, TF1 style: a training tower fed
through placeholders, then a test tower on the whole test set that reuses
the very same variables through `variable_scope(..., reuse=True)`.
"""

import dataclasses

import numpy as np

from graph_examples import mantle_stability as mantle
from graph_examples.cli import (add_mantle_flags, check_mantle_flags, choose_backend,
                                chosen_device, make_parser, note, prepare_out_dir,
                                publish_figure, run_main)
from graph_examples.output import Transcript
from graph_examples.tf1 import (DEFAULT_SEED, fresh_graph, make_session, seed_numpy,
                                tf, tf1)
from graph_examples.training import DEFAULT_LOOP, Trainer, build_trainer
from layers import full_connection_layer

# Page 32's two networks: the last hidden layer has 2 units in both.
ARCHITECTURES = {
    "one hidden layer": (2,),
    "four hidden layers": (16, 8, 4, 2),
}
LECTURE_HIDDEN = (4, 4, 4)  # page 28's inference: this stack is the lecture's net
SCOPE = "network"
FIGURE = "representations.png"


@dataclasses.dataclass
class Tower:
    representation: tf.Tensor  # float32 [n, 2], the last hidden layer's sigmoid
    pred: tf.Tensor  # float32 [n, 2], the output layer


@dataclasses.dataclass
class RepresentationGraph:
    input_tensor: tf.Tensor  # placeholder 'input', float32 [None, 8]
    label: tf.Tensor  # placeholder 'label', float32 [None, 2]
    train: Tower  # on the placeholders
    test: Tower  # on the test set, a constant; same variables as `train`
    trainer: Trainer  # page 30's loss and Adam step, in both loops
    init_op: tf.Operation


@dataclasses.dataclass
class RepresentationResult:
    hidden_units: tuple  # widths of the hidden layers, e.g. (16, 8, 4, 2)
    lines: list  # what was printed, one string a line
    losses: np.ndarray  # float32 [steps]
    accuracy: float  # on the whole test set
    test_set: dict  # {'input': [m, 8], 'label': [m, 2]}, float64
    representation: np.ndarray  # float32 [m, last hidden width]
    test_pred: np.ndarray  # float32 [m, 2]


def stacked_inference(input_tensor, hidden_units, output_activation=tf.nn.sigmoid):
    """Page 28's inference with any widths: fc_layer_1..n, then 'pred' of 2.

    Returns (the last hidden layer [batch, hidden_units[-1]], pred [batch, 2]).
    With hidden_units (4, 4, 4) it is the lecture's `inference` op for op.
    """
    layer = input_tensor
    for number, n_out in enumerate(hidden_units, start=1):
        layer = full_connection_layer(input_tensor=layer, n_out=n_out,
                                      name="fc_layer_{}".format(number))
    pred = full_connection_layer(input_tensor=layer, n_out=2,
                                 activation=output_activation, name="pred")
    return layer, pred


def build_graph(hidden_units, test_inputs, learning_rate=mantle.LEARNING_RATE,
                output_activation=tf.nn.sigmoid):
    """Page 30's training set-up around `stacked_inference`, plus a test tower."""
    input_tensor = tf1.placeholder(tf.float32, [None, mantle.DATA_LENGTH],
                                   name="input")
    label = tf1.placeholder(tf.float32, [None, 2], name="label")
    with tf1.variable_scope(SCOPE):
        train = Tower(*stacked_inference(input_tensor, hidden_units, output_activation))

    # Page 30's loss: the sigmoid outputs go in as logits (see docs/errata.md).
    def loss_of(input_tensor, label):
        with tf1.variable_scope(SCOPE, reuse=True):
            _, pred = stacked_inference(input_tensor, hidden_units, output_activation)
        return mantle.cross_entropy(pred, label)

    trainer = build_trainer((input_tensor, label), loss_of,
                            tf1.train.AdamOptimizer(learning_rate=learning_rate),
                            loss=mantle.cross_entropy(train.pred, label))

    # reuse=True makes every get_variable below hand back the training tower's
    # variable instead of creating one; the ops land in name scope network_1.
    with tf1.variable_scope(SCOPE, reuse=True):
        test_tensor = tf.constant(test_inputs, tf.float32, name="test_input")
        test = Tower(*stacked_inference(test_tensor, hidden_units, output_activation))

    # Built last so it also initialises Adam's slot variables.
    init_op = tf1.global_variables_initializer()
    return RepresentationGraph(input_tensor, label, train, test, trainer, init_op)


def train_and_represent(train_set, test_set, hidden_units, seed=DEFAULT_SEED,
                        steps=mantle.STEP_NUM, batch_size=mantle.BATCH_SIZE,
                        learning_rate=mantle.LEARNING_RATE,
                        output_activation=tf.nn.sigmoid, device="cpu",
                        loop=DEFAULT_LOOP, echo=print):
    """Train one network on `train_set`; its test-tower outputs on `test_set`.

    `seed` seeds the graph (the initial weights); the batches draw on NumPy's
    global stream as it stands, as page 30's do. With LECTURE_HIDDEN this is
    mantle_stability.run after its generate_data_set, number for number.
    """
    say = Transcript(echo)
    with fresh_graph(seed) as graph:
        model = build_graph(hidden_units, test_set["input"], learning_rate,
                            output_activation)

    with make_session(graph, device) as sess:
        sess.run(model.init_op)
        losses = mantle.train_network(sess, model.trainer, train_set, steps,
                                      batch_size, loop, say)
        representation, test_pred = sess.run([model.test.representation,
                                              model.test.pred])
    correct = np.argmax(test_pred, 1) == np.argmax(test_set["label"], 1)
    accuracy = float(np.mean(correct))
    say("Accuracy: {}".format(accuracy))
    return RepresentationResult(tuple(hidden_units), say.lines, losses, accuracy,
                                test_set, representation, test_pred)


def run(seed=DEFAULT_SEED, steps=mantle.STEP_NUM, instances=mantle.INSTANCE_NUM,
        split_rate=mantle.SPLIT_RATE, batch_size=mantle.BATCH_SIZE,
        learning_rate=mantle.LEARNING_RATE, device="cpu", echo=print):
    """Page 27's data once, then each of page 32's networks; {name: result}."""
    say = Transcript(echo)
    seed_numpy(seed)
    train_set, test_set = mantle.generate_data_set(instances, split_rate, echo=say)

    # Every network draws the same batches: the stream restarts where the
    # data set left it, which is where page 30's training starts.
    batch_stream = np.random.get_state()
    results = {}
    for name, hidden_units in ARCHITECTURES.items():
        say("# {} {}".format(name, hidden_units))
        np.random.set_state(batch_stream)
        results[name] = train_and_represent(
            train_set, test_set, hidden_units, seed=seed, steps=steps,
            batch_size=batch_size, learning_rate=learning_rate, device=device,
            echo=say)
    return results


def plot(results, points=mantle.PLOT_POINTS):
    """Page 32: each learned 2-unit space, then the hand-crafted one.

    Learned spaces are coloured by the predicted class (red stable, blue
    unstable, as page 31); the hand-crafted one by the label, which page 33's
    curve Ra_cr draws exactly.
    """
    import matplotlib.pyplot as plt  # late, so a caller can pick the backend

    figure, axes = plt.subplots(1, len(results) + 1, figsize=(6 * len(results) + 6, 6))
    for ax, (name, result) in zip(axes, results.items()):
        stable = np.argmax(result.test_pred[:points], 1) == 0
        _scatter_classes(ax, result.representation[:points], stable)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_title("Representation learned with {}\n{}, test accuracy {:.4f}".format(
            name, "-".join(map(str, result.hidden_units)), result.accuracy))

    test_set = next(iter(results.values())).test_set
    _hand_crafted(axes[-1], test_set["input"][:points], test_set["label"][:points])
    figure.tight_layout()
    return figure


def _scatter_classes(ax, points, stable):
    """Red where `stable`, blue elsewhere; points [n, 2]."""
    ax.scatter(points[stable, 0], points[stable, 1], color="r", s=6, alpha=0.5,
               label="stable")
    ax.scatter(points[~stable, 0], points[~stable, 1], color="b", s=6, alpha=0.5,
               label="unstable")
    ax.legend(loc="lower right")


def _hand_crafted(ax, rows, labels):
    """(2 pi b / lam, Ra) coloured by label, with page 33's curve Ra_cr."""
    map_x, map_y = mantle.hand_crafted_representation(rows)
    _scatter_classes(ax, np.stack([map_x, map_y], 1), labels[:, 0] == 1)
    plot_x = np.arange(0.5, 16, 0.001)
    ax.plot(plot_x, mantle.critical_rayleigh(2 * np.pi / plot_x), color="k",
            linewidth=2)
    ax.set(xlim=(0, 16), yscale="log", ylim=(1e1, 1e7), xlabel="2*pi*b/λ",
           ylabel="Ra", title="Hand-crafted representation\n(coloured by label)")


def main(argv=None):
    parser = make_parser("representations.py",
                         "Page 32: the 2-unit representations learned with one "
                         "and with four hidden layers.", training=True, figures=True)
    add_mantle_flags(parser)
    args = parser.parse_args(argv)

    def body():
        check_mantle_flags(args)
        prepare_out_dir(args.out)
        args.show = choose_backend(args.show)
        results = run(seed=args.seed, steps=args.steps, instances=args.instances,
                      split_rate=args.split_rate, batch_size=args.batch_size,
                      learning_rate=args.learning_rate,
                      device=chosen_device(args.device))
        note("wrote " + publish_figure(plot(results), args.out, FIGURE, args.show))

    return run_main(parser.prog, body)
