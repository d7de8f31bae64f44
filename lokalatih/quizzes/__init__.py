"""Question bank, pre- and post-tests, attempts and results."""
