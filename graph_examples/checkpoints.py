"""Checkpoints the training programs save and resume from.

A checkpoint folder holds, for its latest step N:

    ckpt-N.index, ckpt-N.data-*  the variables (tf1.train.Saver): weights,
                                 Adam's slots and its beta powers
    ckpt-N.state.npz             NumPy's global random state, the loss of
                                 every step before N, and program extras
    manifest.json                program, step N, settings, format
    checkpoint                   TensorFlow's own pointer, so that
                                 tf1.train.latest_checkpoint(folder) works

manifest.json is written last (temp file + rename), so it only ever names a
checkpoint whose files are all complete; older steps' files are removed
after it. The step counter lives in the manifest and the file names: the
lecture's graphs have no global_step variable, and we add none.
"""

import dataclasses
import json
import os
import re
import zipfile

import numpy as np

from graph_examples.cli import UsageError, one_line_reason
from graph_examples.output import atomic_write, write_text
from graph_examples.tf1 import tf, tf1

FORMAT = "dlies-lecture1 checkpoint 1"
MANIFEST = "manifest.json"
STATE_SUFFIX = ".state.npz"
EXTRA = "extra_"  # prefix of program extras inside the .state.npz
_STEP_FILE = re.compile(r"ckpt-(\d+)\.(index|data-.*|state\.npz)$")
_SHOWN_NAMES = 3  # variable names a mismatch message lists before "and N more"


class CheckpointError(UsageError):
    """A checkpoint folder that this run cannot resume from."""


@dataclasses.dataclass
class Checkpoint:
    folder: str
    program: str  # the module that wrote it, e.g. 'quadratic_fit'
    step: int  # steps done: 0 .. step-1
    settings: dict  # what a resumed run must repeat, e.g. {'seed': 1}

    @property
    def prefix(self):
        """The Saver's path prefix of the variable files."""
        return os.path.join(self.folder, "ckpt-{}".format(self.step))


@dataclasses.dataclass
class State:
    losses: np.ndarray  # float32 [step], the loss of every step done
    rng_state: tuple  # np.random.get_state() when the checkpoint was taken
    extras: dict  # name -> array, what the program asked to keep


def find(folder):
    """The checkpoint manifest.json in `folder` names, or None if it has none."""
    path = os.path.join(folder, MANIFEST)
    if not os.path.isfile(path):
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        if data["format"] != FORMAT:
            raise ValueError(data["format"])
        return Checkpoint(folder=folder, program=str(data["program"]),
                          step=int(data["step"]), settings=dict(data["settings"]))
    except (OSError, ValueError, KeyError, TypeError):
        raise CheckpointError("{} is not a checkpoint manifest of this project".format(
            path)) from None


def check_matches(checkpoint, program, settings, steps):
    """Refuse, in one line, a checkpoint this run would not continue exactly."""
    if checkpoint.program != program:
        raise CheckpointError("{} holds a checkpoint of {}, not of {}".format(
            checkpoint.folder, checkpoint.program, program))

    differ = [name for name, value in settings.items()
              if checkpoint.settings.get(name) != value]
    if differ:
        raise CheckpointError(
            "the checkpoint in {} was made with {}; this run has {} (resume with "
            "the same settings, or use another folder)".format(
                checkpoint.folder, _flags(checkpoint.settings, differ),
                _flags(settings, differ)))
    if checkpoint.step > steps:
        raise CheckpointError("the checkpoint in {} is at step {}, past --steps {}"
                              .format(checkpoint.folder, checkpoint.step, steps))


def _flags(settings, names):
    return " ".join("--{} {}".format(name.replace("_", "-"), settings.get(name))
                    for name in names)


def load_state(checkpoint):
    """The losses, NumPy random state and extras stored beside the variables."""
    path = checkpoint.prefix + STATE_SUFFIX
    try:
        with np.load(path) as data:
            losses = data["losses"]
            rng_state = ("MT19937", data["rng_keys"], int(data["rng_pos"]),
                         int(data["rng_has_gauss"]), float(data["rng_cached_gaussian"]))
            extras = {name[len(EXTRA):]: data[name] for name in data.files
                      if name.startswith(EXTRA)}
    except (OSError, EOFError, zipfile.BadZipFile) as error:
        raise CheckpointError("{} cannot be read: {}".format(
            path, one_line_reason(error))) from None
    except (ValueError, KeyError):
        # NumPy's own text here invites allow_pickle=True: never for these files.
        raise CheckpointError("{} cannot be read: not a state file of this "
                              "project".format(path)) from None
    if losses.shape != (checkpoint.step,) or rng_state[1].shape != (624,):
        raise CheckpointError("{} does not belong to step {}".format(
            path, checkpoint.step))
    return State(losses=losses, rng_state=rng_state, extras=extras)


