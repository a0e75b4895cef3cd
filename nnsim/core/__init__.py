"""The pure NumPy core: no Qt, no files, no printing."""
