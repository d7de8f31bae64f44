"""The security tests' fixtures live in fixtures.py, where other tests can import them from."""

from tests.security.fixtures import *  # noqa: F403
