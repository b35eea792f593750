"""The checks, run inside a grading child against one student module.

Each check calls exactly one student function and returns one plain line
saying what passed, or raises Failed with one line saying what did not.
Exceptions from the student's code are described by child.py.

Functions are graded on their own: while `inference` is graded, the name
`full_connection_layer` in the student's module is the reference layer, so a
bug in the layer costs the layer's points once.
"""

import contextlib

import numpy as np

from graph_examples import mantle_stability as mantle
from graph_examples import quadratic_fit
from graph_examples.grading import label_cases
from graph_examples.grading.rubric import CHECKS
from graph_examples.tf1 import fresh_graph, make_session, seed_numpy, tf, tf1
from graph_examples.training import Trainer, train
from layers import full_connection_layer as reference_layer


class Failed(Exception):
    """The submission does not do what the check asks; str() is the feedback."""


class Missing(Failed):
    """The submission does not define the function a check needs."""


class Student:
    """A student's imported module, and the functions the checks ask it for."""

    def __init__(self, module):
        self.module = module

    def function(self, name):
        value = getattr(self.module, name, None)
        if not callable(value):
            raise Missing("your file defines no function {}".format(name))
        return value


@contextlib.contextmanager
def swapped(owner, name, value):
    """Set owner.name = value for the duration, then put back what was there."""
    missing = object()
    saved = getattr(owner, name, missing)
    setattr(owner, name, value)
    try:
        yield
    finally:
        if saved is missing:
            delattr(owner, name)
        else:
            setattr(owner, name, saved)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


ACTIVATIONS = {
    "sigmoid": _sigmoid,
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "no activation": lambda z: z,
    "softmax": lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True),
}
OUTPUT_ATOL = 1e-5  # float32 forward passes agree with float64 NumPy to ~1e-7


def _shapes(variables):
    """'a/weight [8, 4], a/bias [4]' for feedback lines."""
    return ", ".join("{} {}".format(var.op.name, var.shape.as_list())
                     for var in variables) or "no variables"


# ---------------------------------------------------------------- the layer
PROBE_IN, PROBE_OUT = 5, 3


def _probe_layer(layer, n_in=PROBE_IN, n_out=PROBE_OUT, **kwargs):
    """Call the student's layer as page 28's inference does, on [None, n_in]."""
    x = tf1.placeholder(tf.float32, [None, n_in], name="probe_input")
    return x, layer(input_tensor=x, n_out=n_out, name="probe", **kwargs)


def _weight_and_bias():
    """The layer's rank-2 and rank-1 variables, whatever they are named."""
    variables = tf1.global_variables()
    weights = [var for var in variables if var.shape.rank == 2]
    biases = [var for var in variables if var.shape.rank == 1]
    if len(weights) != 1 or len(biases) != 1:
        raise Failed("cannot tell the layer's weight and bias apart: it creates "
                     + _shapes(variables))
    return weights[0], biases[0]


def _oriented(weight, n_in):
    """weight as [n_in, n_out]; its orientation is layer_variables' business."""
    return weight if weight.shape[0] == n_in else weight.T


def layer_variables(student, settings):
    layer = student.function("full_connection_layer")
    with fresh_graph(settings["seed"]):
        _probe_layer(layer)
        created = tf1.global_variables()
        trainable = tf1.trainable_variables()
    found = {var.op.name: var.shape.as_list() for var in created}
    expected = {"probe/weight": [PROBE_IN, PROBE_OUT], "probe/bias": [PROBE_OUT]}
    if found != expected:
        raise Failed("called with n_out={} and name 'probe' on a [None, {}] input, it "
                     "creates {}; page 28 creates probe/weight [{}, {}] and probe/bias "
                     "[{}]".format(PROBE_OUT, PROBE_IN, _shapes(created), PROBE_IN,
                                   PROBE_OUT, PROBE_OUT))
    if len(trainable) != 2:
        raise Failed("probe/weight and probe/bias must both be trainable")
    return "creates probe/weight [5, 3] and probe/bias [3] with get_variable"


