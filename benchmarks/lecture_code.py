"""The lecture's own code, cell by cell, as the benchmark's reference.

Transcribed from the slide images (pages 22-23, 27, 28, 30, 31), not from
the library: only `tf` is `tf.compat.v1` and `print` goes where the caller
says. It is kept here, outside the package, so nothing else depends on it.

Departures, each also marked NOTE where it lives:
- the seeds (the lecture ran unseeded), so the numbers can be compared with
  the library's under the same seed;
- the step and row counts are arguments (the slides hard-code them);
- the figure cells (page 23 In [11], page 31 In [24]) are left out: the
  benchmark times the computation, not matplotlib.
"""

import time

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def quadratic_fit(seed=1, step_num=20001, echo=print):
    """Pages 22-23, In [2]-[10]; returns (inspect_list, last loss_val, clock)."""
    clock = {"start": time.perf_counter()}
    tf.reset_default_graph()
    # NOTE: seeded here and below; the lecture ran unseeded.
    tf.set_random_seed(seed)
    np.random.seed(seed)

    x = tf.placeholder(tf.float32)
    y = tf.placeholder(tf.float32)
    w = tf.get_variable("w", shape=[3, 1])
    f = tf.stack([tf.square(x), x, tf.ones_like(x)], 1)
    yhat = tf.squeeze(tf.matmul(f, w), 1)
    loss = tf.nn.l2_loss(yhat - y)
    train_op = tf.train.AdamOptimizer(0.001).minimize(loss)

    def generate_data(size=100):
        x_val = np.random.uniform(-10.0, 10.0, size=size)
        y_val = 5 * np.square(x_val) + 14.3 * x_val + 8.9
        return x_val, y_val

    inspect_step = [0, 1000, 5000, 10000, 15000, 20000]
    inspect_list = list()

    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    clock["train"] = time.perf_counter()
    for step in range(step_num):
        x_val, y_val = generate_data()
        _, loss_val = sess.run([train_op, loss], {x: x_val, y: y_val})
        # NOTE: `or step == step_num - 1` so a short run also reports its end.
        if step in inspect_step or step == step_num - 1:
            echo('STEP {:5d}: loss_val {:}'.format(step, loss_val))
            inspect_data = dict()
            inspect_data['w'] = w.eval(sess)
            inspect_data['step'] = step
            inspect_list.append(inspect_data)
    clock["end"] = time.perf_counter()
    sess.close()
    return inspect_list, loss_val, clock


def generate_data_set(instance_num=10000, split_rate=0.6, echo=print):
    """Page 27, In [3], with the `else:` the text extraction lost."""
    counter_for_stable = 0
    counter_for_unstable = 0

    data_set = {'input': np.zeros([instance_num, 8]),
                'label': np.zeros([instance_num, 2])}
    data_set['input'][:, 0] = np.random.uniform(0.8, 1.0, size=instance_num)
    data_set['input'][:, 1] = np.random.uniform(1e-4, 1e-2, size=instance_num)
    data_set['input'][:, 2] = np.random.uniform(1e-2, 1.0, size=instance_num)
    data_set['input'][:, 3] = np.random.uniform(0.1, 1.0, size=instance_num)
    data_set['input'][:, 4] = np.random.uniform(0, 0.35, size=instance_num)
    for idx in range(instance_num):
        data_set['input'][idx, 5] = np.random.uniform(
            max([0.25, data_set['input'][idx, 4]]), 0.35)
    data_set['input'][:, 6] = np.random.uniform(0.0, 0.39, size=instance_num)
    data_set['input'][:, 7] = np.random.uniform(0.0, 0.5, size=instance_num)

    for idx in range(instance_num):
        g = data_set['input'][idx, 0] * 10
        a = data_set['input'][idx, 1]
        v = data_set['input'][idx, 2] * 1000
        k = data_set['input'][idx, 3] * 10000
        d = data_set['input'][idx, 4] * 10000
        b = data_set['input'][idx, 5] * 10000
        lam = data_set['input'][idx, 6] * 10000
        dT = data_set['input'][idx, 7] * 1000

        Ra = (a * g * dT * (d**3)) / (v * k)

        Racr = (np.pi**4 * ((4 + (lam / b)**2)**3)) / (4 * ((lam / b)**4))

        if Ra > Racr:
            data_set['label'][idx, 0] = 0
            data_set['label'][idx, 1] = 1
            counter_for_unstable += 1
        else:
            data_set['label'][idx, 0] = 1
            data_set['label'][idx, 1] = 0
            counter_for_stable += 1
    split_index = int(instance_num * split_rate)

    train_set = {'input': data_set['input'][0:split_index, :],
                 'label': data_set['label'][0:split_index, :]}
    test_set = {'input': data_set['input'][split_index:, :],
                'label': data_set['label'][split_index:, :]}

    echo('Stable:{} UnStable:{}'.format(counter_for_stable, counter_for_unstable))

    return train_set, test_set


