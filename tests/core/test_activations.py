"""Activations: values, no overflow warnings, the base β, and derivatives against finite differences."""

import numpy as np
import pytest

from nnsim.core import activations as act


def test_step_is_the_perceptron_rule():
    assert act.step(np.array([-1.0, 0.0, 1e-12, 5.0])).tolist() == [0, 0, 1, 1]


def test_sigmoid_values_and_symmetry():
    z = np.linspace(-10, 10, 41)
    s = act.sigmoid(z)
    assert act.sigmoid(0.0) == 0.5
    np.testing.assert_allclose(s + act.sigmoid(-z), 1.0)
    np.testing.assert_allclose(s, 1 / (1 + np.exp(-z)))


def test_sigmoid_has_no_overflow_warning_for_huge_z():
    # pytest turns warnings into errors, so an overflow in exp would fail here
    out = act.sigmoid(np.array([-1e6, -800.0, 800.0, 1e6]))
    np.testing.assert_allclose(out, [0.0, 0.0, 1.0, 1.0], rtol=0, atol=1e-300)
    assert np.all((out >= 0) & (out <= 1))
    assert act.sigmoid(np.array(-30.0)) == pytest.approx(np.exp(-30.0) / (1 + np.exp(-30.0)), rel=1e-12)
    assert np.all(np.isfinite(act.sigmoid_prime(np.array([-1e6, 1e6]))))


def test_sigmoid_keeps_float32_and_writes_into_out():
    z = np.array([-1e6, -100.0, -30.0, 0.0, 30.0, 1e6], dtype=np.float32)
    s = act.sigmoid(z)  # float32's e^x overflows from x ≈ 88.7: no float64 cap can serve it
    assert s.dtype == np.float32
    np.testing.assert_allclose(s, act.sigmoid(z.astype(np.float64)), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(act.sigmoid(z, 10.0), act.sigmoid(z.astype(np.float64), 10.0), atol=1e-7)
    assert act.sigmoid(np.arange(3)).dtype == np.float64
    d = act.sigmoid_prime(z)
    assert d.dtype == np.float32 and np.all(np.isfinite(d))
    # into a strided view of a bigger array, z left unchanged
    z64 = np.linspace(-5, 5, 12).reshape(3, 4)
    before = z64.copy()
    big = np.zeros((3, 8))
    result = act.sigmoid(z64, 2.0, out=big[:, ::2])
    assert result.base is big
    np.testing.assert_allclose(big[:, ::2], 1 / (1 + 2.0 ** -z64))
    assert np.all(big[:, 1::2] == 0) and np.array_equal(z64, before)


def test_sigmoid_base_goes_from_flat_to_step():
    z = np.array([-1.0, -0.1, 0.1, 1.0])
    flat = act.sigmoid(z, base=1.0001)
    assert np.all(np.abs(flat - 0.5) < 1e-4)
    steep = act.sigmoid(z, base=1e6)
    np.testing.assert_allclose(steep, act.step(z), atol=0.25)
    np.testing.assert_allclose(act.sigmoid(z, base=1e6)[[0, 3]], [0, 1], atol=1e-5)
    np.testing.assert_allclose(act.sigmoid(z, base=np.e), act.sigmoid(z))


@pytest.mark.parametrize("bad", [1.0, 0.5, -2.0, float("inf"), float("nan")])
def test_sigmoid_base_must_exceed_one(bad):
    with pytest.raises(ValueError):
        act.sigmoid(0.0, base=bad)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "linear", "softplus"])
def test_derivatives_match_central_differences(name):
    a = act.get(name)
    z = np.linspace(-4, 4, 33) + 0.013  # avoid ReLU's kink at exactly 0
    h = 1e-6
    numeric = (a(z + h) - a(z - h)) / (2 * h)
    np.testing.assert_allclose(a.prime(z), numeric, rtol=1e-5, atol=1e-7)


def test_base_sigmoid_derivative():
    z, h, base = np.linspace(-3, 3, 13), 1e-6, 5.0
    numeric = (act.sigmoid(z + h, base) - act.sigmoid(z - h, base)) / (2 * h)
    np.testing.assert_allclose(act.sigmoid_prime(z, base), numeric, rtol=1e-5)


def test_step_derivative_is_zero_and_unknown_names_are_refused():
    assert act.step_prime(np.array([-1.0, 0.0, 1.0])).tolist() == [0, 0, 0]
    with pytest.raises(ValueError, match="unknown activation"):
        act.get("sigmoidal")
