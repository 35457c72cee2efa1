"""`coanalysis reproduce` on a temporary folder of small notebooks."""

import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from coanalysis.reproduce import NotebookFailure, find_notebooks, reproduce


def _write(folder, name, *sources):
    cells = [new_markdown_cell("# titre")] + [new_code_cell(s) for s in sources]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / name
    nbformat.write(nb, path)
    return path


@pytest.fixture
def two_good(tmp_path):
    # The first notebook writes a file the second reads: order and working directory matter.
    _write(tmp_path, "02_second.ipynb", "import os\nprint(open('step1.txt').read() + os.environ['COANALYSIS_LANG'])")
    _write(tmp_path, "01_first.ipynb", "open('step1.txt', 'w').write('ok-')", "1 + 1")
    _write(tmp_path, "10_tenth.ipynb", "x = 10")
    (tmp_path / "notes.ipynb").write_text("not a numbered notebook")
    return tmp_path


def test_notebooks_are_found_in_numeric_order(two_good):
    names = [p.name for p in find_notebooks(two_good)]
    assert names == ["01_first.ipynb", "02_second.ipynb", "10_tenth.ipynb"]
    assert [p.name for p in find_notebooks(two_good, only="02")] == ["02_second.ipynb"]
    assert [p.name for p in find_notebooks(two_good, only="0[12]_*")] == ["01_first.ipynb", "02_second.ipynb"]


def test_success_runs_all_in_order_without_rewriting(two_good, check_result_contract):
    before = (two_good / "01_first.ipynb").read_bytes()
    report = reproduce(two_good, figures=two_good / "figures", lang="en", jobs=1, progress=False,
                       echo=lambda s: None)
    check_result_contract(report)
    assert [r.path.name for r in report.runs] == ["01_first.ipynb", "02_second.ipynb", "10_tenth.ipynb"]
    assert all(r.seconds > 0 for r in report.runs)
    assert (two_good / "01_first.ipynb").read_bytes() == before
    assert "total" in report.summary()


def test_save_notebooks_stores_outputs(two_good):
    reproduce(two_good, figures=two_good / "figures", save_notebooks=True, jobs=1, progress=False,
              echo=lambda s: None)
    nb = nbformat.read(two_good / "02_second.ipynb", as_version=4)
    assert nb.cells[1].outputs[0]["text"].strip() == "ok-fr"
    assert "execution" not in nb.cells[1].metadata  # no timestamps to churn in version control


def test_failure_names_notebook_and_cell(tmp_path):
    _write(tmp_path, "01_ok.ipynb", "a = 1")
    _write(tmp_path, "02_broken.ipynb", "b = 2", "c = 3", "raise ValueError('colonne manquante')", "d = 4")
    _write(tmp_path, "03_never.ipynb", "open('ran.txt', 'w').write('x')")
    with pytest.raises(NotebookFailure) as info:
        reproduce(tmp_path, figures=tmp_path / "figures", jobs=1, progress=False, echo=lambda s: None)
    err = info.value
    assert err.notebook.name == "02_broken.ipynb"
    assert err.cell == 3
    assert "ValueError" in err.error and "colonne manquante" in err.error
    assert "02_broken.ipynb, cell 3" in str(err)
    assert not (tmp_path / "ran.txt").exists()  # stopped at the first failure
    assert [r.path.name for r in err.report.runs] == ["01_ok.ipynb"]