# A [200, 100] weight gives 20000 draws: the sample mean and standard deviation
# of a truncated normal (stddev 0.1, cut at 2 stddev, true sd 0.0880) then lie
# within about 0.0006 and 0.0004 of their true values, so these bounds are
# 7-8 standard errors wide, and a Glorot uniform (sd 0.0816) or untruncated
# normal (values beyond 0.2) falls outside them.
INIT_SHAPE = (200, 100)
TRUNCATED_SD = (0.085, 0.091)
TRUNCATED_MEAN = 0.005
TRUNCATED_MAX = 0.2 + 1e-6


def _initial_values(layer, seed, **kwargs):
    with fresh_graph(seed) as graph:
        _probe_layer(layer, *INIT_SHAPE, **kwargs)
        weight, bias = _weight_and_bias()
        with make_session(graph) as sess:
            sess.run(tf1.global_variables_initializer())
            return sess.run([weight, bias])


def layer_initialisers(student, settings):
    layer = student.function("full_connection_layer")
    weight, bias = _initial_values(layer, settings["seed"])
    largest, mean, spread = np.abs(weight).max(), weight.mean(), weight.std()
    if largest > TRUNCATED_MAX or abs(mean) > TRUNCATED_MEAN or not (
            TRUNCATED_SD[0] <= spread <= TRUNCATED_SD[1]):
        raise Failed("default weights have mean {:.4f}, sd {:.4f}, largest |w| {:.3f}; "
                     "a truncated normal with stddev 0.1 (page 28) has mean 0, sd "
                     "0.088 and |w| <= 0.2".format(mean, spread, largest))
    if not np.allclose(bias, 0.1, rtol=0, atol=1e-7):
        raise Failed("default biases range from {:.4g} to {:.4g}; page 28 starts them "
                     "all at 0.1".format(bias.min(), bias.max()))

    weight, bias = _initial_values(layer, settings["seed"],
                                   w_init=tf1.constant_initializer(0.5),
                                   b_init=tf1.constant_initializer(-0.25))
    if not (np.all(weight == 0.5) and np.all(bias == -0.25)):
        raise Failed("given w_init=constant(0.5) and b_init=constant(-0.25) it does "
                     "not start the variables at 0.5 and -0.25: pass w_init and "
                     "b_init to get_variable")
    return ("default weights: truncated normal (sd {:.4f}, |w| <= 0.2), biases 0.1; "
            "w_init and b_init are used when given".format(spread))


def layer_output_name(student, settings):
    layer = student.function("full_connection_layer")
    with fresh_graph(settings["seed"]):
        _, output = _probe_layer(layer)
    if not isinstance(output, tf.Tensor):
        raise Failed("it returns {}, not a tensor".format(type(output).__name__))
    shape = output.shape.as_list() if output.shape.rank is not None else None
    if output.name != "probe_output:0" or shape != [None, PROBE_OUT]:
        raise Failed("it returns {} with shape {}; page 28 names the activation "
                     "'probe_output' (name=name + '_output'), shape [None, {}]".format(
                         output.name, shape, PROBE_OUT))
    return "returns probe_output:0, shape [None, 3]"


def _layer_output(layer, seed, inputs, **kwargs):
    """The layer's output on `inputs`, and x W + b from its own variables."""
    with fresh_graph(seed) as graph:
        x, output = _probe_layer(layer, **kwargs)
        weight, bias = _weight_and_bias()
        with make_session(graph) as sess:
            sess.run(tf1.global_variables_initializer())
            got, w, b = sess.run([output, weight, bias], {x: inputs})
    return got, inputs @ _oriented(w, PROBE_IN) + b


