"""The one place that puts TensorFlow in TF1 graph mode.

Every lecture program imports `tf` and `tf1` from here, so the environment
variables, the v2-behaviour switch and the logger level are set once, before
TensorFlow is first imported. It also seeds NumPy and graphs and opens
sessions on the CPU or a GPU.
"""

import contextlib
import logging
import os

# TensorFlow reads these when its C++ runtime loads, so they must be set
# before the import below. A value the user exported already wins.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf1 = tf.compat.v1

# The logger must be quiet before disable_v2_behavior(), which itself logs a
# deprecation warning about resource variables.
if os.environ["TF_CPP_MIN_LOG_LEVEL"] != "0":
    tf.get_logger().setLevel(logging.ERROR)
tf1.disable_v2_behavior()

DEFAULT_SEED = 1  # see README, "Seeds": the lecture itself ran unseeded
DEVICES = ("auto", "cpu", "gpu")


class DeviceError(RuntimeError):
    """A device was asked for that this machine does not have."""


def visible_gpus():
    """Names of the GPUs TensorFlow can see, e.g. ['/physical_device:GPU:0']."""
    return [gpu.name for gpu in tf.config.list_physical_devices("GPU")]


def resolve_device(device):
    """Turn 'auto', 'cpu' or 'gpu' into 'cpu' or 'gpu' for this machine."""
    if device not in DEVICES:
        raise DeviceError(
            f"unknown device {device!r}; choose one of {', '.join(DEVICES)}")
    if device == "auto":
        return "gpu" if visible_gpus() else "cpu"
    if device == "gpu" and not visible_gpus():
        raise DeviceError("--device gpu was asked for, but no GPU is visible")
    return device


def seed_numpy(seed):
    """Seed NumPy's global stream, which the lecture's np.random calls draw on."""
    np.random.seed(seed)


@contextlib.contextmanager
def fresh_graph(seed=DEFAULT_SEED):
    """Build in a new tf.Graph with a graph-level seed.

    A new graph per program run is what lets a notebook cell run twice
    without "Variable ... already exists" (the lecture's
    tf.reset_default_graph() does the same job for the global graph).
    No tf.device scope is opened: it would add `device=...` to every printed
    tensor, unlike the slides; make_session picks the device instead.
    """
    graph = tf.Graph()
    with graph.as_default():
        tf1.set_random_seed(seed)
        yield graph


def make_session(graph, device="cpu"):
    """A tf1.Session on `graph` that runs on the CPU or on the GPU.

    'cpu' hides every GPU from the session. 'gpu' leaves GPU:0 visible, so
    TensorFlow's placer puts each op that has a GPU kernel there (the rest,
    such as string constants, stay on the CPU), and grows GPU memory as
    needed instead of taking it all.
    """
    # One inter-op thread: the lecture's graphs are chains of tiny ops, and
    # handing each one to another thread cost more than the op itself (the
    # in-graph training loop ran twice as fast). Each op may still use the
    # intra-op threads, so large products (the test set) stay parallel.
    config = tf1.ConfigProto(allow_soft_placement=True,
                             inter_op_parallelism_threads=1)
    if device == "cpu":
        config.device_count["GPU"] = 0
    else:
        config.gpu_options.allow_growth = True
        config.gpu_options.visible_device_list = "0"
    return tf1.Session(graph=graph, config=config)