def full_connection_layer(input_tensor, n_out,
                          w_init=tf.truncated_normal_initializer(stddev=0.1),
                          b_init=tf.constant_initializer(0.1),
                          activation=tf.nn.sigmoid, name=None):
    """Page 28."""
    n_in = input_tensor.get_shape().as_list()[1]
    with tf.variable_scope(name):
        weight = tf.get_variable('weight', [n_in, n_out], initializer=w_init)
        bias = tf.get_variable('bias', [n_out], initializer=b_init)
    output_tensor = activation(tf.matmul(input_tensor, weight) + bias,
                               name=name + '_output')
    return output_tensor


def inference(input_tensor):
    """Page 28."""
    hidden_layer_1 = full_connection_layer(input_tensor=input_tensor, n_out=4,
                                           name='fc_layer_1')
    hidden_layer_2 = full_connection_layer(input_tensor=hidden_layer_1, n_out=4,
                                           name='fc_layer_2')
    hidden_layer_3 = full_connection_layer(input_tensor=hidden_layer_2, n_out=4,
                                           name='fc_layer_3')
    pred = full_connection_layer(input_tensor=hidden_layer_3, n_out=2, name='pred')
    return pred


def get_traning_batch(train_set, batch_size, data_length):
    """Page 30, In [8]."""
    batch_ids = np.random.choice(len(train_set['input']), batch_size)
    input_batch = np.zeros([batch_size, data_length])
    label_batch = np.zeros([batch_size, 2])
    for idx in range(batch_size):
        input_batch[idx][:] = train_set['input'][batch_ids[idx]][:]
        label_batch[idx][:] = train_set['label'][batch_ids[idx]][:]
    return input_batch, label_batch


def mantle_stability(seed=1, instance_num=1000000, split_rate=0.5, step_num=20001,
                     echo=print):
    """Pages 27-31, In [3]-[11]; returns (accuracy, last loss_val, clock)."""
    clock = {"start": time.perf_counter()}
    # NOTE: seeded here and below; the lecture ran unseeded.
    np.random.seed(seed)
    train_set, test_set = generate_data_set(instance_num, split_rate, echo=echo)
    clock["data"] = time.perf_counter()
    tf.reset_default_graph()
    tf.set_random_seed(seed)

    # In [7]
    batch_size = 1000
    data_length = 8
    learning_rate = 0.01
    input_tensor = tf.placeholder(tf.float32, [None, data_length], name='input')
    label = tf.placeholder(tf.float32, [None, 2], name='label')
    pred = inference(input_tensor=input_tensor)
    loss = tf.reduce_mean(
        tf.nn.softmax_cross_entropy_with_logits(logits=pred, labels=label))
    train_op = tf.train.AdamOptimizer(learning_rate=learning_rate).minimize(loss)

    # In [9]
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())

    # In [10]
    clock["train"] = time.perf_counter()
    for idx in range(step_num):
        input_batch, label_batch = get_traning_batch(train_set, batch_size,
                                                     data_length)
        _, loss_val = sess.run([train_op, loss],
                               {input_tensor: input_batch, label: label_batch})
        if idx % 2000 == 0:
            echo(loss_val)
    clock["test"] = time.perf_counter()

    # In [11]
    correct_pred = tf.equal(tf.argmax(pred, 1), tf.argmax(label, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))
    test_pred, test_accuracy = sess.run(
        [pred, accuracy],
        {input_tensor: test_set['input'], label: test_set['label']})
    echo('Accuracy: {}'.format(test_accuracy))
    clock["end"] = time.perf_counter()
    sess.close()
    return float(test_accuracy), loss_val, clock