def _which_activation(got, pre):
    for name, function in ACTIVATIONS.items():
        if np.allclose(got, function(pre), atol=OUTPUT_ATOL):
            return name
    return "none of sigmoid, relu, tanh, softmax or no activation"


def layer_activation(student, settings):
    layer = student.function("full_connection_layer")
    inputs = np.random.RandomState(settings["seed"]).uniform(
        -3.0, 3.0, size=(16, PROBE_IN)).astype(np.float32)

    got, pre = _layer_output(layer, settings["seed"], inputs)
    if not np.allclose(got, _sigmoid(pre), atol=OUTPUT_ATOL):
        raise Failed("with the default activation its output is {}(x W + b), not "
                     "sigmoid(x W + b) (page 28)".format(_which_activation(got, pre)))

    got, pre = _layer_output(layer, settings["seed"], inputs, activation=tf.nn.relu)
    if not np.allclose(got, np.maximum(pre, 0.0), atol=OUTPUT_ATOL):
        raise Failed("given activation=tf.nn.relu its output is {}(x W + b): apply "
                     "the activation argument".format(_which_activation(got, pre)))
    return "computes sigmoid(x W + b) by default and the given activation otherwise"


# -------------------------------------------------------------- the network
NETWORK = (("fc_layer_1", 8, 4), ("fc_layer_2", 4, 4), ("fc_layer_3", 4, 4),
           ("pred", 4, 2))  # page 28: scope, inputs, units


def _scopes(variables):
    seen = []
    for var in variables:
        scope = var.op.name.rsplit("/", 1)[0]
        if scope not in seen:
            seen.append(scope)
    return seen


def _check_network_variables(variables):
    expected = {}
    for scope, n_in, n_out in NETWORK:
        expected[scope + "/weight"] = [n_in, n_out]
        expected[scope + "/bias"] = [n_out]
    found = {var.op.name: var.shape.as_list() for var in variables}
    if found == expected:
        return
    wanted = [scope for scope, _, _ in NETWORK]
    if _scopes(variables) != wanted:
        raise Failed("its layers are in the scopes {}; page 28 uses {}".format(
            ", ".join(_scopes(variables)) or "(no variables)", ", ".join(wanted)))
    raise Failed("it creates {}; page 28's 4-4-4-2 network has {}".format(
        _shapes(variables), ", ".join(
            "{} {}".format(name, shape) for name, shape in expected.items())))


def network_architecture(student, settings):
    inference = student.function("inference")
    seed_numpy(settings["seed"])
    inputs = mantle.simulate_inputs(16).astype(np.float32)
    with swapped(student.module, "full_connection_layer", reference_layer), \
            fresh_graph(settings["seed"]) as graph:
        x = tf1.placeholder(tf.float32, [None, mantle.DATA_LENGTH], name="input")
        pred = inference(input_tensor=x)
        variables = tf1.trainable_variables()
        _check_network_variables(variables)
        if not isinstance(pred, tf.Tensor) or pred.shape.as_list() != [None, 2]:
            raise Failed("it returns {}; expected pred's output, a [None, 2] "
                         "tensor".format(pred))
        with make_session(graph) as sess:
            sess.run(tf1.global_variables_initializer())
            got = sess.run(pred, {x: inputs})
            values = dict(zip([var.op.name for var in variables],
                              sess.run(variables)))

    # Page 29's a = sigma(W a + b), layer after layer, in NumPy.
    activation = inputs.astype(np.float64)
    for scope, _, _ in NETWORK:
        activation = _sigmoid(activation @ values[scope + "/weight"]
                              + values[scope + "/bias"])
    if not np.allclose(got, activation, atol=OUTPUT_ATOL):
        raise Failed("its output is not the sigmoid chain fc_layer_1 -> fc_layer_2 "
                     "-> fc_layer_3 -> pred: check that each layer feeds the next")
    return "4-4-4-2 sigmoid chain in fc_layer_1, fc_layer_2, fc_layer_3, pred"


