#!/usr/bin/env bash
# Writes requirements.lock: the exact version of every package `make setup` and `make bench`
# install, resolved in a fresh virtual environment from pyproject.toml. `make setup` installs
# with it as a constraint, so a fresh clone gets exactly what CI tested. Run `make lock` after
# changing a dependency in pyproject.toml, and commit both files.
set -euo pipefail
PYTHON="${PYTHON:-python3}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
"$PYTHON" -m venv "$scratch/venv"
"$scratch/venv/bin/python" -m pip install --quiet --upgrade pip 'setuptools>=78.1.1'
"$scratch/venv/bin/python" -m pip install --quiet -e '.[dev,bench]'
{
    echo "# Exact versions for \`make setup\` and \`make bench\` (pip's -c constraint)."
    echo "# Written by \`make lock\` (scripts/lock.sh) from pyproject.toml; do not edit by hand."
    "$scratch/venv/bin/python" -m pip freeze --exclude-editable
} > requirements.lock
echo "requirements.lock: $(grep -vc '^#' requirements.lock) packages"
