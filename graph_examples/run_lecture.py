"""The main job: all four programs of Lecture 1 in order, figures and a report.

Standard output carries the lecture's printed lines, program after program;
where files were written goes to standard error.
"""

import os
import time

from graph_examples import (hello_world, mantle_stability, multiply_matrices,
                            quadratic_fit, report)
from graph_examples.cli import (add_mantle_flags, check_mantle_flags, choose_backend,
                                make_parser, note, prepare_out_dir, publish_figure,
                                run_main)
from graph_examples.output import write_text
from graph_examples.tf1 import resolve_device

REPORT = "report.md"


def run_all(args, device):
    """Run the four programs; returns their results and wall times."""
    results, seconds = {}, {}

    def timed(name, call):
        start = time.perf_counter()
        results[name] = call()
        seconds[name] = time.perf_counter() - start

    timed("hello", lambda: hello_world.run(device=device))
    timed("multiply", lambda: multiply_matrices.run(seed=args.seed, device=device))
    timed("quadratic", lambda: quadratic_fit.run(seed=args.seed, steps=args.steps,
                                                 device=device))
    timed("mantle", lambda: mantle_stability.run(
        seed=args.seed, steps=args.steps, instances=args.instances,
        split_rate=args.split_rate, batch_size=args.batch_size,
        learning_rate=args.learning_rate, device=device))
    return results, seconds


def main(argv=None):
    parser = make_parser("run_lecture.py",
                         "Run all four programs of Lecture 1; write figures and "
                         "a report.", training=True, figures=True)
    add_mantle_flags(parser)
    args = parser.parse_args(argv)

    def body():
        check_mantle_flags(args)
        prepare_out_dir(args.out)
        choose_backend(args.show)
        device = resolve_device(args.device)
        results, seconds = run_all(args, device)

        # Files only after every program ran, so a failure leaves none behind.
        note("wrote " + publish_figure(quadratic_fit.plot(results["quadratic"]),
                                       args.out, quadratic_fit.FIGURE, args.show))
        note("wrote " + publish_figure(mantle_stability.plot(results["mantle"]),
                                       args.out, mantle_stability.FIGURE, args.show))
        settings = dict(seed=args.seed, device=device, steps=args.steps,
                        instances=args.instances, split_rate=args.split_rate,
                        batch_size=args.batch_size, learning_rate=args.learning_rate)
        path = os.path.join(args.out, REPORT)
        write_text(path, report.render(results, settings, seconds))
        note("wrote " + path)

    return run_main(parser.prog, body)
