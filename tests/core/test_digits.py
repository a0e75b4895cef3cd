"""MNIST-style preprocessing of drawn digits: fit into 20×20 keeping aspect, centre by centre of mass."""

import numpy as np
import pytest

from nnsim.core.learning.digits import area_resize_matrix, centre_of_mass, mnist_preprocess


def test_resize_matrix_rows_sum_to_one_and_keep_mass():
    for n_in, n_out in [(280, 20), (7, 20), (20, 20), (33, 5)]:
        m = area_resize_matrix(n_in, n_out)
        assert m.shape == (n_out, n_in)
        np.testing.assert_allclose(m.sum(axis=1), 1.0)
        np.testing.assert_allclose(m.sum(axis=0).sum(), n_out)


def test_blank_image_gives_zeros():
    out = mnist_preprocess(np.zeros((280, 280)))
    assert out.shape == (784,) and out.dtype == np.float32 and not out.any()


def test_off_centre_stroke_is_centred_and_fitted_in_20_by_20():
    canvas = np.zeros((280, 280))
    canvas[10:130, 200:230] = 1.0  # a tall bar in the top-right corner: 120 high, 30 wide
    img = mnist_preprocess(canvas).reshape(28, 28)
    cy, cx = centre_of_mass(img)
    assert abs(cy - 13.5) <= 0.5 and abs(cx - 13.5) <= 0.5
    rows = np.flatnonzero(img.any(axis=1))
    cols = np.flatnonzero(img.any(axis=0))
    assert rows[-1] - rows[0] + 1 == 20  # the long side fills the 20-pixel box
    assert 4 <= cols[-1] - cols[0] + 1 <= 6  # aspect kept: 30/120 of 20 = 5
    assert img.max() == pytest.approx(1.0)


def test_lopsided_shape_centres_its_mass_not_its_box():
    canvas = np.zeros((100, 100))
    canvas[10:90, 20:30] = 1.0  # heavy vertical bar on the left
    canvas[10:14, 30:60] = 1.0  # thin arm to the right
    img = mnist_preprocess(canvas).reshape(28, 28)
    cy, cx = centre_of_mass(img)
    assert abs(cy - 13.5) <= 0.5 and abs(cx - 13.5) <= 0.5
    cols = np.flatnonzero(img.any(axis=0))
    assert cols[0] > 4  # the box moved right so the mass, not the box, is centred


def test_small_dot_is_scaled_up_and_values_stay_in_range():
    canvas = np.zeros((50, 60))
    canvas[40:44, 5:8] = 0.8
    img = mnist_preprocess(canvas)
    assert 0.0 <= img.min() and img.max() <= 1.0
    assert (img > 0).sum() >= 200  # a 4×3 dot becomes a 20×15 blob


def test_rejects_non_2d_input():
    with pytest.raises(ValueError):
        mnist_preprocess(np.zeros(784))
