"""requirements.lock is what a fresh clone installs: every dependency pyproject.toml asks for is
pinned there within its range, and the environment the tests run in holds exactly those pins."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    return pins


def _asked_for(*extras: str) -> list[Requirement]:
    """The dependencies of pyproject.toml, with those of the extras named (all by default)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    optional = project["optional-dependencies"]
    asked = list(project["dependencies"])
    for extra in extras or optional:
        asked += optional[extra]
    return [Requirement(text) for text in asked]


def test_every_dependency_is_locked_within_its_range():
    locked = _locked()
    missing = [str(req) for req in _asked_for() if canonicalize_name(req.name) not in locked]
    outside = [
        f"{req} locked at {locked[canonicalize_name(req.name)]}"
        for req in _asked_for()
        if canonicalize_name(req.name) in locked
        and not req.specifier.contains(locked[canonicalize_name(req.name)], prereleases=True)
    ]
    assert missing == [], "run `make lock` after changing pyproject.toml"
    assert outside == [], "run `make lock` after changing pyproject.toml"


def test_the_test_environment_holds_exactly_the_locked_versions():
    locked = _locked()
    installed = {
        canonicalize_name(dist.metadata["Name"]): dist.version for dist in metadata.distributions()
    }
    drift = {
        name: (version, locked.get(name))
        for name, version in installed.items()
        if name in locked and locked[name] != version
    }
    assert drift == {}, "installed (version, locked): `make setup` installs with the lock"
    # `make test` installs the app and the dev extra: all of it is here, at the locked versions.
    absent = [str(req) for req in _asked_for("dev") if canonicalize_name(req.name) not in installed]
    assert absent == []
