"""The `coanalysis validate` and `coanalysis figures` subcommands, as a user calls them."""

import shutil
import subprocess
import sys

import pandas as pd

from coanalysis.paths import data_dir


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "coanalysis.cli", *args], capture_output=True, text=True)


def test_validate_shipped_case_base_exits_zero():
    run = _cli("validate")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "valid" in run.stdout


def test_validate_reports_every_problem_with_file_line_column(tmp_path):
    copy = tmp_path / "cases"
    shutil.copytree(data_dir() / "cases", copy)
    conditions = copy / "conditions.csv"
    # Corrupt two scores (a forbidden 0.5 and an out-of-range 7); no field spans several lines.
    table = pd.read_csv(conditions, dtype=str, keep_default_na=False)
    scored = table.index[table["score"] != ""][:2]
    assert not table.apply(lambda col: col.str.contains("\n")).any().any()
    for idx, new in zip(scored, ("0.5", "7")):
        table.loc[idx, "score"] = new
    table.to_csv(conditions, index=False)
    run = _cli("validate", str(copy))
    assert run.returncode == 1
    out = run.stdout
    for idx, new in zip(scored, ("0.5", "7")):
        line = idx + 2  # header is line 1
        assert f"conditions.csv, line {line}, column 'score': found '{new}'" in out, out
    assert "problem(s) found" in run.stderr


def test_figures_subcommand_lists_and_writes_gallery(tmp_path):
    import matplotlib.pyplot as plt

    from coanalysis.figures import export_figure

    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    export_figure(fig, "essai", data=pd.DataFrame({"x": [0, 1]}), title="Titre d'essai", alt="A",
                  source="S", outdir=tmp_path)
    plt.close(fig)
    assert not (tmp_path / "README.md").exists()  # an export alone never writes a gallery
    run = _cli("figures", "--dir", str(tmp_path))
    assert run.returncode == 0
    assert "essai: Titre d'essai" in run.stdout
    assert (tmp_path / "README.md").exists()
