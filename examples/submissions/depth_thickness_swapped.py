"""Faulty: the label rule cubes the thickness b (page 33), not the depth d."""

import numpy as np
import tensorflow as tf

tf1 = tf.compat.v1
tf1.disable_v2_behavior()


# define full connection layer (page 28)
def full_connection_layer(input_tensor, n_out,
                          w_init=tf1.truncated_normal_initializer(stddev=0.1),
                          b_init=tf1.constant_initializer(0.1),
                          activation=tf.nn.sigmoid, name=None):
    n_in = input_tensor.get_shape().as_list()[1]
    with tf1.variable_scope(name):
        weight = tf1.get_variable('weight', [n_in, n_out], initializer=w_init)
        bias = tf1.get_variable('bias', [n_out], initializer=b_init)
    output_tensor = activation(tf.matmul(input_tensor, weight) + bias,
                               name=name + '_output')
    return output_tensor


def inference(input_tensor):
    hidden_layer_1 = full_connection_layer(input_tensor=input_tensor, n_out=4,
                                           name='fc_layer_1')
    hidden_layer_2 = full_connection_layer(input_tensor=hidden_layer_1, n_out=4,
                                           name='fc_layer_2')
    hidden_layer_3 = full_connection_layer(input_tensor=hidden_layer_2, n_out=4,
                                           name='fc_layer_3')
    pred = full_connection_layer(input_tensor=hidden_layer_3, n_out=2, name='pred')
    return pred


# Define a function to generate data set (page 27)
def generate_data_set(instance_num=10000, split_rate=0.6):
    counter_for_stable = 0
    counter_for_unstable = 0
    data_set = {'input': np.zeros([instance_num, 8]),
                'label': np.zeros([instance_num, 2])}
    data_set['input'][:, 0] = np.random.uniform(0.8, 1.0, size=instance_num)
    data_set['input'][:, 1] = np.random.uniform(1e-4, 1e-2, size=instance_num)
    data_set['input'][:, 2] = np.random.uniform(1e-2, 1.0, size=instance_num)
    data_set['input'][:, 3] = np.random.uniform(0.1, 1.0, size=instance_num)
    data_set['input'][:, 4] = np.random.uniform(0.0, 0.35, size=instance_num)
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
        Ra = (a * g * dT * (b ** 3)) / (v * k)  # FAULT: page 27 cubes d
        Racr = (np.pi ** 4 * ((4 + (lam / b) ** 2) ** 3)) / (4 * ((lam / b) ** 4))
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
    print('Stable:{} UnStable:{}'.format(counter_for_stable, counter_for_unstable))
    return train_set, test_set


# page 30, In [8]
def get_traning_batch(train_set, batch_size, data_length):
    batch_ids = np.random.choice(len(train_set['input']), batch_size)
    input_batch = np.zeros([batch_size, data_length])
    label_batch = np.zeros([batch_size, 2])
    for idx in range(batch_size):
        input_batch[idx][:] = train_set['input'][batch_ids[idx]][:]
        label_batch[idx][:] = train_set['label'][batch_ids[idx]][:]
    return input_batch, label_batch


# pages 22-23, In [3] to In [7]
def build_quadratic_graph():
    x = tf1.placeholder(tf.float32)
    y = tf1.placeholder(tf.float32)
    w = tf1.get_variable("w", shape=[3, 1])
    f = tf.stack([tf.square(x), x, tf.ones_like(x)], 1)
    yhat = tf.squeeze(tf.matmul(f, w), 1)
    loss = tf.nn.l2_loss(yhat - y)
    train_op = tf1.train.AdamOptimizer(0.001).minimize(loss)
    return x, y, w, loss, train_op


if __name__ == "__main__":
    train_set, test_set = generate_data_set(1000000, 0.5)
