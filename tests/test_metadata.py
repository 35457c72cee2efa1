"""Project metadata agree with each other: version, licence, citation."""

import re
import tomllib
from pathlib import Path

import coanalysis

ROOT = Path(__file__).resolve().parent.parent


def test_version_and_licence_agree_across_files():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    citation = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(rf"^version: {re.escape(project['version'])}$", citation, re.M)
    assert coanalysis.__version__ == project["version"]
    assert re.search(r"^license: MIT$", citation, re.M) and project["license"] == "MIT"  # SPDX expression (PEP 639)
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    # the README's citation line names the same version
    assert f"version {project['version']}" in (ROOT / "README.md").read_text(encoding="utf-8")
