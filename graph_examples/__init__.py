"""The four programs of Lecture 1, one module each, on tf.compat.v1."""
