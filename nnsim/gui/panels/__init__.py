"""Panels of the nnsim app."""
