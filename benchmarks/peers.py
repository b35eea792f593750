"""The lecture's two trainings written the way other frameworks teach it.

Same network, loss, optimiser settings, batches and step count as the
lecture; each framework's idiom for the loop:

- `keras_fit`: Keras 3 `Model.fit` on a tf.data pipeline of the lecture's
  batches (optionally with `steps_per_execution`).
- `tf_function`: a TF2 custom loop, one `tf.function(jit_compile=True)`
  call a step; `tf_function_loop`: the loop inside the compiled function,
  1000 steps a call.
- `torch_loop`: a PyTorch loop, one optimiser step a batch.

The network is page 28's 4-4-4-2 with a sigmoid on every layer, and page 30
hands those sigmoid outputs to softmax cross-entropy as logits. Keras's
`CategoricalCrossentropy(from_logits=True)` after a sigmoid layer would
silently use the pre-sigmoid values (it looks through the activation), so
the loss here is a plain function of the model's outputs instead.

Each function takes the seed and sizes, and returns a dict with `train`
(seconds in the training loop, model building and tracing excluded, Keras's
`fit` call whole), `final_loss`, and `accuracy` or `coefficients` (and
the quadratic's step-0 `first_loss`). The data and batches are the
library's (the lecture's NumPy stream under the same seed), so only the
training differs.
"""

import time

import numpy as np

from graph_examples import mantle_stability as mantle
from graph_examples import quadratic_fit as quadratic

# Page 28's initial values, page 30's and page 22's Adam settings.
WEIGHT_STDDEV = 0.1
BIAS_INIT = 0.1
TF1_ADAM_EPSILON = 1e-8  # tf.compat.v1's default; Keras's is 1e-7
LAYER_SIZES = (4, 4, 4, 2)


def mantle_data(seed, instances, split_rate, steps):
    """The lecture's data set and every step's batch row ids, [steps, 1000]."""
    np.random.seed(seed)
    train_set, test_set = mantle.generate_data_set(instances, split_rate, echo=None)
    ids = mantle.draw_batch_ids(len(train_set["input"]), mantle.BATCH_SIZE, steps)
    return train_set, test_set, ids


def quadratic_data(seed, steps):
    """Every step's 100 points x and y, [steps, 100], as page 22 draws them."""
    np.random.seed(seed)
    return quadratic.draw_batches(steps)


def quadratic_features(x):
    """[x^2, x, 1], the columns page 22 stacks, float32 [..., 3]."""
    return np.stack([np.square(x), x, np.ones_like(x)], -1).astype(np.float32)


# --- TensorFlow 2 (Keras 3 and tf.function) ---------------------------------


def eager_tf():
    """TensorFlow in TF2 mode: the library's import switched it to TF1 mode."""
    from graph_examples.tf1 import tf

    tf.compat.v1.enable_v2_behavior()
    return tf


def keras_mantle_model(keras, seed):
    keras.utils.set_random_seed(seed)
    layers = [keras.layers.Dense(
        n, activation="sigmoid",
        kernel_initializer=keras.initializers.TruncatedNormal(stddev=WEIGHT_STDDEV),
        bias_initializer=keras.initializers.Constant(BIAS_INIT))
        for n in LAYER_SIZES]
    return keras.Sequential([keras.Input((mantle.DATA_LENGTH,))] + layers)


def sigmoid_outputs_as_logits(tf):
    """Page 30's loss on the model's (sigmoid) outputs, mean over the batch."""
    def loss(label, pred):
        return tf.nn.softmax_cross_entropy_with_logits(labels=label, logits=pred)
    return loss


def keras_fit_mantle(seed, instances, split_rate, steps, steps_per_execution=1):
    tf = eager_tf()
    import keras

    train_set, test_set, ids = mantle_data(seed, instances, split_rate, steps)
    model = keras_mantle_model(keras, seed)
    model.compile(optimizer=keras.optimizers.Adam(mantle.LEARNING_RATE,
                                                  epsilon=TF1_ADAM_EPSILON),
                  loss=sigmoid_outputs_as_logits(tf),
                  steps_per_execution=steps_per_execution)
    inputs = tf.constant(train_set["input"], tf.float32)
    labels = tf.constant(train_set["label"], tf.float32)
    batches = tf.data.Dataset.from_tensor_slices(ids).map(
        lambda row_ids: (tf.gather(inputs, row_ids), tf.gather(labels, row_ids)))
    start = time.perf_counter()
    history = model.fit(batches.prefetch(tf.data.AUTOTUNE), epochs=1,
                        steps_per_epoch=steps, verbose=0)
    train = time.perf_counter() - start

    pred = model.predict(test_set["input"].astype(np.float32),
                         batch_size=len(test_set["input"]), verbose=0)
    accuracy = np.mean(np.argmax(pred, 1) == np.argmax(test_set["label"], 1))
    # fit reports the mean loss over the epoch, not the last step's.
    return {"train": train, "accuracy": float(accuracy),
            "final_loss": float(history.history["loss"][-1]),
            "final_loss_is": "mean over the run (Keras reports no last step)"}