def test_cli_exit_codes(tmp_path):
    good = tmp_path / "good"
    good.mkdir()
    _write(good, "01_ok.ipynb", "print('bonjour')")
    run = subprocess.run([sys.executable, "-m", "coanalysis.cli", "reproduce", "--quiet", "--notebooks", str(good)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "01_ok.ipynb" in run.stdout

    bad = tmp_path / "bad"
    bad.mkdir()
    _write(bad, "01_ko.ipynb", "1/0")
    run = subprocess.run([sys.executable, "-m", "coanalysis.cli", "reproduce", "--quiet", "--notebooks", str(bad)],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "01_ko.ipynb, cell 1" in run.stderr and "ZeroDivisionError" in run.stderr

    empty = tmp_path / "empty"
    empty.mkdir()
    run = subprocess.run([sys.executable, "-m", "coanalysis.cli", "reproduce", "--quiet", "--notebooks", str(empty)],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "no numbered notebook" in run.stderr


def test_site_of_the_executed_notebooks(tmp_path):
    """`site_dir` builds the offline site from the notebooks just run: their outputs are on
    their pages and the home page links to them (tests/test_site.py checks the site in a browser)."""
    _write(tmp_path, "01_ok.ipynb", "print('bonjour')")
    out = tmp_path / "site"
    reproduce(tmp_path, figures=tmp_path / "figures", site_dir=out, progress=False, echo=lambda s: None)
    assert "bonjour" in (out / "notebooks" / "01_ok.html").read_text(encoding="utf-8")
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="notebooks/01_ok.html"' in home and "exécuté par" in home


def test_version_and_help():
    out = subprocess.run([sys.executable, "-m", "coanalysis.cli", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and "coanalysis, version" in out.stdout
    out = subprocess.run([sys.executable, "-m", "coanalysis.cli", "reproduce", "--help"], capture_output=True,
                         text=True)
    assert "--save-notebooks" in out.stdout and "--lang" in out.stdout


def test_english_run_of_the_getting_started_notebook(tmp_path, monkeypatch):
    """`reproduce --lang en` reaches the kernels: labels, sidecar and CSV come out in English."""
    from coanalysis.figures import read_sidecar
    from coanalysis.paths import notebooks_dir

    report = reproduce(notebooks_dir(), only="00_prise_en_main", lang="en", figures=tmp_path, progress=False,
                       echo=lambda s: None)
    assert [r.path.name for r in report.runs] == ["00_prise_en_main.ipynb"]
    meta = read_sidecar(tmp_path / "00_indice_coconstruction.txt")
    assert meta["lang"] == "en"
    assert meta["title"].startswith("Co-construction index")
    assert meta["source"].startswith("Source: ")
    header = (tmp_path / "00_indice_coconstruction.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "," in header and ";" not in header


_EXPORT = (
    "import matplotlib; matplotlib.use('Agg')\n"
    "import matplotlib.pyplot as plt, pandas as pd\n"
    "from coanalysis.figures import export_figure\n"
    "fig, ax = plt.subplots(); ax.plot([0, 1], [0, 1])\n"
    "export_figure(fig, 'ma_figure', data=pd.DataFrame({'x': [0.0, 1.0]}), title='T', alt='A', source='S')"
)


def test_own_notebooks_export_beside_their_folder_and_get_a_gallery(tmp_path):
    """A folder of one's own: figures and gallery go to figures/ beside it, never into the project."""
    from coanalysis.paths import gallery_dir

    folder = tmp_path / "notebooks"
    folder.mkdir()
    _write(folder, "01_export.ipynb", _EXPORT)
    reproduce(folder, progress=False, echo=lambda s: None)
    assert (tmp_path / "figures" / "ma_figure.svg").exists()
    assert "ma_figure.png" in (tmp_path / "figures" / "README.md").read_text(encoding="utf-8")
    assert not (gallery_dir("fr") / "ma_figure.svg").exists()


def test_a_script_outside_the_project_writes_where_it_runs_and_no_gallery(tmp_path):
    """export_figure with no outdir, from a user's script: the current directory, no README.md written."""
    import os

    from coanalysis.paths import gallery_dir

    gallery = gallery_dir("fr") / "README.md"
    before = gallery.read_bytes()
    env = {k: v for k, v in os.environ.items() if k != "COANALYSIS_FIGURES"}
    out = subprocess.run([sys.executable, "-c", _EXPORT], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"ma_figure.{e}" for e in ("csv", "pdf", "png", "svg", "txt")]
    assert not (gallery_dir("fr") / "ma_figure.svg").exists()
    assert gallery.read_bytes() == before


def test_a_log_gets_one_clean_line_per_notebook(two_good):
    """Piped to a log (CI, `make … > log`), the progress bar stays out and each ✓ line starts a line."""
    cli = [sys.executable, "-m", "coanalysis.cli", "reproduce", "--notebooks", str(two_good),
           "--figures", str(two_good / "figures"), "--jobs", "1"]
    out = subprocess.run(cli, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    log = out.stdout + out.stderr
    assert "notebook/s" not in log  # no tqdm bar when the stream is not a terminal
    assert [line for line in log.splitlines() if "✓" in line] == [
        line for line in log.splitlines() if line.startswith("✓ ")] and log.count("✓") == 3


def _independent(folder, n=4):
    folder.mkdir()
    """``n`` notebooks that each print their language and write a file named after themselves; the
    first sleeps so that, run at once, the later ones finish before it."""
    for i in range(1, n + 1):
        delay = "import time; time.sleep(1.5)\n" if i == 1 else ""
        _write(folder, f"0{i}_nb.ipynb",
               delay + f"import os\nopen('out_{i}.txt', 'w').write(os.environ['COANALYSIS_LANG'])",
               f"print('notebook {i}', os.environ['PYTHONHASHSEED'])")
    return folder


def test_parallel_kernels_give_the_same_notebooks_in_the_same_order(tmp_path):
    """Run at once, the notebooks are reported (and their lines printed) in numeric order, each
    kernel gets the settings (language, hash seed), and the saved notebooks are the bytes a
    one-at-a-time run saves."""
    import shutil

    saved = {}
    _independent(tmp_path / "source")
    for jobs in (1, 3):
        folder = tmp_path / f"jobs{jobs}"
        shutil.copytree(tmp_path / "source", folder)
        lines = []
        report = reproduce(folder, figures=folder / "figures", lang="en", jobs=jobs,
                           save_notebooks=True, progress=False, echo=lines.append)
        names = [f"0{i}_nb.ipynb" for i in range(1, 5)]
        assert [r.path.name for r in report.runs] == names
        assert [line.split(" (")[0] for line in lines] == [f"✓ {n}" for n in names]
        assert report.jobs == jobs and report.wall_seconds > 0
        assert all((folder / f"out_{i}.txt").read_text() == "en" for i in range(1, 5))
        saved[jobs] = [(folder / n).read_bytes() for n in names]
    assert saved[1] == saved[3]
    assert b"notebook 4 0" in saved[3][3]


def test_parallel_failure_is_the_first_in_order_and_stops_new_starts(tmp_path):
    _write(tmp_path, "01_slow.ipynb", "import time; time.sleep(1.0)")
    _write(tmp_path, "02_broken.ipynb", "raise ValueError('colonne manquante')")
    _write(tmp_path, "03_broken_too.ipynb", "raise KeyError('autre')")
    for i in range(4, 9):
        _write(tmp_path, f"0{i}_later.ipynb", f"open('ran_{i}.txt', 'w').write('x')")
    with pytest.raises(NotebookFailure) as info:
        reproduce(tmp_path, figures=tmp_path / "figures", jobs=2, progress=False, echo=lambda s: None)
    assert info.value.notebook.name == "02_broken.ipynb"
    assert [r.path.name for r in info.value.report.runs] == ["01_slow.ipynb"]
    assert not (tmp_path / "ran_8.txt").exists()  # started after the failures were seen: never


def test_jobs_must_be_a_positive_integer(two_good):
    with pytest.raises(ValueError, match="jobs"):
        reproduce(two_good, jobs=0, progress=False, echo=lambda s: None)
    with pytest.raises(TypeError, match="jobs"):
        reproduce(two_good, jobs=1.5, progress=False, echo=lambda s: None)
