"""The transcripts tests' fixtures live in fixtures.py, where other tests can import them from."""

from tests.transcripts.fixtures import *  # noqa: F403
