"""One BLAS thread: set process-wide and readable back (the speed effect is measured in benchmarks)."""

import subprocess
import sys


def test_use_one_thread_sets_the_process_wide_count():
    code = ("from nnsim.core import blas\n"
            "get, set_ = blas._openblas_thread_functions()\n"
            "ok = blas.use_one_thread()\n"
            "print(ok, get() if get else 1)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    ok, count = run.stdout.split()
    assert ok == "True" and count == "1"
