"""Runs trained together: each run gives the numbers it gives alone; grids, stops and bad settings."""

import numpy as np
import pytest

from nnsim.core.errors import UserError
from nnsim.core.learning import runs as runs_module
from nnsim.core.learning.network import Network
from nnsim.core.learning.runs import RunSettings, grid, train_runs
from nnsim.core.learning.training import sgd
from nnsim.io.datasets import read_idx_images, read_idx_labels
from nnsim.paths import mnist_dir


@pytest.fixture(scope="module")
def sample():
    X, _ = read_idx_images(mnist_dir() / "t10k-images-idx3-ubyte.gz", limit=1600)
    y = read_idx_labels(mnist_dir() / "t10k-labels-idx1-ubyte.gz", limit=1600)
    return (X[:1000], y[:1000]), (X[1000:1300], y[1000:1300]), (X[1300:], y[1300:])


def alone(r: RunSettings, training, validation, test, epochs, dtype=np.float32):
    net = Network(r.sizes, seed=r.seed, dtype=dtype, init=r.init)
    n = r.n_train or len(training[1])
    stats = list(sgd(net, (training[0][:n], training[1][:n]), epochs, r.mini_batch_size, r.eta,
                     validation_data=validation, test_data=test, seed=r.seed, cost=r.cost))
    return net, stats


def test_grid_is_every_combination_with_the_seed_varying_fastest():
    runs = grid(seeds=[0, 1], etas=[0.5, 3], costs=["quadratic", "cross-entropy"])
    assert len(runs) == 8
    assert [(r.seed, r.eta, r.cost) for r in runs[:4]] == [(0, 0.5, "quadratic"), (1, 0.5, "quadratic"),
                                                           (0, 3.0, "quadratic"), (1, 3.0, "quadratic")]
    assert runs[-1] == RunSettings((784, 30, 10), 1, 3.0, "cross-entropy")
    with pytest.raises(UserError, match="unknown cost"):
        grid(costs=["hinge"])
    with pytest.raises(UserError, match="initialisation"):
        grid(inits=["xavier"])


@pytest.mark.parametrize("dtype, threads, processes", [(np.float32, 1, 1), (np.float64, 1, 1),
                                                      (np.float32, 2, 1), (np.float64, 1, 2)])
def test_each_stacked_run_gives_the_numbers_it_gives_alone(sample, dtype, threads, processes):
    training, validation, test = sample
    runs = grid(sizes=[(784, 16, 10)], seeds=[0, 1, 2], etas=[0.5, 3.0]) + \
        [RunSettings((784, 16, 10), 5, 1.0, "cross-entropy", "scaled")]
    reports = list(train_runs(runs, training, 2, validation_data=validation, test_data=test, dtype=dtype,
                              copies=True, threads=threads, processes=processes))
    for i, r in enumerate(runs):
        mine = [rep for rep in reports if rep.run == i]
        assert [rep.stats.epoch for rep in mine] == [1, 2] and all(rep.settings == r for rep in mine)
        net, stats = alone(r, training, validation, test, 2, dtype)
        for rep, s in zip(mine, stats):
            assert abs(rep.stats.test_correct - s.test_correct) <= 2
            assert abs(rep.stats.validation_correct - s.validation_correct) <= 2
            assert rep.stats.cost == pytest.approx(s.cost, rel=1e-3)
        tol = dict(rtol=1e-9, atol=1e-12) if dtype == np.float64 else dict(rtol=1e-3, atol=1e-4)
        for p, q in zip(mine[-1].network.weights + mine[-1].network.biases, net.weights + net.biases):
            np.testing.assert_allclose(p, q, **tol)
    if processes > 1:  # the parent's networks hold the children's final weights
        net, _ = alone(runs[0], training, validation, test, 2, dtype)
        mine = [rep for rep in reports if rep.run == 0][-1].network
        np.testing.assert_allclose(mine.weights[0], net.weights[0], rtol=1e-9, atol=1e-12)


