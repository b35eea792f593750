"""The graph contract of full_connection_layer (page 28)."""

import numpy as np
import pytest

from graph_examples.tf1 import fresh_graph, make_session, tf, tf1
from layers import full_connection_layer

# A truncated normal keeps draws within 2 stddev; its spread is then
# 0.8796 stddev. 60,000 draws pin the sample stddev to about +-0.4%.
N_IN, N_OUT = 200, 300
TRUNCATED_STD = 0.1 * 0.8796


def build(activation=tf.nn.sigmoid, **kwargs):
    with fresh_graph(seed=7) as graph:
        x = tf1.placeholder(tf.float32, [None, N_IN])
        out = full_connection_layer(x, N_OUT, activation=activation, name="fc", **kwargs)
    return graph, x, out


def values(graph, *fetches):
    with make_session(graph) as sess:
        sess.run(tf1.global_variables_initializer())
        return sess.run(list(fetches))


def test_variables_are_named_and_shaped_under_the_scope():
    graph, _, _ = build()
    with graph.as_default():
        shapes = {v.op.name: v.shape.as_list() for v in tf1.global_variables()}
    assert shapes == {"fc/weight": [N_IN, N_OUT], "fc/bias": [N_OUT]}


def test_output_op_is_named_and_is_a_sigmoid_by_default():
    graph, _, out = build()
    assert out.name == "fc_output:0"
    assert out.op.type == "Sigmoid"
    assert out.shape.as_list() == [None, N_OUT]


def test_initial_values_follow_the_slide():
    graph, _, _ = build()
    weight, bias = values(graph, graph.get_tensor_by_name("fc/weight:0"),
                          graph.get_tensor_by_name("fc/bias:0"))
    assert np.abs(weight).max() <= 0.2  # truncated at 2 stddev
    assert abs(weight.mean()) < 0.002  # 3 standard errors of the mean
    assert weight.std() == pytest.approx(TRUNCATED_STD, rel=0.01)
    np.testing.assert_array_equal(bias, np.full(N_OUT, 0.1, dtype=np.float32))


def test_output_is_the_activation_of_x_w_plus_b():
    graph, x, out = build(activation=tf.nn.relu)
    assert out.op.type == "Relu"
    inputs = np.random.RandomState(0).normal(size=(5, N_IN)).astype(np.float32)
    with make_session(graph) as sess:
        sess.run(tf1.global_variables_initializer())
        weight, bias, got = sess.run(
            [graph.get_tensor_by_name("fc/weight:0"),
             graph.get_tensor_by_name("fc/bias:0"), out], {x: inputs})
    np.testing.assert_allclose(got, np.maximum(inputs @ weight + bias, 0),
                               rtol=1e-5, atol=1e-6)


def test_given_initialisers_are_used():
    graph, _, _ = build(w_init=tf1.constant_initializer(0.5),
                        b_init=tf1.zeros_initializer())
    weight, bias = values(graph, graph.get_tensor_by_name("fc/weight:0"),
                          graph.get_tensor_by_name("fc/bias:0"))
    assert np.all(weight == 0.5) and np.all(bias == 0)


def test_a_second_layer_with_the_same_name_is_refused_unless_reused():
    with fresh_graph() as graph:
        x = tf1.placeholder(tf.float32, [None, 3])
        full_connection_layer(x, 2, name="fc")
        with pytest.raises(ValueError, match="already exists"):
            full_connection_layer(x, 2, name="fc")
        with tf1.variable_scope(tf1.get_variable_scope(), reuse=True):
            full_connection_layer(x, 2, name="fc")
        assert len(tf1.global_variables()) == 2
    assert graph is not None
