"""Canvas of the nnsim app."""
