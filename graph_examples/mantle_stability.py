"""Classifying the stability of the mantle with a neural network, pages 26-33.

A plane layer heated from below is unstable when its Rayleigh number Ra
exceeds the critical value Ra_cr for its wavelength (page 33). Page 27
simulates the eight factors that decide it, labels each row by Ra > Ra_cr,
and pages 28-31 train a 4-4-4-2 sigmoid network to tell the two apart:

    Stable:574480 UnStable:425520
    0.6931...            (the loss, every 2000 steps)
    Accuracy: 0.9589059948921204
"""

import dataclasses
import numbers

import numpy as np

from graph_examples.cli import (add_mantle_flags, check_mantle_flags, choose_backend,
                                chosen_device, make_parser, note, prepare_out_dir,
                                publish_figure, run_main)
from graph_examples.memory import small_pages
from graph_examples.output import Transcript
from graph_examples.progress import keep_clear
from graph_examples.supervisor import (Supervisor, add_supervisor_flags,
                                       check_resumable, config_from_args)
from graph_examples.tf1 import (DEFAULT_SEED, fresh_graph, make_session, seed_numpy,
                                tf, tf1)
from graph_examples.training import (DEFAULT_LOOP, RowBatches, Trainer, build_trainer,
                                     train)
from layers import full_connection_layer

# The lecture's run (the notebook's call; page 27's own defaults are 10000, 0.6).
INSTANCE_NUM = 1000000
SPLIT_RATE = 0.5

# Page 30, In [7].
STEP_NUM = 20001
BATCH_SIZE = 1000
DATA_LENGTH = 8
LEARNING_RATE = 0.01
PRINT_EVERY = 2000  # page 30, In [10]: if idx % 2000 == 0
PROGRAM = "mantle_stability"  # the name its checkpoints carry

# Page 27: each input column is drawn uniformly from (low, high) and scaled
# to physical units by the factor; columns 5 (b) draws from max(0.25, d).
COLUMNS = (
    # name, low, high, scale, meaning
    ("g", 0.8, 1.0, 10, "gravitational acceleration, m/s^2"),
    ("a", 1e-4, 1e-2, 1, "volume expansion coefficient, 1/K"),
    ("v", 1e-2, 1.0, 1000, "kinematic viscosity"),
    ("k", 0.1, 1.0, 10000, "thermal diffusivity"),
    ("d", 0.0, 0.35, 10000, "depth, km"),
    ("b", 0.25, 0.35, 10000, "layer thickness b, km"),
    ("lam", 0.0, 0.39, 10000, "wavelength lambda, km"),
    ("dT", 0.0, 0.5, 1000, "temperature difference T0 - T1, K"),
)
SCALES = np.array([column[3] for column in COLUMNS], dtype=np.float64)
STABLE = (1, 0)  # page 27: label (1, 0) for stable, (0, 1) for unstable
UNSTABLE = (0, 1)

# Rows whose Ra and Ra_cr agree to this relative distance are decided again
# with the slide's scalar arithmetic: our vectorised products may differ from
# the slide's scalar powers in the last bits (about 1e-15), far inside this.
TIE_MARGIN = 1e-9

# Rows labelled at a time: 8 float64 columns of 16384 rows are 1 MB.
BLOCK_ROWS = 16384

# The most rows an [n, 8] float64 array may have (NumPy's bytes limit).
MAX_ROWS = np.iinfo(np.intp).max // (DATA_LENGTH * 8)


@dataclasses.dataclass
class MantleResult:
    lines: list  # what was printed, one string a line
    counts: tuple  # (stable, unstable) over the whole data set
    losses: np.ndarray  # float32 [steps], loss_val of every step
    accuracy: float  # test accuracy, float32 as TensorFlow computed it
    test_set: dict  # {'input': [m, 8], 'label': [m, 2]}, float64
    test_pred: np.ndarray  # float32 [m, 2], the network's sigmoid outputs


