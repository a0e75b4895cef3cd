"""What the machine offers: memory available to a new allocation (for refusing oversized networks)."""

from __future__ import annotations

import os

from nnsim.core.errors import UserError
from nnsim.core.learning.footprint import parameter_count, training_bytes


def available_memory() -> int | None:
    """Bytes of memory available now (Linux ``MemAvailable``), else the physical total, else None."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def check_training_fits(sizes, dtype, mini_batch_size: int, what: str) -> None:
    """UserError, with the estimate and what is available, when training a network of ``sizes`` would not
    fit in memory now (``what`` names the setting, e.g. ``"--sizes 784,100000000,10"``)."""
    need = training_bytes(sizes, dtype, mini_batch_size)
    have = available_memory()
    if have is not None and need > have:
        raise UserError(f"{what} needs about {need / 1e9:,.1f} GB of memory to train "
                        f"({parameter_count(sizes):,} weights and biases in {getattr(dtype, '__name__', dtype)}); "
                        f"{have / 1e9:,.1f} GB are available")
