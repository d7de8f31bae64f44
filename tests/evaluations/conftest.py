"""The evaluations tests' fixtures live in fixtures.py, where other tests can import them from."""

from tests.evaluations.fixtures import *  # noqa: F403
