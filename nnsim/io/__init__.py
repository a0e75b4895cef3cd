"""Files and data: imports ``nnsim.core`` and the standard library, never Qt."""
