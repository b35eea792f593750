"""Image manipulation with scikit-image, page 19 (In [21] to In [26]).

The lecture's one Jupyter demo: blur scikit-image's coffee picture with a
Gaussian of width sigma and scale its red, green and blue channels, with
ipywidgets sliders. Here the same `edit_image` runs on today's
scikit-image; the script writes a grid of edits, and `--show` opens a
matplotlib window with sliders for sigma, r, g and b instead of ipywidgets.

scikit-image is an extra (`pip install -e ".[demo]"`): nothing else in the
lecture needs it.
"""

from graph_examples.cli import Parser, UsageError, choose_backend, note
from graph_examples.cli import prepare_out_dir, publish_figure, run_main

# Page 19, In [25]: edit_image's defaults.
SIGMA = 0.1
R = G = B = 1.0

# Page 19, In [26]: the sliders' (min, max, step).
SIGMA_RANGE = (0.0, 10.0, 0.1)
CHANNEL_RANGE = (0.0, 1.0, 0.01)  # `lims`, for r, g and b

# The grid the script writes: one panel per edit, the lecture's default first.
EDITS = (
    ("In [25] defaults", dict(sigma=SIGMA)),
    ("sigma=0: no blur", dict(sigma=0.0)),
    ("sigma=3", dict(sigma=3.0)),
    ("sigma=10, the slider's end", dict(sigma=10.0)),
    ("r=0.3: less red", dict(r=0.3)),
    ("g=0, b=0: red only", dict(g=0.0, b=0.0)),
)
FIGURE = "image_demo.png"


def skimage_modules():
    """(skimage.data, skimage.filters), or a UsageError naming the extra."""
    try:
        from skimage import data, filters
    except ImportError:
        raise UsageError('scikit-image is not installed; run pip install -e ".[demo]"'
                         ) from None
    return data, filters


def coffee():
    """Page 19, In [23]: scikit-image's bundled photo, uint8 [400, 600, 3]."""
    data, _ = skimage_modules()
    return data.coffee()


def edit_image(image, sigma=SIGMA, r=R, g=G, b=B):
    """Page 19, In [25]: Gaussian blur of width sigma, then scale each channel.

    Args:
      image: [h, w, 3], uint8 or float in [0, 1].
    Returns:
      float64 [h, w, 3]: uint8 input comes back scaled to [0, 1], as the
      lecture's filter did too.
    NOTE: the slide's filter.gaussian_filter(..., multichannel=True) is
    today's filters.gaussian(..., channel_axis=-1); io.Image and display()
    are gone, so showing the result is the caller's business.
    """
    _, filters = skimage_modules()

    # channel_axis=-1 blurs within each colour plane, never across them.
    new_image = filters.gaussian(image, sigma=sigma, channel_axis=-1)
    new_image[:, :, 0] = r * new_image[:, :, 0]
    new_image[:, :, 1] = g * new_image[:, :, 1]
    new_image[:, :, 2] = b * new_image[:, :, 2]
    return new_image


def grid_figure(image, edits=EDITS):
    """One panel per (title, keyword arguments of edit_image), two rows."""
    import matplotlib.pyplot as plt  # late, so a caller can pick the backend

    columns = (len(edits) + 1) // 2
    figure, axes = plt.subplots(2, columns, figsize=(4 * columns, 6.2))
    for ax, (title, settings) in zip(axes.flat, edits):
        ax.imshow(_displayable(edit_image(image, **settings)))
        ax.set_title(title)
        ax.axis("off")
    for ax in axes.flat[len(edits):]:
        ax.axis("off")
    figure.tight_layout()
    return figure


def slider_figure(image):
    """Page 19, In [26], with matplotlib sliders in place of ipywidgets.

    Returns (figure, {name: Slider}); keep the sliders referenced, or they
    stop answering.
    """
    import matplotlib.pyplot as plt
    from matplotlib.widgets import Slider

    figure = plt.figure(figsize=(7, 6.5))
    shown = figure.add_axes([0.05, 0.3, 0.9, 0.65]).imshow(
        _displayable(edit_image(image)))
    shown.axes.axis("off")

    sliders = {}
    ranges = {"sigma": SIGMA_RANGE, "r": CHANNEL_RANGE, "g": CHANNEL_RANGE,
              "b": CHANNEL_RANGE}
    defaults = {"sigma": SIGMA, "r": R, "g": G, "b": B}
    for row, name in enumerate(ranges):
        low, high, step = ranges[name]
        slider_axes = figure.add_axes([0.15, 0.2 - 0.05 * row, 0.7, 0.03])
        sliders[name] = Slider(slider_axes, name, low, high, valinit=defaults[name],
                               valstep=step)

    def redraw(_value):
        settings = {name: slider.val for name, slider in sliders.items()}
        shown.set_data(_displayable(edit_image(image, **settings)))
        figure.canvas.draw_idle()

    for slider in sliders.values():
        slider.on_changed(redraw)
    return figure, sliders


def _displayable(image):
    """imshow wants floats in [0, 1]; scaling keeps them there, rounding aside."""
    return image.clip(0.0, 1.0)


def main(argv=None):
    parser = Parser(prog="image_demo.py",
                    description="Page 19: blur and recolour scikit-image's coffee "
                                "picture; sliders with --show.")
    parser.add_argument("--out", default="lecture_output",
                        help="folder for the grid of edits (default %(default)s)")
    parser.add_argument("--show", action="store_true",
                        help="also open a window with sliders for sigma, r, g, b")
    args = parser.parse_args(argv)

    def body():
        image = coffee()
        prepare_out_dir(args.out)
        args.show = choose_backend(args.show)
        note("wrote " + publish_figure(grid_figure(image), args.out, FIGURE, False))
        if args.show:
            import matplotlib.pyplot as plt

            _figure, _sliders = slider_figure(image)
            plt.show()

    return run_main(parser.prog, body)
