"""`full_connection_layer`, page 28: a = sigma(W a + b) (page 29).

NOTE: the slide's default initialisers are objects built once at definition
time; we build them per call (None defaults) so layers never share one.
"""

from graph_examples.tf1 import tf, tf1

WEIGHT_STDDEV = 0.1  # page 28: truncated_normal_initializer(stddev=0.1)
BIAS_INIT = 0.1  # page 28: constant_initializer(0.1)


def full_connection_layer(input_tensor, n_out, w_init=None, b_init=None,
                          activation=tf.nn.sigmoid, name=None):
    """One fully connected layer, page 28.

    Args:
      input_tensor: float32 Tensor [batch, n_in].
      n_out: number of units.
      w_init, b_init: initialisers; truncated normal (stddev 0.1) and
        constant 0.1 when None, as on the slide.
      activation: applied to x W + b; sigmoid as on the slide.
      name: variable scope; creates `<name>/weight` [n_in, n_out] and
        `<name>/bias` [n_out].

    Returns:
      float32 Tensor [batch, n_out], the op named `<name>_output`.

    Raises:
      ValueError: input_tensor is not a float [batch, n_in] Tensor with n_in
        known, n_out is not a positive int, or name is missing (the slide's
        name=None default would fail at name + '_output').
    """
    _check_layer_args(input_tensor, n_out, name)
    if w_init is None:
        w_init = tf1.truncated_normal_initializer(stddev=WEIGHT_STDDEV)
    if b_init is None:
        b_init = tf1.constant_initializer(BIAS_INIT)
    n_in = input_tensor.get_shape().as_list()[1]

    # get_variable inside variable_scope names the variables <name>/weight and
    # <name>/bias, and lets a caller reuse them with reuse=True.
    with tf1.variable_scope(name):
        weight = tf1.get_variable("weight", [n_in, n_out], initializer=w_init)
        bias = tf1.get_variable("bias", [n_out], initializer=b_init)

    # The activation op carries the name, so the layer's output is findable
    # in the graph as <name>_output:0.
    return activation(tf.matmul(input_tensor, weight) + bias,
                      name=name + "_output")


def _check_layer_args(input_tensor, n_out, name):
    """One-line ValueErrors for what would otherwise fail deep inside TF."""
    if not isinstance(name, str) or not name:
        raise ValueError("full_connection_layer needs a name for its variable scope, "
                         "e.g. name='fc_layer_1'; got {!r}".format(name))
    if not tf.is_tensor(input_tensor):
        raise ValueError("input_tensor must be a Tensor, got {}".format(
            type(input_tensor).__name__))
    shape = input_tensor.get_shape()
    dims = "unknown" if shape.rank is None else shape.as_list()
    if shape.rank != 2 or dims[1] is None:
        raise ValueError("input_tensor must have shape [batch, n_in] with n_in known, "
                         "got {}".format(dims))
    if not input_tensor.dtype.is_floating:
        raise ValueError("input_tensor must be a float tensor, got {}".format(
            input_tensor.dtype.name))
    if isinstance(n_out, bool) or not isinstance(n_out, int) or n_out < 1:
        raise ValueError("n_out must be a positive integer, got {!r}".format(n_out))
