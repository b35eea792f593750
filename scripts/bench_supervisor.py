"""What checkpoints and TensorBoard cost a training run, measured side by side.

Runs quadratic_fit (the lecture's 20001 steps by default) plainly, with
--logdir, and with --logdir plus a checkpoint every 1000 steps, in turns,
and prints each one's median wall time and its ratio to the plain run.

    python scripts/bench_supervisor.py [--steps N] [--repeats R]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from graph_examples import quadratic_fit  # noqa: E402
from graph_examples.supervisor import SupervisorConfig  # noqa: E402


def configs(folder):
    """name -> a SupervisorConfig factory (fresh folders each run)."""
    def logged(run):
        return SupervisorConfig(logdir=os.path.join(folder, "logs", str(run)))

    def saved(run):
        return SupervisorConfig(logdir=os.path.join(folder, "logs", "s{}".format(run)),
                                checkpoint_dir=os.path.join(folder, "ck", str(run)),
                                save_every=1000)

    return {"plain": lambda run: None, "logdir": logged,
            "logdir + checkpoint every 1000": saved}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=quadratic_fit.STEP_NUM)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    seconds = {}
    with tempfile.TemporaryDirectory() as folder:
        ways = configs(folder)
        quadratic_fit.run(steps=1000, echo=None)  # warm up TensorFlow
        for run in range(args.repeats):
            for name, config in ways.items():  # in turns, so load shifts hit all
                start = time.perf_counter()
                quadratic_fit.run(steps=args.steps, echo=None, supervise=config(run))
                seconds.setdefault(name, []).append(time.perf_counter() - start)

    plain = statistics.median(seconds["plain"])
    print("quadratic_fit, {} steps, median of {} runs".format(args.steps,
                                                              args.repeats))
    for name, times in seconds.items():
        median = statistics.median(times)
        print("{:32s} {:6.2f} s  x{:.2f}".format(name, median, median / plain))


if __name__ == "__main__":
    main()