def _feed_trainer(placeholders, loss, train_op):
    """The shared loop's Trainer for its `feed` form, one sess.run a step as on
    the slides: a student's graph has no in-graph copy of its loss."""
    return Trainer(tuple(placeholders), loss, train_op, chunk_inputs=(),
                   chunk_losses=None)


def _student_network(inference, seed):
    """Page 30, In [7], around the student's inference; page 31's accuracy."""
    with fresh_graph(seed) as graph:
        x = tf1.placeholder(tf.float32, [None, mantle.DATA_LENGTH], name="input")
        label = tf1.placeholder(tf.float32, [None, 2], name="label")
        pred = inference(input_tensor=x)
        loss = mantle.cross_entropy(pred, label)
        train_op = tf1.train.AdamOptimizer(mantle.LEARNING_RATE).minimize(loss)
        correct_pred = tf.equal(tf.argmax(pred, 1), tf.argmax(label, 1))
        accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))
        init_op = tf1.global_variables_initializer()
    return graph, _feed_trainer((x, label), loss, train_op), accuracy, init_op


def training_accuracy(student, settings):
    inference = student.function("inference")
    seed, steps = settings["seed"], settings["training_steps"]
    seed_numpy(seed)
    train_set, test_set = mantle.generate_data_set(settings["training_instances"],
                                                   0.5, echo=None)
    with swapped(student.module, "full_connection_layer", reference_layer):
        graph, trainer, accuracy, init_op = _student_network(inference, seed)

    # The reference's data, loss, Adam(0.01), batches and loop; their network.
    with make_session(graph) as sess:
        sess.run(init_op)
        mantle.train_network(sess, trainer, train_set, steps, mantle.BATCH_SIZE,
                             "feed", say=lambda loss_val: None)
        x, label = trainer.placeholders
        reached = float(sess.run(accuracy, {x: test_set["input"],
                                            label: test_set["label"]}))
    threshold = settings["accuracy_threshold"]
    summary = "test accuracy {:.4f} after {} steps (needs {})".format(
        reached, steps, threshold)
    if not reached >= threshold:
        raise Failed("reached only " + summary)
    return "reached " + summary


# ------------------------------------------------------------ the generator
def _generate(generator, instance_num, split_rate):
    """Call the student's generator; check what it returns is two data sets."""
    result = generator(instance_num, split_rate)
    if not (isinstance(result, tuple) and len(result) == 2):
        raise Failed("generate_data_set must return (train_set, test_set); it "
                     "returned {}".format(type(result).__name__))
    data_sets = []
    for which, data in zip(("train_set", "test_set"), result):
        if not (isinstance(data, dict) and {"input", "label"} <= set(data)):
            raise Failed("{} must be a dict with keys 'input' and 'label'".format(
                which))
        inputs = np.asarray(data["input"], dtype=np.float64)
        labels = np.asarray(data["label"], dtype=np.float64)
        if (inputs.ndim != 2 or inputs.shape[1] != 8 or labels.shape
                != (len(inputs), 2)):
            raise Failed("{} has input {} and label {}; expected [n, 8] and "
                         "[n, 2]".format(which, inputs.shape, labels.shape))
        data_sets.append((inputs, labels))
    return data_sets


def _joined(data_sets):
    """All rows, train then test: what the split does not change."""
    return (np.concatenate([inputs for inputs, _ in data_sets]),
            np.concatenate([labels for _, labels in data_sets]))