def test_runs_of_other_sizes_mini_batches_and_training_sets_train_too(sample):
    training, validation, test = sample
    runs = grid(sizes=[(784, 12, 10), (784, 8, 6, 10)], seeds=[3], etas=[2.0], mini_batch_sizes=[7, 10],
                n_trains=[150, 1000])
    reports = list(train_runs(runs, training, 2, test_data=test, report_every=5, training_accuracy=True))
    for i, r in enumerate(runs):
        ends = [rep.stats for rep in reports if rep.run == i and rep.stats.epoch_end]
        _, stats = alone(r, training, None, test, 2, np.float32)
        assert [s.test_correct for s in ends] == pytest.approx([s.test_correct for s in stats], abs=2)
        assert ends[-1].images_seen == 2 * r.n_train
        assert ends[-1].training_total == r.n_train and 0 <= ends[-1].training_correct <= r.n_train
        middle = [rep.stats for rep in reports if rep.run == i and not rep.stats.epoch_end]
        assert [s.batches_done for s in middle[:2]] == [5, 10]


@pytest.mark.parametrize("threads, processes", [(1, 1), (2, 1), (1, 2)])
def test_stop_ends_every_run_with_a_stopped_report(sample, threads, processes):
    training, _, _ = sample
    calls = []

    def stop():
        calls.append(1)
        return len(calls) > (2 if processes > 1 else 40)  # the parent asks between its children's reports

    runs = grid(sizes=[(784, 10, 10)], seeds=[0, 1, 2, 3]) + grid(sizes=[(784, 12, 10)], seeds=[4])
    reports = list(train_runs(runs, training, 50, stop=stop, threads=threads, processes=processes,
                              report_every=5))
    last = {}
    for rep in reports:
        last[rep.run] = rep.stats
    assert set(last) == {0, 1, 2, 3, 4} and all(s.stopped for s in last.values())
    assert all(s.epoch < 50 for s in last.values())


def test_closing_the_generator_stops_the_threads(sample):
    training, _, test = sample
    run = train_runs(grid(sizes=[(784, 10, 10)], seeds=[0, 1, 2]), training, 50, test_data=test, threads=2)
    first = next(run)
    assert first.stats.epoch == 1
    run.close()
    assert not any(t.name.startswith("nnsim-runs") for t in __import__("threading").enumerate())


def test_bad_settings_are_user_errors(sample):
    training, _, _ = sample
    with pytest.raises(UserError, match="eta"):
        train_runs(grid(sizes=[(784, 10, 10)], etas=[3.0, -1]), training, 1)
    with pytest.raises(UserError, match="training-set size"):
        train_runs(grid(sizes=[(784, 10, 10)], n_trains=[5000]), training, 1)
    with pytest.raises(UserError, match="takes 784 inputs|inputs"):
        train_runs(grid(sizes=[(100, 10, 10)]), training, 1)
    with pytest.raises(UserError, match="no runs"):
        train_runs([], training, 1)


def test_stacks_are_split_over_the_threads():
    runs = grid(seeds=range(8))
    jobs = runs_module._jobs(runs, 2)
    assert sorted(i for job in jobs for i in job) == list(range(8)) and [len(j) for j in jobs] == [4, 4]
    mixed = grid(seeds=range(3), sizes=[(784, 30, 10), (784, 100, 10)])
    assert len(runs_module._jobs(mixed, 2)) == 2


def test_errors_in_a_training_process_reach_the_caller(sample, monkeypatch):
    training, _, _ = sample

    def broken(*args, **kwargs):
        raise RuntimeError("broken kernel")
        yield

    monkeypatch.setattr(runs_module, "train_stack", broken)
    with pytest.raises(RuntimeError, match="broken kernel"):
        list(train_runs(grid(sizes=[(784, 10, 10)], seeds=[0, 1]), training, 1, processes=2))


def test_a_learning_curve_grid_trains_each_size_exactly_as_alone(sample):
    """Runs of different training-set sizes leave the stack at different times; the others carry on with
    exactly their own working parameters (float32; the blank pixels left out differ with the training set,
    so the products differ in rounding only)."""
    training, _, test = sample
    runs = grid(sizes=[(784, 10, 10)], seeds=[2], n_trains=[100, 300, 1000])
    reports = list(train_runs(runs, training, 3, test_data=test, copies=True))
    for i, r in enumerate(runs):
        net, stats = alone(r, training, None, test, 3)
        final = [rep for rep in reports if rep.run == i][-1]
        assert final.stats.test_correct == pytest.approx(stats[-1].test_correct, abs=2)
        for p, q in zip(final.network.weights + final.network.biases, net.weights + net.biases):
            np.testing.assert_allclose(p, q, rtol=1e-4, atol=1e-5)
