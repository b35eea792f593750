"""An unfinished submission: the layer and the network, nothing else yet."""

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
