"""The registrations tests' fixtures live in fixtures.py, where other tests can import them from."""

from tests.registrations.fixtures import *  # noqa: F403
