"""The certificates tests' fixtures live in fixtures.py, where other tests can import them from."""

from tests.certificates.fixtures import *  # noqa: F403
