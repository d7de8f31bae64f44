"""The browser tests' fixtures live in fixtures.py, where other tests can import them from."""

from tests.browser.fixtures import *  # noqa: F403
