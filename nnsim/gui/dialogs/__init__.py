"""Dialogs that build circuits: n-bit adders, synthesis from a truth table or expression, sigmoid conversion."""