def tf_function_mantle(seed, instances, split_rate, steps):
    tf = eager_tf()
    import keras

    train_set, test_set, ids = mantle_data(seed, instances, split_rate, steps)
    model = keras_mantle_model(keras, seed)
    optimizer = keras.optimizers.Adam(mantle.LEARNING_RATE, epsilon=TF1_ADAM_EPSILON)
    loss_fn = sigmoid_outputs_as_logits(tf)
    inputs = tf.constant(train_set["input"], tf.float32)
    labels = tf.constant(train_set["label"], tf.float32)

    @tf.function(jit_compile=True)
    def train_step(row_ids):
        x, y = tf.gather(inputs, row_ids), tf.gather(labels, row_ids)
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(loss_fn(y, model(x, training=True)))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    step_ids = tf.constant(ids)
    start = time.perf_counter()
    for step in range(steps):
        loss = train_step(step_ids[step])
    final_loss = float(loss)
    train = time.perf_counter() - start

    pred = model(test_set["input"].astype(np.float32)).numpy()
    accuracy = np.mean(np.argmax(pred, 1) == np.argmax(test_set["label"], 1))
    return {"train": train, "accuracy": float(accuracy), "final_loss": final_loss}


def tf_function_loop_mantle(seed, instances, split_rate, steps, chunk=1000):
    """As tf_function_mantle, but `chunk` steps a call: a loop inside the
    compiled function, as graph_examples' in-graph loop does."""
    tf = eager_tf()
    import keras

    train_set, test_set, ids = mantle_data(seed, instances, split_rate, steps)
    model = keras_mantle_model(keras, seed)
    optimizer = keras.optimizers.Adam(mantle.LEARNING_RATE, epsilon=TF1_ADAM_EPSILON)
    optimizer.build(model.trainable_variables)
    loss_fn = sigmoid_outputs_as_logits(tf)
    inputs = tf.constant(train_set["input"], tf.float32)
    labels = tf.constant(train_set["label"], tf.float32)

    @tf.function(jit_compile=True)
    def train_steps(chunk_ids):
        losses = tf.TensorArray(tf.float32, size=tf.shape(chunk_ids)[0])
        for i in tf.range(tf.shape(chunk_ids)[0]):
            x, y = tf.gather(inputs, chunk_ids[i]), tf.gather(labels, chunk_ids[i])
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(loss_fn(y, model(x, training=True)))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            losses = losses.write(i, loss)
        return losses.stack()

    # Whole chunks of one shape, so XLA compiles once; the rest a step a call.
    whole = steps - steps % chunk
    start = time.perf_counter()
    losses = [train_steps(tf.constant(ids[begin:begin + chunk]))
              for begin in range(0, whole, chunk)]
    losses += [train_steps(tf.constant(ids[step:step + 1]))
               for step in range(whole, steps)]
    final_loss = float(losses[-1][-1])
    train = time.perf_counter() - start

    pred = model(test_set["input"].astype(np.float32)).numpy()
    accuracy = np.mean(np.argmax(pred, 1) == np.argmax(test_set["label"], 1))
    return {"train": train, "accuracy": float(accuracy), "final_loss": final_loss}


def keras_quadratic_model(keras, seed):
    keras.utils.set_random_seed(seed)
    # One [3, 1] Glorot-uniform weight and no bias, like get_variable("w").
    return keras.Sequential([keras.Input((3,)),
                             keras.layers.Dense(1, use_bias=False)])


def keras_fit_quadratic(seed, steps, steps_per_execution=1):
    eager_tf()
    import keras

    x_val, y_val = quadratic_data(seed, steps)
    model = keras_quadratic_model(keras, seed)

    # tf.nn.l2_loss(yhat - y) = sum of squares / 2: summed, weighted by 0.5.
    model.compile(optimizer=keras.optimizers.Adam(quadratic.LEARNING_RATE,
                                                  epsilon=TF1_ADAM_EPSILON),
                  loss=keras.losses.MeanSquaredError(reduction="sum"),
                  loss_weights=0.5, steps_per_execution=steps_per_execution)
    features = quadratic_features(x_val.reshape(-1))
    targets = y_val.reshape(-1, 1).astype(np.float32)
    # Step 0's loss, before any update, untimed: fit reports only means.
    first_loss = model.evaluate(features[:quadratic.SAMPLE_SIZE],
                                targets[:quadratic.SAMPLE_SIZE],
                                batch_size=quadratic.SAMPLE_SIZE, verbose=0)
    start = time.perf_counter()
    history = model.fit(features, targets,
                        batch_size=quadratic.SAMPLE_SIZE, epochs=1, shuffle=False,
                        verbose=0)
    train = time.perf_counter() - start
    w = model.layers[-1].kernel.numpy()[:, 0]
    return {"train": train, "coefficients": [float(v) for v in w],
            "first_loss": float(first_loss),
            "final_loss": float(history.history["loss"][-1]),
            "final_loss_is": "mean over the run (Keras reports no last step)"}