def generator_ranges(student, settings):
    generator = student.function("generate_data_set")
    seed_numpy(settings["seed"])
    inputs, labels = _joined(_generate(generator, 3000, 0.6))
    if len(inputs) != 3000:
        raise Failed("generate_data_set(3000, 0.6) returns {} rows in all".format(
            len(inputs)))
    for column, (name, low, high, _, meaning) in enumerate(mantle.COLUMNS):
        if name == "b":
            low = np.maximum(low, inputs[:, 4])  # b is drawn from (max(0.25, d), 0.35)
        values = inputs[:, column]
        if not np.all((values >= low) & (values <= high)):
            allowed = ("(max(0.25, d), 0.35)" if name == "b"
                       else "({}, {})".format(low, high))
            raise Failed("column {} ({}, {}) has values outside page 27's range "
                         "{}".format(column, name, meaning, allowed))
    one_hot = np.all((labels == mantle.STABLE) | (labels == mantle.UNSTABLE), axis=1)
    if not np.all(one_hot):
        raise Failed("{} labels are neither (1, 0) nor (0, 1)".format(
            int((~one_hot).sum())))
    return "shapes [n, 8] and [n, 2], all eight columns in page 27's ranges, one-hot"


SPLITS = ((1000, 0.6), (999, 0.5), (10, 0.35))  # int() rounds 499.5 and 3.5 down


def generator_split(student, settings):
    generator = student.function("generate_data_set")
    for instance_num, split_rate in SPLITS:
        seed_numpy(settings["seed"])
        (train, _), (test, _) = _generate(generator, instance_num, split_rate)
        index = mantle.split_index(instance_num, split_rate)
        if (len(train), len(test)) != (index, instance_num - index):
            raise Failed("generate_data_set({}, {}) gives {} train and {} test rows; "
                         "page 27's int(instance_num * split_rate) gives {} and "
                         "{}".format(instance_num, split_rate, len(train), len(test),
                                     index, instance_num - index))
    return "splits at int(instance_num * split_rate), e.g. 999 rows at 0.5: 499 + 500"


def generator_label_rule(student, settings):
    generator = student.function("generate_data_set")
    rows, ratio = label_cases.picked_rows()
    with swapped(np.random, "uniform", label_cases.PickedDraws(rows)):
        inputs, labels = _joined(_generate(generator, len(rows), 0.5))
    if inputs.shape != rows.shape or not np.array_equal(inputs, rows):
        raise Failed("could not feed hand-picked rows: draw each column with "
                     "np.random.uniform(low, high, ...) as page 27 does")

    expected = label_cases.expected_labels(rows)
    wrong = np.flatnonzero(np.any(labels != expected, axis=1))
    if len(wrong):
        first = wrong[0]
        raise Failed("{} of {} hand-picked rows near Ra_cr are labelled wrong, e.g. "
                     "Ra/Ra_cr = {:.5g} should be {} {}; Ra = a g dT d^3 / (v k) "
                     "cubes the depth d (page 27)".format(
                         len(wrong), len(rows), ratio[first],
                         "unstable" if ratio[first] > 1 else "stable",
                         tuple(int(v) for v in expected[first])))
    below = int((ratio < 1).sum())
    return "labels all {} hand-picked rows right ({} just below Ra_cr, {} just " \
           "above)".format(len(rows), below, len(rows) - below)


SEEDED_ROWS = 5000


def generator_seeded(student, settings):
    generator = student.function("generate_data_set")
    seed_numpy(settings["seed"])
    reference = mantle.generate_data_set(SEEDED_ROWS, 0.5, echo=None)
    seed_numpy(settings["seed"])
    inputs, labels = _joined(_generate(generator, SEEDED_ROWS, 0.5))
    want_inputs = np.concatenate([reference[0]["input"], reference[1]["input"]])
    want_labels = np.concatenate([reference[0]["label"], reference[1]["label"]])
    if inputs.shape != want_inputs.shape or not np.array_equal(inputs, want_inputs):
        raise Failed("after np.random.seed({}) its rows differ from the reference's: "
                     "draw the columns in page 27's order, b row by row from "
                     "(max(0.25, d), 0.35)".format(settings["seed"]))
    if not np.array_equal(labels, want_labels):
        differ = int(np.any(labels != want_labels, axis=1).sum())
        raise Failed("after np.random.seed({}) its rows match the reference's but {} "
                     "of {} labels differ".format(settings["seed"], differ,
                                                  SEEDED_ROWS))
    return "the same {} rows and labels as the reference after np.random.seed({})" \
           .format(SEEDED_ROWS, settings["seed"])


