"""One BLAS thread: set for the process or for a block, as threadpoolctl reports it (the speed effect is
measured in benchmarks). Each check runs in a fresh interpreter, where NumPy's is the only BLAS loaded."""

import subprocess
import sys
import textwrap


def _run(code: str) -> str:
    prelude = ("from threadpoolctl import threadpool_info, threadpool_limits\n"
               "from nnsim.core import blas\n"
               "def counts():\n"
               "    return [i['num_threads'] for i in threadpool_info() if i['user_api'] == 'blas']\n")
    run = subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)], capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


def test_use_one_thread_sets_the_process_wide_count():
    out = _run("""
        threadpool_limits(2, user_api="blas")  # as on a 2-core machine, whatever this one has
        before = counts()
        print(blas.use_one_thread(), before, counts())
        """)
    assert out == "True [2] [1]"


def test_a_block_runs_on_one_thread_and_the_count_comes_back():
    out = _run("""
        threadpool_limits(2, user_api="blas")
        seen = [counts(), blas.blas_threads()]
        with blas.BlasThreads(1):
            seen += [counts(), blas.blas_threads()]
            with blas.BlasThreads(1):  # nested: nothing to change, nothing to restore
                seen.append(counts())
            seen.append(counts())
        seen.append(counts())
        with blas.BlasThreads(None):
            seen.append(counts())
        print(seen, repr(blas.BlasThreads(1)))
        """)
    assert out == "[[2], 2, [1], 1, [1], [1], [2], [2]] BlasThreads(1)"
