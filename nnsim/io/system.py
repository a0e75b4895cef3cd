"""What the machine offers: memory available to a new allocation (for refusing oversized networks)."""

from __future__ import annotations

import os


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
