"""The reports tests' fixtures live in fixtures.py, where other tests can import them from."""

from tests.reports.fixtures import *  # noqa: F403
