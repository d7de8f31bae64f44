"""Features depend on each other in one direction, and their services never load views.

`LAYERS` below is the one statement of the allowed direction; docs/ARCHITECTURE.md explains it and
points here. A feature may import features of lower layers only, never one of its own layer or
above; the shared modules (models, audit, errors, signals, ...) import no feature at all.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import lokalatih
from lokalatih import signals
from lokalatih.errors import LokalatihError

# Lowest first. Moving a feature here is a design change: update docs/ARCHITECTURE.md with it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("main", "outbox"),
    ("auth",),
    ("privacy",),
    ("profile",),
    ("workshops",),
    ("certificates",),
    ("registrations",),
    ("attendance", "quizzes", "transcripts"),
    ("evaluations", "action_plans"),
    ("admin", "reports"),
    ("my_workshops",),
)
LAYER_OF = {feature: index for index, layer in enumerate(LAYERS) for feature in layer}

PACKAGE = Path(lokalatih.__file__).resolve().parent
# Packages of the app that are not features: the models know no feature; the demo data puts
# the app together (it may use any feature, and no feature may use it).
NOT_FEATURES = {"models", "demo"}
# Top-level modules that put the app together and so may import any feature.
COMPOSITION = {"__init__", "cli"}


def _features() -> list[str]:
    return sorted(
        path.parent.name
        for path in PACKAGE.glob("*/__init__.py")
        if path.parent.name not in NOT_FEATURES
    )


def _module_name(path: Path) -> str:
    parts = ("lokalatih", *path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in the file, those inside functions included."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # `from .. import workshops` names a package in the imported names.
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def _features_imported(path: Path) -> set[tuple[int, str]]:
    features = set(_features())
    hits = set()
    for line, module in _imported(path):
        parts = module.split(".")
        if len(parts) > 1 and parts[0] == "lokalatih" and parts[1] in features:
            hits.add((line, parts[1]))
    return hits


def test_every_feature_has_a_place_in_the_layers():
    assert sorted(LAYER_OF) == _features()


@pytest.mark.parametrize("feature", _features())
def test_a_feature_imports_only_features_of_lower_layers(feature):
    allowed = {other for other, layer in LAYER_OF.items() if layer < LAYER_OF[feature]}
    wrong = sorted(
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {other}"
        for path in (PACKAGE / feature).rglob("*.py")
        for line, other in _features_imported(path)
        if other != feature and other not in allowed
    )
    assert wrong == []


def test_no_feature_imports_the_demo():
    wrong = sorted(
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for feature in _features()
        for path in (PACKAGE / feature).rglob("*.py")
        for line, module in _imported(path)
        if module == "lokalatih.demo" or module.startswith("lokalatih.demo.")
    )
    assert wrong == []


def test_shared_modules_import_no_feature():
    shared = [
        path
        for path in [*PACKAGE.glob("*.py"), *(PACKAGE / "models").rglob("*.py")]
        if path.stem not in COMPOSITION or path.parent != PACKAGE
    ]
    wrong = sorted(
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {other}"
        for path in shared
        for line, other in _features_imported(path)
    )
    assert wrong == []


@pytest.mark.parametrize(
    "feature", [feature for feature in _features() if (PACKAGE / feature / "services.py").exists()]
)
def test_importing_a_features_services_loads_no_routes_module(feature):
    code = (
        f"import json, sys, lokalatih.{feature}.services; "
        "print(json.dumps(sorted(m for m in sys.modules if m.endswith('routes'))))"
    )
    env = {**os.environ, "PYTHONPATH": str(PACKAGE.parent)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=PACKAGE.parent,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == []


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def test_every_domain_error_lives_in_an_errors_module():
    """lokalatih/errors.py holds the shared ones, lokalatih/<feature>/errors.py a feature's own: one
    place to read every refusal a feature can give, importable from anywhere without a cycle."""
    for module in pkgutil.walk_packages(lokalatih.__path__, "lokalatih."):
        importlib.import_module(module.name)
    allowed = {"lokalatih.errors", *(f"lokalatih.{feature}.errors" for feature in _features())}
    elsewhere = sorted(
        f"{error.__module__}.{error.__qualname__}"
        for error in _subclasses(LokalatihError)
        if error.__module__.startswith("lokalatih.") and error.__module__ not in allowed
    )
    assert elsewhere == []


def test_errors_modules_import_no_services_or_routes():
    wrong = sorted(
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}"
        for path in PACKAGE.rglob("errors.py")
        for line, module in _imported(path)
        if module.split(".")[-1] == "services" or module.split(".")[-1].endswith("routes")
    )
    assert wrong == []


def test_every_signal_has_a_receiver_once_the_app_is_built(app):
    unheard = [signal.name for signal in signals.ALL if not signal.receivers]
    assert unheard == []


# --- the tests' own house --------------------------------------------------------------------

TESTS = Path(__file__).resolve().parent
# Rows with many required columns or rules between them (a quiz's items, an attempt's deadline
# and answers, a certificate's number and code): only tests/factories.py calls these models.
BUILT_ONLY_BY_FACTORIES = {
    "Workshop",
    "Profile",
    "Question",
    "Quiz",
    "QuizQuestion",
    "Attempt",
    "Answer",
    "AttemptTopicScore",
    "Certificate",
}


def _test_modules() -> list[Path]:
    return sorted(path for path in TESTS.rglob("*.py") if ".axe" not in path.parts)


def test_no_test_imports_from_a_conftest_module():
    """Shared helpers live in importable modules (tests/support.py, tests/factories.py, each
    folder's fixtures.py); a conftest only hands fixtures to pytest."""
    offenders = []
    for path in _test_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.ImportFrom)
                and (node.module or "").split(".")[-1] == "conftest"
            ):
                offenders.append(f"{path.relative_to(TESTS)}:{node.lineno}")
    assert offenders == []


def test_workshops_profiles_quizzes_attempts_and_certificates_are_built_by_the_factories_only():
    """A new required column then needs one change in tests/factories.py, not one per folder."""
    offenders = []
    for path in _test_modules():
        if path.name == "factories.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in BUILT_ONLY_BY_FACTORIES
            ):
                offenders.append(f"{path.relative_to(TESTS)}:{node.lineno} {node.func.id}(")
    assert offenders == []
