"""A correct submission in a student's own style: NumPy without loops, and the
quadratic's graph built in another order with an equivalent loss."""

import numpy as np
import tensorflow as tf

tf1 = tf.compat.v1
tf1.disable_v2_behavior()

RANGES = [(0.8, 1.0), (1e-4, 1e-2), (1e-2, 1.0), (0.1, 1.0), (0.0, 0.35)]
SCALES = np.array([10, 1, 1000, 10000, 10000, 10000, 10000, 1000])


def full_connection_layer(input_tensor, n_out, w_init=None, b_init=None,
                          activation=tf.nn.sigmoid, name=None):
    if w_init is None:
        w_init = tf1.truncated_normal_initializer(stddev=0.1)
    if b_init is None:
        b_init = tf1.constant_initializer(0.1)
    with tf1.variable_scope(name):
        weight = tf1.get_variable("weight", [int(input_tensor.shape[1]), n_out],
                                  initializer=w_init)
        bias = tf1.get_variable("bias", [n_out], initializer=b_init)
    return activation(tf.add(tf.matmul(input_tensor, weight), bias),
                      name="{}_output".format(name))


def inference(input_tensor):
    layer = input_tensor
    for idx, units in enumerate([4, 4, 4]):
        layer = full_connection_layer(layer, units, name="fc_layer_{}".format(idx + 1))
    return full_connection_layer(layer, 2, name="pred")


def generate_data_set(instance_num=10000, split_rate=0.6):
    inputs = np.zeros([instance_num, 8])
    for column, (low, high) in enumerate(RANGES):
        inputs[:, column] = np.random.uniform(low, high, size=instance_num)
    inputs[:, 5] = np.random.uniform(np.maximum(0.25, inputs[:, 4]), 0.35)
    inputs[:, 6] = np.random.uniform(0.0, 0.39, size=instance_num)
    inputs[:, 7] = np.random.uniform(0.0, 0.5, size=instance_num)

    g, a, v, k, d, b, lam, dT = (inputs * SCALES).T
    ra = (a * g * dT * (d ** 3)) / (v * k)
    ra_cr = (np.pi ** 4 * ((4 + (lam / b) ** 2) ** 3)) / (4 * ((lam / b) ** 4))
    unstable = ra > ra_cr
    labels = np.stack([~unstable, unstable], axis=1).astype(np.float64)

    split_index = int(instance_num * split_rate)
    print("Stable:{} UnStable:{}".format((~unstable).sum(), unstable.sum()))
    return ({"input": inputs[:split_index], "label": labels[:split_index]},
            {"input": inputs[split_index:], "label": labels[split_index:]})


def get_traning_batch(train_set, batch_size, data_length):
    ids = np.random.choice(len(train_set["input"]), batch_size)
    return train_set["input"][ids, :data_length], train_set["label"][ids]


def build_quadratic_graph():
    w = tf1.get_variable("w", shape=[3, 1])
    x = tf1.placeholder(tf.float32, name="x")
    y = tf1.placeholder(tf.float32, name="y")
    features = tf.stack([x * x, x, tf.ones_like(x)], axis=1)
    yhat = tf.reshape(tf.matmul(features, w), [-1])
    loss = 0.5 * tf.reduce_sum(tf.square(yhat - y))
    train_op = tf1.train.AdamOptimizer(learning_rate=1e-3).minimize(loss)
    return x, y, w, loss, train_op
