"""The reliability tests' fixtures live in fixtures.py, where other tests can import them from."""

from tests.reliability.fixtures import *  # noqa: F403
