"""One screen family per module."""