@dataclasses.dataclass
class MantleGraph:
    input_tensor: tf.Tensor  # placeholder 'input', float32 [None, 8]
    label: tf.Tensor  # placeholder 'label', float32 [None, 2]
    pred: tf.Tensor  # float32 [None, 2], sigmoid outputs of the last layer
    trainer: Trainer  # loss, Adam's train_op, and the in-graph loop
    accuracy: tf.Tensor  # float32 scalar, page 31
    init_op: tf.Operation  # global_variables_initializer, Adam's slots included


# The length Ra cubes: page 27 cubes the depth d (column 4), page 33's
# textbook formula the layer thickness b (column 5). See docs/errata.md.
CUBES = {"depth": 4, "thickness": 5}


def cubed_column(cube):
    """The input column that `cube` ('depth' or 'thickness') names."""
    if cube not in CUBES:
        raise ValueError("cube must be one of {}, got {!r}".format(
            ", ".join(CUBES), cube))
    return CUBES[cube]


def rayleigh_number(inputs, cube="depth", axis=-1):
    """Ra = a g dT L^3 / (v k) for unscaled inputs, 8 along `axis` ([..., 8]).

    NOTE: L is page 27's depth d by default; cube="thickness" takes page 33's
    layer thickness b instead. We follow the slide that generated the labels.
    """
    columns = np.moveaxis(inputs, axis, 0)
    g, a, v, k, dT, length = (columns[index] * SCALES[index]
                              for index in (0, 1, 2, 3, 7, cubed_column(cube)))
    # Products, not **: NumPy's pow is about 4 times slower than two multiplies,
    # and may differ from the slide's scalar ** in the last bit either way.
    return (a * g * dT * (length * length * length)) / (v * k)


def critical_rayleigh(lam_over_b):
    """Ra_cr = pi^4 (4 + (lam/b)^2)^3 / (4 (lam/b)^4), page 27 and page 33.

    Smallest, 27 pi^4 / 4 = 657.51, where 2 pi b / lam = 2.2214 (lam/b = 2 sqrt 2).
    """
    squared = lam_over_b * lam_over_b
    bracket = 4 + squared
    return (np.pi**4 * (bracket * bracket * bracket)) / (4 * (squared * squared))


def _lecture_row_is_unstable(row, cube="depth"):
    """Page 27's own arithmetic on one row, for rows at the boundary."""
    g = row[0] * 10
    a = row[1]
    v = row[2] * 1000
    k = row[3] * 10000
    d = row[4] * 10000
    b = row[5] * 10000
    lam = row[6] * 10000
    dT = row[7] * 1000
    length = d if cube == "depth" else b  # page 33 cubes b
    Ra = (a * g * dT * (length**3)) / (v * k)
    Racr = (np.pi**4 * ((4 + (lam / b) ** 2) ** 3)) / (4 * ((lam / b) ** 4))
    return Ra > Racr


def simulate_columns(instance_num):
    """Page 27's eight input columns, drawn in the slide's order: 8 arrays [n].

    Kept as columns, so every draw and every label computation runs over
    contiguous memory; simulate_inputs turns them into the slide's rows.
    """
    columns = []
    for name, low, high, _, _ in COLUMNS:
        if name == "b":
            columns.append(_draw_thickness(columns[4], low, high))
        else:
            columns.append(np.random.uniform(low, high, size=instance_num))
    return columns


def _draw_thickness(depth, low, high):
    """b from (max(low, d), high), one draw per row in row order, [n].

    An array `low` draws the slide's numbers, one per row; a block at a time,
    the `low` block stays in cache instead of being a whole new column.
    """
    thickness = np.empty(len(depth))
    for start in range(0, len(depth), BLOCK_ROWS):
        stop = start + BLOCK_ROWS
        thickness[start:stop] = np.random.uniform(
            np.maximum(low, depth[start:stop]), high)
    return thickness


def simulate_inputs(instance_num):
    """Page 27's eight input columns, drawn in the slide's order, [n, 8]."""
    return np.stack(simulate_columns(instance_num), axis=1)


def label_inputs(inputs, cube="depth"):
    """One-hot labels [n, 2]: (0, 1) where Ra > Ra_cr (unstable), else (1, 0).

    cube: 'depth' (page 27, the lecture's labels) or 'thickness' (page 33).
    """
    return _one_hot(_unstable(inputs.T, cube))