# ------------------------------------------------------------ the batches
BATCH_SIZE = 64


def _train_set(seed):
    seed_numpy(seed)
    train_set, _ = mantle.generate_data_set(500, 0.8, echo=None)
    return train_set


def _batch(batch_function, train_set):
    """Call the student's batch function on a copy; check the two arrays."""
    copy = {key: value.copy() for key, value in train_set.items()}
    result = batch_function(copy, BATCH_SIZE, mantle.DATA_LENGTH)
    if not (isinstance(result, tuple) and len(result) == 2):
        raise Failed("get_traning_batch must return (input_batch, label_batch)")
    inputs, labels = (np.asarray(part, dtype=np.float64) for part in result)
    if inputs.shape != (BATCH_SIZE, 8) or labels.shape != (BATCH_SIZE, 2):
        raise Failed("for batch_size {} it returns arrays {} and {}; expected [{}, 8] "
                     "and [{}, 2]".format(BATCH_SIZE, inputs.shape, labels.shape,
                                          BATCH_SIZE, BATCH_SIZE))
    return inputs, labels


def batch_rows(student, settings):
    batch_function = student.function("get_traning_batch")
    train_set = _train_set(settings["seed"])
    inputs, labels = _batch(batch_function, train_set)
    row_of = {row.tobytes(): idx for idx, row in enumerate(train_set["input"])}
    for row, label in zip(inputs, labels):
        idx = row_of.get(row.tobytes())
        if idx is None:
            raise Failed("it returns an input row that is not in train_set")
        if not np.array_equal(label, train_set["label"][idx]):
            raise Failed("it returns a row with another row's label: take the label "
                         "from the same index as the input")
    return "{} rows of train_set, each with its own label".format(BATCH_SIZE)


def batch_seeded(student, settings):
    batch_function = student.function("get_traning_batch")
    train_set = _train_set(settings["seed"])
    seed_numpy(settings["seed"])
    want_inputs, want_labels = mantle.get_traning_batch(train_set, BATCH_SIZE,
                                                        mantle.DATA_LENGTH)
    seed_numpy(settings["seed"])
    inputs, labels = _batch(batch_function, train_set)
    same_rows = np.array_equal(inputs, want_inputs)
    if not (same_rows and np.array_equal(labels, want_labels)):
        raise Failed("after np.random.seed({}) it picks other rows than the slide's "
                     "np.random.choice(len(train_set['input']), batch_size)".format(
                         settings["seed"]))
    return "picks the slide's rows, np.random.choice(len, batch_size)"


# -------------------------------------------------------- the quadratic fit
def _quadratic_parts(build):
    """(x, y, w, loss, train_op) from the student's build_quadratic_graph()."""
    parts = build()
    if not (isinstance(parts, (tuple, list)) and len(parts) == 5):
        raise Failed("build_quadratic_graph() must return (x, y, w, loss, train_op)")
    x, y, w, loss, train_op = parts
    for name, placeholder in (("x", x), ("y", y)):
        if not (isinstance(placeholder, tf.Tensor) and placeholder.op.type
                == "Placeholder" and placeholder.dtype == tf.float32):
            raise Failed("{} must be a tf.float32 placeholder (page 22)".format(name))
    if not (isinstance(w, tf.Variable) and w.shape.as_list() == [3, 1]):
        raise Failed("w must be the variable get_variable('w', shape=[3, 1])")
    if not (isinstance(loss, tf.Tensor) and loss.shape.rank == 0):
        raise Failed("loss must be a scalar tensor")
    if not isinstance(train_op, (tf.Operation, tf.Tensor)):
        raise Failed("train_op must be the optimizer's minimize(loss) op")
    return x, y, w, loss, train_op