def verify(checkpoint):
    """Read every stored value once, so a damaged checkpoint is refused
    before any work rather than found when the run restores it."""
    load_state(checkpoint)
    try:
        reader = tf1.train.load_checkpoint(checkpoint.prefix)
        for name in reader.get_variable_to_shape_map():
            reader.get_tensor(name)
    except (tf.errors.OpError, ValueError, IndexError, RuntimeError) as error:
        # A truncated data file surfaces as IndexError from the reader.
        raise CheckpointError("checkpoint {} cannot be read: {}".format(
            checkpoint.prefix, one_line_reason(error))) from None


def restore_variables(sess, saver, variables, checkpoint):
    """saver.restore, after checking the stored variables fit `variables`."""
    try:
        stored = dict(tf1.train.list_variables(checkpoint.prefix))
    except tf.errors.OpError as error:
        raise CheckpointError("checkpoint {} cannot be read: {}".format(
            checkpoint.prefix, one_line_reason(error))) from None

    wanted = {variable.op.name: variable.shape.as_list() for variable in variables}
    problems = _mismatch(wanted, stored)
    if problems:
        raise CheckpointError("checkpoint {} does not fit this program's graph: {}"
                              .format(checkpoint.prefix, "; ".join(problems)))

    try:
        saver.restore(sess, checkpoint.prefix)
    except tf.errors.OpError as error:
        raise CheckpointError("checkpoint {} cannot be read: {}".format(
            checkpoint.prefix, one_line_reason(error))) from None


def _mismatch(wanted, stored):
    """What differs between the graph's variables and the checkpoint's."""
    problems = []
    missing = sorted(set(wanted) - set(stored))
    if missing:
        problems.append("it lacks " + _names(missing))
    unknown = sorted(set(stored) - set(wanted))
    if unknown:
        problems.append("it has " + _names(unknown) + " that the graph has not")
    reshaped = sorted(name for name in set(wanted) & set(stored)
                      if list(stored[name]) != wanted[name])
    if reshaped:
        problems.append("shapes differ for " + _names(reshaped))
    return problems


def _names(names):
    shown = ", ".join(names[:_SHOWN_NAMES])
    if len(names) > _SHOWN_NAMES:
        shown += " and {} more".format(len(names) - _SHOWN_NAMES)
    return shown


def save(sess, saver, folder, program, settings, step, losses, extras,
         rng_state=None):
    """Write the checkpoint of `step` and make it the folder's latest.

    rng_state: NumPy's state as of `step` (None: np.random.get_state() now).
    """
    os.makedirs(folder, exist_ok=True)
    checkpoint = Checkpoint(folder=folder, program=program, step=step,
                            settings=dict(settings))
    saver.save(sess, checkpoint.prefix, write_meta_graph=False, write_state=False)
    _write_state(checkpoint.prefix + STATE_SUFFIX, losses[:step], extras,
                 np.random.get_state() if rng_state is None else rng_state)

    # The commit point: from here on the folder's checkpoint is this one.
    manifest = {"format": FORMAT, "program": program, "step": step,
                "settings": checkpoint.settings, "tensorflow": tf.__version__}
    write_text(os.path.join(folder, MANIFEST), json.dumps(manifest, indent=1) + "\n")
    tf1.train.update_checkpoint_state(folder, os.path.basename(checkpoint.prefix))
    _remove_other_steps(folder, step)
    return checkpoint


def _write_state(path, losses, extras, rng_state):
    kind, keys, pos, has_gauss, cached_gaussian = rng_state
    arrays = {"losses": np.asarray(losses, dtype=np.float32), "rng_keys": keys,
              "rng_pos": pos, "rng_has_gauss": has_gauss,
              "rng_cached_gaussian": cached_gaussian}
    arrays.update({EXTRA + name: np.asarray(value) for name, value in extras.items()})
    atomic_write(path, lambda handle: np.savez(handle, **arrays))


def _remove_other_steps(folder, step):
    for name in os.listdir(folder):
        match = _STEP_FILE.match(name)
        if match and int(match.group(1)) != step:
            os.unlink(os.path.join(folder, name))