def _unstable(columns, cube):
    """Ra > Ra_cr for each row of `columns` [8, n], as the slide decides it."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ra = rayleigh_number(columns, cube, axis=0)
        ra_cr = critical_rayleigh((columns[6] * 10000) / (columns[5] * 10000))
    unstable = ra > ra_cr

    # Decide near-ties exactly as the slide's scalar loop would. Ra_cr is
    # infinite where lam = 0, and Ra > inf is False on both paths.
    close = np.isfinite(ra_cr) & (
        np.abs(ra - ra_cr) <= TIE_MARGIN * np.maximum(np.abs(ra), np.abs(ra_cr)))
    for idx in np.flatnonzero(close):
        unstable[idx] = _lecture_row_is_unstable(columns[:, idx], cube)
    return unstable


def _rows_and_labels(columns, cube):
    """The slide's rows [n, 8] and one-hot labels [n, 2] from 8 columns [n].

    A block of rows at a time, gathered into one reused buffer, so each
    block's transpose and arithmetic stay in the CPU's cache (about 8 times
    faster than whole columns).
    """
    instance_num = len(columns[0])
    inputs = np.empty([instance_num, DATA_LENGTH])
    labels = np.empty([instance_num, 2])
    buffer = np.empty([DATA_LENGTH, BLOCK_ROWS])
    for start in range(0, instance_num, BLOCK_ROWS):
        stop = min(start + BLOCK_ROWS, instance_num)
        block = buffer[:, :stop - start]
        for row, column in zip(block, columns):
            row[:] = column[start:stop]
        inputs[start:stop] = block.T
        _fill_one_hot(labels[start:stop], _unstable(block, cube))
    return inputs, labels


def _one_hot(unstable):
    """Labels [n, 2]: STABLE (1, 0) where not `unstable`, else UNSTABLE (0, 1)."""
    labels = np.empty([len(unstable), 2])
    _fill_one_hot(labels, unstable)
    return labels


def _fill_one_hot(labels, unstable):
    labels[:, 0] = ~unstable  # STABLE = (1, 0)
    labels[:, 1] = unstable  # UNSTABLE = (0, 1)


def split_index(instance_num, split_rate):
    """The first int(n * split_rate) rows train, the rest test (page 27)."""
    return int(instance_num * split_rate)


def generate_data_set(instance_num=INSTANCE_NUM, split_rate=SPLIT_RATE, echo=print,
                      cube="depth"):
    """Page 27, vectorised: the same rows and labels as the slide's loops.

    After np.random.seed(s) this returns, bit for bit, what the slide's
    row-by-row function returns after the same seed, and prints
    'Stable:{} UnStable:{}'. cube="thickness" labels by page 33's Ra instead
    (same rows, same random stream). Raises ValueError unless both sets get
    rows.
    """
    check_split(instance_num, split_rate)
    cubed_column(cube)  # a bad `cube` or `echo` fails before NumPy's stream moves
    if echo is not None and not callable(echo):
        raise ValueError("echo must be a function of one line, or None; got {!r}".format(
            echo))
    with small_pages():  # steady times where fresh huge pages are slow
        inputs, labels = _rows_and_labels(simulate_columns(instance_num), cube)

    index = split_index(instance_num, split_rate)
    train_set = {"input": inputs[0:index, :], "label": labels[0:index, :]}
    test_set = {"input": inputs[index:, :], "label": labels[index:, :]}
    if echo is not None:
        echo("Stable:{} UnStable:{}".format(*label_counts(train_set, test_set)))
    return train_set, test_set


def _is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def check_split(instance_num, split_rate, names=("instance_num", "split_rate")):
    """A one-line ValueError unless the split leaves rows on both sides.

    names: what to call the two values in the message (the CLI's flags).
    """
    if not (_is_int(instance_num) and instance_num > 0):
        raise ValueError("{} must be a positive integer, got {!r}".format(
            names[0], instance_num))
    if instance_num > MAX_ROWS:
        raise ValueError("{} {} is more rows than a NumPy array can hold (at most "
                         "{})".format(names[0], instance_num, MAX_ROWS))
    is_rate = isinstance(split_rate, numbers.Real) and not isinstance(split_rate, bool)
    if not (is_rate and 0 < split_rate < 1):
        raise ValueError("{} must be a number between 0 and 1, got {!r}".format(
            names[1], split_rate))
    index = split_index(instance_num, split_rate)
    if index < 1 or index >= instance_num:
        raise ValueError("{} {} with {} {} leaves {} training and {} test rows; both "
                         "need at least one".format(names[0], instance_num, names[1],
                                                    split_rate, index,
                                                    instance_num - index))


def label_counts(*data_sets):
    """(stable, unstable) rows over the given sets, page 27's two counters."""
    unstable = sum(int(data["label"][:, 1].sum()) for data in data_sets)
    stable = sum(len(data["label"]) for data in data_sets) - unstable
    return stable, unstable


def get_traning_batch(train_set, batch_size, data_length):
    """Page 30, In [8] (the slide's spelling): batch_size random rows.

    Draws the row ids with the slide's np.random.choice call, so the NumPy
    stream and the batches are the slide's; gathers them in one step.
    """
    inputs, labels = _checked_train_set(train_set, batch_size, data_length)
    batch_ids = np.random.choice(len(inputs), batch_size)
    # np.take copies rows about three times faster than inputs[batch_ids].
    return np.take(inputs, batch_ids, axis=0), np.take(labels, batch_ids, axis=0)


def draw_batches(train_set, batch_size, data_length, steps):
    """get_traning_batch for `steps` steps at once, stacked [steps, batch, ...]."""
    return training_rows(train_set, batch_size, data_length)(steps)


def training_rows(train_set, batch_size, data_length=DATA_LENGTH):
    """The training batches of page 30 as a RowBatches: rows of train_set."""
    inputs, labels = _checked_train_set(train_set, batch_size, data_length)
    return RowBatches(tables=(inputs, labels),
                      draw_ids=lambda steps: draw_batch_ids(len(inputs), batch_size,
                                                            steps))


def _checked_train_set(train_set, batch_size, data_length):
    """train_set's rows and labels as arrays, or a one-line ValueError."""
    if not isinstance(train_set, dict) or not {"input", "label"} <= set(train_set):
        raise ValueError("train_set must be a dict with 'input' and 'label' arrays, "
                         "as generate_data_set returns")
    inputs, labels = np.asarray(train_set["input"]), np.asarray(train_set["label"])
    if inputs.ndim != 2 or inputs.shape[1] != data_length:
        raise ValueError("train_set['input'] has shape {}, expected [n, {}]".format(
            inputs.shape, data_length))
    if labels.shape != (len(inputs), 2):
        raise ValueError("train_set['label'] has shape {}, expected [{}, 2]".format(
            labels.shape, len(inputs)))
    if len(inputs) == 0:
        raise ValueError("train_set has no rows to draw a batch from")
    if not (_is_int(batch_size) and batch_size >= 1):
        raise ValueError("batch_size must be a positive integer, got {!r}".format(
            batch_size))
    return inputs, labels


def draw_batch_ids(train_size, batch_size, steps):
    """The row ids of `steps` steps of get_traning_batch, int64 [steps, batch].

    One np.random.choice call for all steps draws the same ids as the slide's
    call per step: with replacement, each id takes its own numbers from the
    stream (no state carries from one id to the next), so where one call ends
    and the next starts changes nothing (tests/test_fastpath.py checks it).
    """
    return np.random.choice(train_size, (steps, batch_size))


def inference(input_tensor):
    """Page 28: three hidden layers of 4 and an output layer of 2, all sigmoid."""
    hidden_layer_1 = full_connection_layer(input_tensor=input_tensor, n_out=4,
                                           name="fc_layer_1")
    hidden_layer_2 = full_connection_layer(input_tensor=hidden_layer_1, n_out=4,
                                           name="fc_layer_2")
    hidden_layer_3 = full_connection_layer(input_tensor=hidden_layer_2, n_out=4,
                                           name="fc_layer_3")
    pred = full_connection_layer(input_tensor=hidden_layer_3, n_out=2, name="pred")
    return pred


def cross_entropy(pred, label):
    """Page 30's loss. As on the slide, the sigmoid outputs go in as logits
    (see errata): the loss cannot fall much below 0.31; that is the lecture's
    model."""
    return tf.reduce_mean(
        tf.nn.softmax_cross_entropy_with_logits(logits=pred, labels=label))


def build_graph(learning_rate=LEARNING_RATE, data_length=DATA_LENGTH, batch_size=None):
    """Page 30, In [7], and page 31, In [11].

    batch_size, when given, is every training step's: the in-graph loop
    then runs with static shapes (faster); the placeholders stay [None, ...].
    """
    input_tensor = tf1.placeholder(tf.float32, [None, data_length], name="input")
    label = tf1.placeholder(tf.float32, [None, 2], name="label")
    pred = inference(input_tensor=input_tensor)
    loss = cross_entropy(pred, label)
    trainer = build_trainer(
        (input_tensor, label), lambda x, y: cross_entropy(inference(x), y),
        tf1.train.AdamOptimizer(learning_rate=learning_rate), loss=loss,
        step_shapes=None if batch_size is None else ([batch_size, data_length],
                                                     [batch_size, 2]))

    correct_pred = tf.equal(tf.argmax(pred, 1), tf.argmax(label, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))
    init_op = tf1.global_variables_initializer()
    return MantleGraph(input_tensor, label, pred, trainer, accuracy, init_op)


def checkpoint_settings(seed, instances, split_rate, batch_size, learning_rate):
    """What a checkpoint records, and a run resuming from it must repeat:
    the data set is generated again from the seed, so everything that
    shapes it or the steps must be the same."""
    return {"seed": seed, "instances": instances, "split_rate": split_rate,
            "batch_size": batch_size, "learning_rate": learning_rate}


def train_network(sess, trainer, train_set, steps, batch_size, loop, say,
                  supervisor=None):
    """Page 30, In [10]: Adam steps on the slide's random batches, the loss
    said every 2000 steps; returns every step's loss.

    supervisor: a supervisor.Supervisor to run the steps under (checkpoints,
    TensorBoard, progress, NaN and Ctrl-C checks); None runs them plainly.
    """

    batches = training_rows(train_set, batch_size)

    def on_stop(step, loss_val):
        say(loss_val)

    stops = range(0, steps, PRINT_EVERY)
    if supervisor is None:
        return train(sess, trainer, batches, steps, loop, stops=stops, on_stop=on_stop)
    return supervisor.train(sess, trainer, batches, loop, stops=stops, on_stop=on_stop)


def run(seed=DEFAULT_SEED, steps=STEP_NUM, instances=INSTANCE_NUM,
        split_rate=SPLIT_RATE, batch_size=BATCH_SIZE, learning_rate=LEARNING_RATE,
        device="cpu", loop=DEFAULT_LOOP, echo=print, supervise=None):
    """Run pages 27-31 in a fresh graph; returns what it printed as data.

    supervise: a supervisor.SupervisorConfig for checkpoints, TensorBoard
    and a progress bar; None for none of them.
    """
    say = Transcript(keep_clear(echo))
    settings = checkpoint_settings(seed, instances, split_rate, batch_size,
                                   learning_rate)
    with Supervisor(PROGRAM, settings, steps, supervise) as supervisor:
        seed_numpy(seed)
        train_set, test_set = generate_data_set(instances, split_rate, echo=say)
        with fresh_graph(seed) as graph:
            model = build_graph(learning_rate, batch_size=batch_size)

        with make_session(graph, device) as sess:
            supervisor.start(sess, model.init_op)
            losses = train_network(sess, model.trainer, train_set, steps, batch_size,
                                   loop, say, supervisor)
            test_pred, test_accuracy = sess.run(
                [model.pred, model.accuracy],
                {model.input_tensor: test_set["input"], model.label: test_set["label"]})
        supervisor.log_scalar("accuracy", steps - 1, test_accuracy)
    say("Accuracy: {}".format(test_accuracy))
    return MantleResult(lines=say.lines, counts=label_counts(train_set, test_set),
                        losses=losses, accuracy=float(test_accuracy),
                        test_set=test_set, test_pred=test_pred)


PLOT_POINTS = 10000  # page 31 plots the first 10000 test rows (min, not max)
MAPPINGS = ("consistent", "slide")  # see docs/errata.md, "testing slide's plot"
SLIDE_RA_LIMIT = 4000  # page 31: rows with map_y > 4000 are skipped


def slide_rayleigh(rows):
    """Page 31's map_y, with the later generator's scalings (not page 27's).

    Against page 27's data it is page 27's Ra / 1000, so the points no
    longer sit where their labels were decided.
    """
    g = rows[:, 0] * 10
    a = rows[:, 1] * 1e-5
    v, k, d = rows[:, 2], rows[:, 3], rows[:, 4]
    dT = rows[:, 7] * 1000
    return ((a * g * dT * (d**3)) / (v * k)) * 1e7


def hand_crafted_representation(rows, cube="depth"):
    """(2 pi b / lam, Ra) of unscaled rows [n, 8]: pages 31-33's axes, [n] each."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return (2.0 * np.pi * rows[:, 5]) / rows[:, 6], rayleigh_number(rows, cube)


def plot(result, points=PLOT_POINTS, mapping="consistent", cube="depth"):
    """Page 31's figure: test rows at (2 pi b / lam, Ra), and page 33's curve.

    Each row is red where the network says stable (argmax 0), blue where
    unstable. mapping="consistent" puts Ra as page 27 computed it (cube as
    the labels were drawn), so the black curve Ra_cr is exactly the boundary
    of the labels; page 27's data put 2 pi b / lam above 4 and Ra over
    decades, hence the wider x and log y. mapping="slide" is page 31's code
    as printed: its scalings, its 4000 cut, its axes (see docs/errata.md).
    """
    import matplotlib.pyplot as plt  # late, so a caller can pick the backend

    if mapping not in MAPPINGS:
        raise ValueError("mapping must be one of {}, got {!r}".format(
            ", ".join(MAPPINGS), mapping))
    slide = mapping == "slide"
    rows = result.test_set["input"][:points]
    map_x, map_y = hand_crafted_representation(rows, cube)
    if slide:
        map_y = slide_rayleigh(rows)
    stable = np.argmax(result.test_pred[:points], axis=1) == 0
    # The slide skips rows with map_y > 4000 (NaN rows pass its test too).
    shown = ~(map_y > SLIDE_RA_LIMIT) if slide else np.ones(len(rows), dtype=bool)

    figure = plt.figure(figsize=(4, 8) if slide else (6, 8))
    for where, color, label in ((stable, "r", "predicted stable"),
                                (~stable, "b", "predicted unstable")):
        plt.scatter(map_x[where & shown], map_y[where & shown], color=color,
                    marker="o", s=6, alpha=0.5, label=label)
    plot_x = np.arange(0.5, 7 if slide else 16, 0.001)
    plot_y = critical_rayleigh(2 * np.pi / plot_x)
    plt.plot(plot_x, plot_y, color="k", linewidth=2, label="Theo Curve")
    if not slide:
        plt.xlim(0, 16)
        plt.yscale("log")
        plt.ylim(1e1, 1e7)
    plt.xlabel("2*pi*b/λ")
    plt.ylabel("Ra")
    plt.legend()
    return figure


FIGURE = "mantle_stability.png"


def main(argv=None):
    parser = make_parser("mantle_stability.py",
                         "Pages 26-33: classify the stability of a mantle layer.",
                         training=True, figures=True)
    add_mantle_flags(parser)
    add_supervisor_flags(parser)
    args = parser.parse_args(argv)

    def body():
        check_mantle_flags(args)
        supervise = config_from_args(args)
        check_resumable(supervise, PROGRAM, checkpoint_settings(
            args.seed, args.instances, args.split_rate, args.batch_size,
            args.learning_rate), args.steps)
        prepare_out_dir(args.out, files=[FIGURE])
        args.show = choose_backend(args.show)
        result = run(seed=args.seed, steps=args.steps, instances=args.instances,
                     split_rate=args.split_rate, batch_size=args.batch_size,
                     learning_rate=args.learning_rate,
                     device=chosen_device(args.device), loop=args.loop,
                     supervise=supervise)
        note("wrote " + publish_figure(plot(result), args.out, FIGURE, args.show))

    return run_main(parser.prog, body)
