"""One widget family per module."""
