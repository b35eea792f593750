"""Page 19's edit_image on today's scikit-image: blur and channel scaling."""

import numpy as np
import pytest

pytest.importorskip("skimage",
                    reason='scikit-image is an extra: pip install -e ".[demo]"')

import matplotlib  # noqa: E402

matplotlib.use("Agg")

from graph_examples import image_demo  # noqa: E402


@pytest.fixture(scope="module")
def coffee():
    return image_demo.coffee()


def test_coffee_is_the_bundled_photo(coffee):
    assert coffee.shape == (400, 600, 3) and coffee.dtype == np.uint8


def test_no_blur_and_unit_gains_only_rescale_to_floats(coffee):
    edited = image_demo.edit_image(coffee, sigma=0.0)

    # skimage multiplies by 1/255 where we divide: one ulp apart at most.
    np.testing.assert_allclose(edited, coffee / 255.0, rtol=0, atol=2.3e-16)


def test_blur_of_an_impulse_is_a_unit_gaussian_of_width_sigma():
    """Independent of scikit-image: the blurred impulse's mass and spread."""
    sigma = 2.0
    image = np.zeros((41, 41, 3))
    image[20, 20, :] = 1.0
    blurred = image_demo.edit_image(image, sigma=sigma)[:, :, 0]

    # A normalised kernel keeps the mass; truncating at 4 sigma takes away
    # about 3e-4 of the variance, so 1e-3 relative tolerance is ample.
    rows = np.arange(41) - 20
    assert blurred.sum() == pytest.approx(1.0, abs=1e-12)
    variance = (blurred.sum(axis=1) * rows**2).sum()
    assert variance == pytest.approx(sigma**2, rel=1e-3)


def test_blur_never_mixes_colour_planes():
    image = np.zeros((21, 21, 3))
    image[10, 10, 0] = 1.0
    blurred = image_demo.edit_image(image, sigma=3.0)
    assert blurred[:, :, 0].max() > 0
    assert not blurred[:, :, 1:].any()


def test_channels_scale_by_r_g_b_after_the_blur(coffee):
    crop = coffee[100:160, 200:280]
    plain = image_demo.edit_image(crop, sigma=1.5)
    scaled = image_demo.edit_image(crop, sigma=1.5, r=0.5, g=0.25, b=0.0)
    np.testing.assert_allclose(scaled, plain * np.array([0.5, 0.25, 0.0]), rtol=1e-15)


def test_grid_has_one_titled_panel_per_edit(coffee):
    import matplotlib.pyplot as plt

    figure = image_demo.grid_figure(coffee[::8, ::8])
    titles = [ax.get_title() for ax in figure.axes if ax.get_title()]
    plt.close(figure)
    assert titles == [title for title, _ in image_demo.EDITS]


def test_sliders_redraw_the_edit_they_name(coffee):
    import matplotlib.pyplot as plt

    small = coffee[::8, ::8]
    figure, sliders = image_demo.slider_figure(small)
    assert {name: s.val for name, s in sliders.items()} == {
        "sigma": 0.1, "r": 1.0, "g": 1.0, "b": 1.0}
    sliders["sigma"].set_val(2.0)
    sliders["g"].set_val(0.5)
    shown = figure.axes[0].images[0].get_array()
    plt.close(figure)
    np.testing.assert_allclose(shown, image_demo.edit_image(small, sigma=2.0, g=0.5))


def test_script_writes_the_grid(tmp_path):
    assert image_demo.main(["--out", str(tmp_path)]) == 0
    assert (tmp_path / image_demo.FIGURE).stat().st_size > 50_000


def test_script_refuses_an_out_that_is_a_file(tmp_path, capsys):
    target = tmp_path / "taken"
    target.write_text("")
    assert image_demo.main(["--out", str(target)]) == 2
    assert capsys.readouterr().err.count("\n") == 1
