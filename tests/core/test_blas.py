"""One BLAS thread: set for the process or for a block, as threadpoolctl reports it (the speed effect is
measured in benchmarks)."""

import subprocess
import sys

from threadpoolctl import threadpool_info, threadpool_limits

from nnsim.core import blas


def _blas_counts():
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


def test_use_one_thread_sets_the_process_wide_count():
    code = ("from threadpoolctl import threadpool_info, threadpool_limits\n"
            "from nnsim.core import blas\n"
            "threadpool_limits(2, user_api='blas')  # as on a 2-core machine, whatever this one has\n"
            "before = [i['num_threads'] for i in threadpool_info() if i['user_api'] == 'blas']\n"
            "ok = blas.use_one_thread()\n"
            "after = [i['num_threads'] for i in threadpool_info() if i['user_api'] == 'blas']\n"
            "print(ok, before, after)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "True [2] [1]"


def test_a_block_runs_on_one_thread_and_the_count_comes_back():
    assert _blas_counts(), "NumPy's BLAS is visible to threadpoolctl"
    with threadpool_limits(2, user_api="blas"):
        assert blas.blas_threads() == 2
        with blas.BlasThreads(1):
            assert _blas_counts() == [1] and blas.blas_threads() == 1
            with blas.BlasThreads(1):  # nested: nothing to change, nothing to restore
                assert _blas_counts() == [1]
            assert _blas_counts() == [1]
        assert _blas_counts() == [2]
        with blas.BlasThreads(None):
            assert _blas_counts() == [2]
    assert repr(blas.BlasThreads(1)) == "BlasThreads(1)"
