"""The conda route (environment.yml) stays in step with pyproject.toml and the pip lock.

No conda here, so environment.yml is never solved in CI; these checks keep it from drifting: every
dependency the package declares (main and dev) is listed, and every version it pins equals the
lock's pin for that package.
"""

import re
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _environment() -> dict[str, str | None]:
    """``{package: pinned version or None}`` from the conda and pip lists of environment.yml."""
    out: dict[str, str | None] = {}
    for line in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\s+-\s+([A-Za-z0-9_.\-]+)\s*(?:={1,2}\s*([0-9][^\s#]*))?\s*(#.*)?$", line)
        if match and match.group(1) not in ("conda-forge", "-e"):
            out[match.group(1).lower()] = match.group(2)
    return out


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements" / "lock.txt").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        if match:
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def test_environment_lists_every_declared_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(r) for r in project["dependencies"]}
    declared |= {_name(r) for group in project["optional-dependencies"].values() for r in group}
    listed = set(_environment())
    assert declared - listed == set(), "add these to environment.yml"


def test_environment_pins_equal_the_lock():
    env, lock = _environment(), _lock()
    pinned = {name: version for name, version in env.items() if version and name != "python"}
    assert len(pinned) >= 8  # the stack is pinned, not left to the solver
    for name, version in pinned.items():
        assert lock.get(name) == version, f"{name}: environment.yml {version}, lock {lock.get(name)}"


@pytest.mark.parametrize("text,expected", [("  - pandas=3.1.1", {"pandas": "3.1.1"}),
                                           ("      - krippendorff==0.8.2", {"krippendorff": "0.8.2"}),
                                           ("  - tqdm", {"tqdm": None})])
def test_environment_line_parser(tmp_path, monkeypatch, text, expected):
    # the parser reads both conda (=) and pip (==) pins, and bare names
    root = tmp_path
    (root / "environment.yml").write_text(f"dependencies:\n{text}\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", root)
    assert _environment() == expected