# w = (1, 2, 3) at x = (-1, 0, 2) gives yhat = (2, 3, 11); against y = (0, 1, 2)
# l2_loss is (2^2 + 2^2 + 9^2) / 2 = 44.5.
LOSS_PROBE = ([[1.0], [2.0], [3.0]], [-1.0, 0.0, 2.0], [0.0, 1.0, 2.0], 44.5)


def quadratic_graph(student, settings):
    build = student.function("build_quadratic_graph")
    w_value, x_value, y_value, want = LOSS_PROBE
    with fresh_graph(settings["seed"]) as graph:
        x, y, w, loss, _ = _quadratic_parts(build)
        load_w = tf1.assign(w, w_value)
        with make_session(graph) as sess:
            sess.run(tf1.global_variables_initializer())
            sess.run(load_w)
            got = sess.run(loss, {x: x_value, y: y_value})
    if not np.isclose(got, want, rtol=1e-6):
        raise Failed("with w = (1, 2, 3), x = (-1, 0, 2), y = (0, 1, 2) its loss is "
                     "{:.6g}; yhat = w0 x^2 + w1 x + w2 and tf.nn.l2_loss(yhat - y) "
                     "give 44.5 (page 22)".format(got))
    return "placeholders x and y, w [3, 1], loss = l2_loss(yhat - y) = 44.5 on a probe"


def _fit_from_zero(build_parts, settings):
    """w after the shared loop trains build_parts()' graph from w = 0 on
    page 22's seeded data.

    Starting both graphs at w = 0 takes the initial draw, which depends on the
    order ops were built in, out of the comparison.
    """
    with fresh_graph(settings["seed"]) as graph:
        x, y, w, loss, train_op = build_parts()
        init = tf1.global_variables_initializer()
        with tf.control_dependencies([init]):
            start = tf1.assign(w, tf.zeros_like(w))
    seed_numpy(settings["seed"])
    with make_session(graph) as sess:
        sess.run(start)
        train(sess, _feed_trainer((x, y), loss, train_op), quadratic_fit.draw_batches,
              settings["quadratic_steps"], loop="feed")
        return sess.run(w)[:, 0]


def _reference_parts():
    model = quadratic_fit.build_graph(quadratic_fit.LEARNING_RATE)
    return model.x, model.y, model.w, model.trainer.loss, model.trainer.train_op


def quadratic_fit_check(student, settings):
    build = student.function("build_quadratic_graph")
    got = _fit_from_zero(lambda: _quadratic_parts(build), settings)
    want = _fit_from_zero(_reference_parts, settings)
    gap = float(np.abs(got - want).max())
    line = "after {} Adam steps from w = 0, w = ({}), the reference's ({})".format(
        settings["quadratic_steps"], ", ".join("{:.3f}".format(v) for v in got),
        ", ".join("{:.3f}".format(v) for v in want))
    if not gap <= settings["quadratic_tolerance"]:
        raise Failed(line + ": apart by {:.3g}; check Adam's learning rate (0.001, "
                            "page 22) and the loss".format(gap))
    return line


RUNNERS = {
    "layer_variables": layer_variables,
    "layer_initialisers": layer_initialisers,
    "layer_output_name": layer_output_name,
    "layer_activation": layer_activation,
    "network_architecture": network_architecture,
    "training_accuracy": training_accuracy,
    "generator_ranges": generator_ranges,
    "generator_split": generator_split,
    "generator_label_rule": generator_label_rule,
    "generator_seeded": generator_seeded,
    "batch_rows": batch_rows,
    "batch_seeded": batch_seeded,
    "quadratic_graph": quadratic_graph,
    "quadratic_fit": quadratic_fit_check,
}
assert list(RUNNERS) == [check.id for check in CHECKS], "RUNNERS and CHECKS disagree"
