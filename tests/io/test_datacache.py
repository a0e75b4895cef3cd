"""Data sets and baselines kept between runs: one load per path and file time, one scoring per source."""

import os

import numpy as np
import pytest

from nnsim.core.learning import baselines
from nnsim.io import datacache
from nnsim.io.datasets import DatasetError

from test_datasets import make_set, write_idx_folder


def test_a_folder_is_loaded_once_until_its_files_change(tmp_path):
    folder = write_idx_folder(tmp_path / "set", make_set())
    first = datacache.load_data(folder)
    assert datacache.load_data(str(folder)) is first           # same path, same files: the cached object
    stamp = os.stat(folder).st_mtime_ns + 10**9
    os.utime(folder, ns=(stamp, stamp))                          # the folder changed since
    again = datacache.load_data(folder)
    assert again is not first and np.array_equal(again.test_labels, first.test_labels)


def test_a_missing_path_reaches_the_loader_and_its_message(tmp_path):
    with pytest.raises(DatasetError, match="no such file"):
        datacache.load_data(tmp_path / "nowhere")


def test_baselines_are_the_books_and_computed_once_per_source(tmp_path):
    data = datacache.load_data(write_idx_folder(tmp_path / "set", make_set(n_test=40)))
    darkness, random = datacache.baselines(data)
    assert (darkness.name, random.name) == ("darkness", "random")
    training, test = data.compact("training"), data.compact("test")
    assert darkness.accuracy_pct == pytest.approx(100 * baselines.average_darkness(training, test) / 40)
    assert random.accuracy_pct == pytest.approx(100 * baselines.random_guess(test, 0) / 40)
    assert datacache.baselines(data) is datacache.baselines(data)
