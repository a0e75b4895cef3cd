"""Gradient descent on 2-D costs, typed expressions parsed safely, noisy mini-batch descent."""

import numpy as np
import pytest

from nnsim.core.learning.descent import COSTS, ExpressionError, data_cost, descend, get_cost, make_dataset, parse_cost


def test_descent_on_the_bowl_converges_and_dC_matches_grad_dot_dv():
    path = descend(COSTS["bowl"], (-1.6, 1.3), eta=0.01, steps=400)
    assert not path.diverged and path.steps == 400
    assert path.cost[-1] < 1e-3 * path.cost[0]
    assert np.all(np.diff(path.cost) < 0)
    # ΔC ≈ ∇C·Δv = −η|∇C|², to first order: the relative error is about η
    rel = np.abs(path.dC - path.predicted) / np.abs(path.predicted)
    assert np.max(rel) < 0.02
    smaller = descend(COSTS["bowl"], (-1.6, 1.3), eta=0.001, steps=5)
    rel_small = np.abs(smaller.dC - smaller.predicted) / np.abs(smaller.predicted)
    assert np.max(rel_small) < np.max(rel[:5]) / 5


def test_too_large_eta_diverges_and_stops():
    path = descend(COSTS["bowl"], (1.0, 1.0), eta=1.5, steps=500)
    assert path.diverged and path.steps < 500


def test_builtin_gradients_match_finite_differences():
    rng = np.random.default_rng(1)
    for cost in COSTS.values():
        v1, v2 = rng.uniform(-1.5, 1.5, size=(2, 5))
        g1, g2 = cost.grad(v1, v2)
        h = 1e-6
        assert np.allclose(g1, (cost.f(v1 + h, v2) - cost.f(v1 - h, v2)) / (2 * h), rtol=1e-5, atol=1e-5)
        assert np.allclose(g2, (cost.f(v1, v2 + h) - cost.f(v1, v2 - h)) / (2 * h), rtol=1e-5, atol=1e-5)


def test_typed_expression_values_and_gradient():
    cost = parse_cost("v1^2 + 3*sin(v2) - exp(-v1) / 2 + pi")
    v1, v2 = np.array([0.5, -1.0]), np.array([0.2, 2.0])
    expected = v1 ** 2 + 3 * np.sin(v2) - np.exp(-v1) / 2 + np.pi
    assert np.allclose(cost(v1, v2), expected)
    g1, g2 = cost.grad(v1, v2)
    assert np.allclose(g1, 2 * v1 + np.exp(-v1) / 2, atol=1e-6)
    assert np.allclose(g2, 3 * np.cos(v2), atol=1e-6)
    assert get_cost("Bowl") is COSTS["bowl"]
    assert get_cost("v1*v2").text == "v1*v2"
    v1g, v2g, C = cost.grid(20)
    assert C.shape == (20, 20)


@pytest.mark.parametrize("text, message", [
    ("__import__('os').system('true')", "not allowed|unknown function"),
    ("v1.real", "not allowed"),
    ("open('x')", "unknown function"),
    ("v1 + q", "unknown name 'q'"),
    ("(lambda: 1)()", "not allowed|unknown function"),
    ("[v1 for v1 in ()]", "not allowed"),
    ("v1 +", "cannot read"),
    ("'a' * v1", "only numbers"),
    ("sin(v1, v2)", "exactly one argument"),
    ("3 + 4", "does not use v1 or v2"),
    ("", "empty"),
    ("v1 if v2 else 0", "not allowed"),
])
def test_unsafe_or_bad_expressions_are_refused(text, message):
    with pytest.raises(ExpressionError, match=message):
        parse_cost(text)


def test_huge_powers_do_not_hang_or_warn():
    cost = parse_cost("9^9^9 * v1")
    assert np.isinf(cost(np.array([1.0]), np.array([0.0]))[0])


def test_batch_minibatch_and_online_descent_on_a_data_set():
    data = make_dataset(40, spread=0.5, seed=3)
    assert np.allclose(data.mean(axis=0), 0)
    bowl = COSTS["bowl"]
    batch = descend(bowl, (-1.5, 1.0), 0.05, 60, data=data)
    mini = descend(bowl, (-1.5, 1.0), 0.05, 60, data=data, mini_batch_size=8, seed=1)
    online = descend(bowl, (-1.5, 1.0), 0.05, 60, data=data, mini_batch_size=1, seed=1)
    again = descend(bowl, (-1.5, 1.0), 0.05, 60, data=data, mini_batch_size=1, seed=1)
    assert np.array_equal(online.v, again.v)                      # seeded
    assert batch.mini_batch_size == 40 and online.mini_batch_size == 1
    assert np.allclose(batch.batch_grads, batch.grad)             # full batch uses the true gradient
    # the averaged bowl is |v|² + const: the full-batch path is the plain bowl's path
    assert np.allclose(batch.v, descend(bowl, (-1.5, 1.0), 0.05, 60).v)
    floor = data_cost(bowl, data, (0, 0))                         # the mean of |x_i|²
    for p in (batch, mini, online):
        assert p.cost[-1] - floor < 0.1 * (p.cost[0] - floor)
    # noise: the online steps wander from the true gradient more than mini-batch ones
    dev = [np.mean(np.linalg.norm(p.batch_grads - p.grad, axis=1)) for p in (batch, mini, online)]
    assert dev[0] == 0 and dev[1] < dev[2]
    assert online.cost[-1] == pytest.approx(data_cost(bowl, data, online.v[-1]))


def test_bad_settings_are_user_errors():
    from nnsim.core.errors import UserError
    with pytest.raises(UserError, match="learning rate"):
        descend(COSTS["bowl"], (0, 0), -1, 5)
    with pytest.raises(UserError, match="mini-batch"):
        descend(COSTS["bowl"], (0, 0), 0.1, 5, data=make_dataset(4), mini_batch_size=0)
