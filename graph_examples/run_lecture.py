"""The main job: all four programs of Lecture 1 in order, figures and a report.

Standard output carries the lecture's printed lines, program after program;
where files were written goes to standard error.
"""

import os
import time

from graph_examples import (hello_world, mantle_stability, multiply_matrices,
                            quadratic_fit, report)
from graph_examples.cli import (add_mantle_flags, check_mantle_flags, choose_backend,
                                chosen_device, make_parser, note, prepare_out_dir,
                                publish_figure, run_main)
from graph_examples.output import write_text
from graph_examples.supervisor import (add_supervisor_flags, check_resumable,
                                       config_from_args)

REPORT = "report.md"


def supervised(args):
    """Each training program's SupervisorConfig (a subfolder each), checked
    against its checkpoint before anything runs."""
    config = config_from_args(args)
    quadratic = config.for_program(quadratic_fit.PROGRAM)
    check_resumable(quadratic, quadratic_fit.PROGRAM, quadratic_fit.checkpoint_settings(
        args.seed, quadratic_fit.LEARNING_RATE), args.steps)
    mantle = config.for_program(mantle_stability.PROGRAM)
    mantle_settings = mantle_stability.checkpoint_settings(
        args.seed, args.instances, args.split_rate, args.batch_size, args.learning_rate)
    check_resumable(mantle, mantle_stability.PROGRAM, mantle_settings, args.steps)
    return {"quadratic": quadratic, "mantle": mantle}


def run_all(args, device, supervise=None):
    """Run the four programs; returns their results and wall times.

    supervise: {'quadratic', 'mantle'} -> SupervisorConfig, or None.
    """
    results, seconds = {}, {}
    supervise = supervise or {}

    def timed(name, call):
        start = time.perf_counter()
        results[name] = call()
        seconds[name] = time.perf_counter() - start

    timed("hello", lambda: hello_world.run(device=device))
    timed("multiply", lambda: multiply_matrices.run(seed=args.seed, device=device))
    timed("quadratic", lambda: quadratic_fit.run(
        seed=args.seed, steps=args.steps, device=device,
        supervise=supervise.get("quadratic")))
    timed("mantle", lambda: mantle_stability.run(
        seed=args.seed, steps=args.steps, instances=args.instances,
        split_rate=args.split_rate, batch_size=args.batch_size,
        learning_rate=args.learning_rate, device=device,
        supervise=supervise.get("mantle")))
    return results, seconds


def main(argv=None):
    parser = make_parser("run_lecture.py",
                         "Run all four programs of Lecture 1; write figures and "
                         "a report.", training=True, figures=True)
    add_mantle_flags(parser)
    add_supervisor_flags(parser)
    args = parser.parse_args(argv)

    def body():
        check_mantle_flags(args)
        supervise = supervised(args)
        prepare_out_dir(args.out,
                        files=[quadratic_fit.FIGURE, mantle_stability.FIGURE, REPORT])
        args.show = choose_backend(args.show)
        device = chosen_device(args.device)
        results, seconds = run_all(args, device, supervise)

        # Files only after every program ran, so a failure leaves none behind.
        note("wrote " + publish_figure(quadratic_fit.plot(results["quadratic"]),
                                       args.out, quadratic_fit.FIGURE, args.show))
        note("wrote " + publish_figure(mantle_stability.plot(results["mantle"]),
                                       args.out, mantle_stability.FIGURE, args.show))
        settings = dict(seed=args.seed, device=device, steps=args.steps,
                        instances=args.instances, split_rate=args.split_rate,
                        batch_size=args.batch_size, learning_rate=args.learning_rate)
        path = os.path.join(args.out, REPORT)
        write_text(path, report.render(results, settings, seconds, args.out))
        note("wrote " + path)

    return run_main(parser.prog, body)