def tf_function_quadratic(seed, steps):
    tf = eager_tf()
    import keras

    x_val, y_val = quadratic_data(seed, steps)
    keras.utils.set_random_seed(seed)
    w = tf.Variable(keras.initializers.GlorotUniform()((3, 1)))
    optimizer = keras.optimizers.Adam(quadratic.LEARNING_RATE,
                                      epsilon=TF1_ADAM_EPSILON)

    @tf.function(jit_compile=True)
    def train_step(x, y):
        with tf.GradientTape() as tape:
            f = tf.stack([tf.square(x), x, tf.ones_like(x)], 1)
            loss = tf.nn.l2_loss(tf.squeeze(tf.matmul(f, w), 1) - y)
        optimizer.apply_gradients([(tape.gradient(loss, w), w)])
        return loss

    xs = tf.constant(x_val, tf.float32)
    ys = tf.constant(y_val, tf.float32)
    start = time.perf_counter()
    for step in range(steps):
        loss = train_step(xs[step], ys[step])
        if step == 0:
            first_loss = float(loss)
    final_loss = float(loss)
    train = time.perf_counter() - start
    return {"train": train, "first_loss": first_loss, "final_loss": final_loss,
            "coefficients": [float(v) for v in w.numpy()[:, 0]]}


# --- PyTorch -----------------------------------------------------------------


def torch_mantle_model(torch, seed):
    torch.manual_seed(seed)
    layers, n_in = [], mantle.DATA_LENGTH
    for n_out in LAYER_SIZES:
        linear = torch.nn.Linear(n_in, n_out)
        torch.nn.init.trunc_normal_(linear.weight, std=WEIGHT_STDDEV,
                                    a=-2 * WEIGHT_STDDEV, b=2 * WEIGHT_STDDEV)
        torch.nn.init.constant_(linear.bias, BIAS_INIT)
        layers += [linear, torch.nn.Sigmoid()]
        n_in = n_out
    return torch.nn.Sequential(*layers)


def torch_mantle(seed, instances, split_rate, steps):
    import torch

    train_set, test_set, ids = mantle_data(seed, instances, split_rate, steps)
    model = torch_mantle_model(torch, seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=mantle.LEARNING_RATE,
                                 eps=TF1_ADAM_EPSILON)
    inputs = torch.from_numpy(train_set["input"].astype(np.float32))
    labels = torch.from_numpy(train_set["label"].astype(np.float32))
    step_ids = torch.from_numpy(ids)
    start = time.perf_counter()
    for step in range(steps):
        x, y = inputs[step_ids[step]], labels[step_ids[step]]
        # cross_entropy with class probabilities as the target takes the
        # sigmoid outputs as logits, as page 30 does.
        loss = torch.nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    final_loss = float(loss)
    train = time.perf_counter() - start

    with torch.no_grad():
        pred = model(torch.from_numpy(test_set["input"].astype(np.float32))).numpy()
    accuracy = np.mean(np.argmax(pred, 1) == np.argmax(test_set["label"], 1))
    return {"train": train, "accuracy": float(accuracy), "final_loss": final_loss}


def torch_quadratic(seed, steps):
    import torch

    x_val, y_val = quadratic_data(seed, steps)
    torch.manual_seed(seed)
    w = torch.nn.Parameter(torch.empty(3, 1))
    torch.nn.init.xavier_uniform_(w)
    optimizer = torch.optim.Adam([w], lr=quadratic.LEARNING_RATE, eps=TF1_ADAM_EPSILON)
    features = torch.from_numpy(quadratic_features(x_val))
    ys = torch.from_numpy(y_val.astype(np.float32))
    start = time.perf_counter()
    for step in range(steps):
        loss = 0.5 * torch.sum(((features[step] @ w).squeeze(1) - ys[step]) ** 2)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step == 0:
            first_loss = float(loss)
    final_loss = float(loss)
    train = time.perf_counter() - start
    return {"train": train, "first_loss": first_loss, "final_loss": final_loss,
            "coefficients": [float(v) for v in w.detach().numpy()[:, 0]]}
