"""The chores around a training loop: checkpoints, TensorBoard, progress, faults.

Named after TF1's tf.train.Supervisor, which did the same chores for a
session. training.train runs the steps; a Supervisor runs it one block of
steps at a time (a block ends at every in-graph chunk and at every save
point) and after each block

  - stops with one line if a loss is NaN or infinite, naming the step;
  - writes the block's losses to TensorBoard;
  - moves the progress bar;
  - saves a checkpoint when one is due;
  - stops cleanly if Ctrl-C was pressed during the block.

Block boundaries do not change the numbers: the in-graph loop gives the
same losses however the steps are split, and the batches are drawn in the
same order.
"""

import contextlib
import dataclasses
import os
import signal
import sys
import threading

import numpy as np

from graph_examples import checkpoints, training
from graph_examples.checkpoints import CheckpointError
from graph_examples.cli import (RunFailed, UsageError, note, positive_int,
                                prepare_out_dir)
from graph_examples.progress import keep_clear, progress_bar
from graph_examples.summaries import EventLog
from graph_examples.tf1 import tf1


class TrainingDiverged(RunFailed):
    """A loss turned NaN or infinite."""


class TrainingInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped training between two blocks; says at which step."""


@dataclasses.dataclass(frozen=True)
class SupervisorConfig:
    checkpoint_dir: str = None  # save there at the end and every save_every steps
    save_every: int = None
    resume: bool = False  # continue from checkpoint_dir's checkpoint, if it has one
    logdir: str = None  # TensorBoard event files
    progress: bool = False  # a bar on standard error, when that is a terminal

    def for_program(self, program):
        """The same, with one subfolder per program (the main job runs two)."""
        def sub(folder):
            return None if folder is None else os.path.join(folder, program)

        return dataclasses.replace(self, checkpoint_dir=sub(self.checkpoint_dir),
                                   logdir=sub(self.logdir))


def add_supervisor_flags(parser):
    """--checkpoint-dir, --save-every, --resume and --logdir."""
    parser.add_argument("--checkpoint-dir", metavar="DIR",
                        help="save a checkpoint in DIR when training ends (and "
                             "every --save-every steps, and on Ctrl-C)")
    parser.add_argument("--save-every", type=positive_int, metavar="N",
                        help="also save every N steps (needs --checkpoint-dir)")
    parser.add_argument("--resume", action="store_true",
                        help="continue from the checkpoint in --checkpoint-dir if "
                             "it holds one (same settings needed)")
    parser.add_argument("--logdir", metavar="DIR",
                        help="write the graph and the loss per step for TensorBoard")


def config_from_args(args):
    """A SupervisorConfig from the flags, after checking them and their folders."""
    if args.checkpoint_dir is None:
        for flag, given in (("--save-every", args.save_every is not None),
                            ("--resume", args.resume)):
            if given:
                raise UsageError("{} needs --checkpoint-dir".format(flag))
    else:
        prepare_out_dir(args.checkpoint_dir, "--checkpoint-dir")
    if args.logdir is not None:
        prepare_out_dir(args.logdir, "--logdir")
    return SupervisorConfig(checkpoint_dir=args.checkpoint_dir,
                            save_every=args.save_every, resume=args.resume,
                            logdir=args.logdir, progress=True)


def check_resumable(config, program, settings, steps):
    """The checkpoint this run continues from, or None; refuses a wrong one.

    Reads the manifest and every stored value, so a program calls it before
    any work and a damaged checkpoint stops nothing half-way. A folder that holds a checkpoint needs --resume: without it
    the run would overwrite the checkpoint.
    """
    if config.checkpoint_dir is None:
        return None
    checkpoint = checkpoints.find(config.checkpoint_dir)
    if checkpoint is None:
        return None
    if not config.resume:
        raise CheckpointError(
            "--checkpoint-dir {} already holds a checkpoint of {} at step {}; add "
            "--resume to continue it, or choose another folder".format(
                config.checkpoint_dir, checkpoint.program, checkpoint.step))
    checkpoints.check_matches(checkpoint, program, settings, steps)
    checkpoints.verify(checkpoint)
    return checkpoint


class Supervisor:
    """Runs `steps` training steps of `program` in blocks, with the chores above.

    Use as a context manager around the session, then call start() once the
    session exists and train() for the loop.
    """

    def __init__(self, program, settings, steps, config=None):
        self.program = program
        self.settings = dict(settings)
        self.steps = steps
        self.config = config or SupervisorConfig()
        self.checkpoint = check_resumable(self.config, program, self.settings, steps)
        self.start_step = 0
        self.extras = {}  # what the checkpoint kept for the program
        self._history = np.empty(0, dtype=np.float32)
        self._saver = self._variables = self._events = None
        self._saved_step = None
        self._stop_asked = self._saving = False

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self._events is not None:
            self._events.close()

    def start(self, sess, init_op):
        """Initialise the variables, or restore them and NumPy's random state.

        Call it after everything that draws from NumPy before training (the
        mantle program's data set, regenerated from the seed). Returns the
        step training goes on from.
        """
        sess.run(init_op)
        with sess.graph.as_default():
            if self.config.checkpoint_dir is not None:
                self._variables = tf1.global_variables()
                self._saver = tf1.train.Saver(self._variables, max_to_keep=None)
        if self.checkpoint is not None:
            self._restore(sess)
        elif self.config.resume:
            note("no checkpoint in {} yet; starting at step 0".format(
                self.config.checkpoint_dir))
        if self.config.logdir is not None:
            resumed_at = self.start_step if self.checkpoint is not None else None
            self._events = EventLog(self.config.logdir, sess.graph, resumed_at)
        return self.start_step

    def _restore(self, sess):
        state = checkpoints.load_state(self.checkpoint)
        checkpoints.restore_variables(sess, self._saver, self._variables,
                                      self.checkpoint)
        np.random.set_state(state.rng_state)
        self.start_step, self._history = self.checkpoint.step, state.losses
        self.extras, self._saved_step = state.extras, self.checkpoint.step
        note("resuming from {} at step {}".format(self.checkpoint.folder,
                                                  self.start_step))

    def train(self, sess, trainer, draw_batches, loop, stops=(), on_stop=None,
              extras=None):
        """training.train over steps start..steps-1; returns every step's loss.

        Stops before the resumed start are replayed from the checkpoint's
        losses, so the printed lines are those of an uninterrupted run.
        extras() returns the arrays a checkpoint must keep for the program.
        """
        stops = sorted(stops)
        losses = np.empty(self.steps, dtype=np.float32)
        losses[:self.start_step] = self._history
        for step in stops:
            if step < self.start_step and on_stop is not None:
                on_stop(step, losses[step])

        bar = progress_bar(self.steps, self.start_step, self.program,
                           self.config.progress)
        offset = begin = self.start_step

        def after_block(end, run_losses, rng_state):
            nonlocal begin
            end += offset
            losses[begin:end] = run_losses[begin - offset:end - offset]
            self._after_block(sess, losses, begin, end, extras, rng_state)
            bar.update(end - begin)
            begin = end

        # One call for all blocks, so batches are drawn ahead across them.
        with bar, self._deferred_interrupts():
            training.train(sess, trainer, draw_batches, self.steps - offset, loop,
                           [step - offset for step in stops if step >= offset],
                           _shifted(on_stop, offset),
                           block_ends=[end - offset for _, end in self._blocks()],
                           on_block=after_block)
        if self.config.checkpoint_dir is not None and self._saved_step != self.steps:
            self._save(sess, losses, self.steps, extras)
        return losses

    def log_scalar(self, tag, step, value):
        """One more scalar for TensorBoard, e.g. the test accuracy."""
        if self._events is not None:
            self._events.scalar(tag, step, value)

    def _blocks(self):
        """[begin, end) runs from start to steps, ending at chunks and saves."""
        every = [training.CHUNK_STEPS] + [self.config.save_every or self.steps]
        ends = {end for length in every
                for end in range(length, self.steps, length) if end > self.start_step}
        ends = sorted(ends | {self.steps})
        blocks = zip([self.start_step] + ends[:-1], ends)
        return [(begin, end) for begin, end in blocks if begin < end]

    def _after_block(self, sess, losses, begin, end, extras, rng_state):
        self._check_finite(losses, begin, end)
        if self._events is not None:
            self._events.scalars("loss", begin, losses[begin:end])

        due = self.config.save_every and end % self.config.save_every == 0
        if self.config.checkpoint_dir is not None and (due or self._stop_asked):
            self._save(sess, losses, end, extras, rng_state())
        if self._stop_asked:
            raise TrainingInterrupted(self._stopped_at(end))

    def _check_finite(self, losses, begin, end):
        """Stop at the first NaN or infinite loss; the steps before it are logged."""
        bad = np.flatnonzero(~np.isfinite(losses[begin:end]))
        if bad.size == 0:
            return
        step = begin + int(bad[0])
        if self._events is not None:
            self._events.scalars("loss", begin, losses[begin:step])
        raise TrainingDiverged(
            "the loss became {} at step {}; training stopped there (a smaller "
            "--learning-rate may help)".format(losses[step], step))

    def _save(self, sess, losses, step, extras, rng_state=None):
        self._saving = True
        try:
            checkpoints.save(sess, self._saver, self.config.checkpoint_dir,
                             self.program, self.settings, step, losses,
                             extras() if extras is not None else {}, rng_state)
        finally:
            self._saving = False
        self._saved_step = step

    def _stopped_at(self, step):
        where = "stopped after step {} of {}".format(step, self.steps)
        if self.config.checkpoint_dir is None:
            return where + "; nothing saved (--checkpoint-dir keeps progress)"
        return where + "; checkpoint saved in {} (add --resume to go on)".format(
            self.config.checkpoint_dir)

    @contextlib.contextmanager
    def _deferred_interrupts(self):
        """Ctrl-C during training stops after the current block, where the
        variables, the random state and the losses agree; a second Ctrl-C
        stops at once (but never in the middle of a save)."""
        # Handlers can only be set from the main thread; and a SIGINT that is
        # ignored (a background job, nohup) stays ignored.
        if (threading.current_thread() is not threading.main_thread()
                or signal.getsignal(signal.SIGINT) is signal.SIG_IGN):
            yield
            return
        previous = signal.signal(signal.SIGINT, self._on_interrupt)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT,
                          previous if previous is not None else signal.SIG_DFL)

    def _on_interrupt(self, signum, frame):
        if self._stop_asked and not self._saving:
            raise KeyboardInterrupt
        self._stop_asked = True
        say = keep_clear(note, sys.stderr)
        say("Ctrl-C: stopping after this block of steps (press it again to stop "
            "at once)")


def _shifted(on_stop, offset):
    """on_stop for a block that starts at step `offset`."""
    if on_stop is None:
        return None
    return lambda step, loss_val: on_stop(offset + step, loss_val)
