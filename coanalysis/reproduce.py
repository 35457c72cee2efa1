"""Run every numbered notebook in order, each in a fresh kernel, to rebuild ``figures/``.

The engine behind ``coanalysis reproduce``: progress and time per notebook,
stop at the first failure naming the notebook, the cell and the error.
"""

from __future__ import annotations

import os
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

from .text import check_lang
from .errors import CoanalysisError
from .paths import gallery_dir, notebooks_dir

__all__ = [
    "NotebookFailure",
    "NotebookRun",
    "ReproduceReport",
    "find_notebooks",
    "run_notebook",
    "reproduce",
]

_NUMBERED = re.compile(r"^(\d+)_.*\.ipynb$")


class NotebookFailure(CoanalysisError):
    """A notebook failed: carries the notebook, the cell number and the error text."""

    def __init__(self, notebook: Path, cell: int | None, error: str, source: str = ""):
        self.notebook = Path(notebook)
        #: The :class:`ReproduceReport` of the notebooks that ran before this one (set by ``reproduce``).
        self.report: ReproduceReport | None = None
        self.cell = cell
        self.error = error
        self.source = source
        where = f"{self.notebook.name}, cell {cell}" if cell is not None else self.notebook.name
        excerpt = ""
        if source:
            first = source.strip().splitlines()
            excerpt = f"\n  cell starts with: {first[0][:100]}" if first else ""
        super().__init__(f"notebook failed: {where}: {error}{excerpt}")


@dataclass
class NotebookRun:
    """The outcome of one notebook: its path, duration in seconds, and code-cell count."""

    path: Path
    seconds: float
    code_cells: int


@dataclass
class ReproduceReport:
    """All notebook runs of one ``reproduce`` call."""

    runs: list[NotebookRun] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return sum(r.seconds for r in self.runs)

    def summary(self) -> str:
        lines = [f"{r.path.name:<40} {r.seconds:7.1f} s  ({r.code_cells} code cells)" for r in self.runs]
        plural = "s" if len(self.runs) != 1 else ""
        lines.append(f"{'total':<40} {self.seconds:7.1f} s  ({len(self.runs)} notebook{plural})")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"ReproduceReport({len(self.runs)} notebooks, {self.seconds:.1f} s)"


def find_notebooks(folder: str | Path | None = None, only: str | None = None) -> list[Path]:
    """Numbered notebooks (``NN_name.ipynb``) of ``folder`` in numeric order.

    ``only`` keeps those whose file name contains it (a substring or a glob
    pattern such as ``"0[12]_*"``).
    """
    folder = Path(folder) if folder is not None else notebooks_dir()
    if not folder.is_dir():
        raise FileNotFoundError(f"no notebooks folder at {folder}")
    found = []
    for path in folder.glob("*.ipynb"):
        match = _NUMBERED.match(path.name)
        if match:
            found.append((int(match.group(1)), path.name, path))
    paths = [p for _, _, p in sorted(found)]
    if only:
        paths = [p for p in paths if (only in p.name or p.match(only))]
    return paths


@contextmanager
def _env(**values: str) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _failed_cell(nb) -> tuple[int | None, str]:
    """1-based index among code cells of the first cell with an error output, and its source."""
    number = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        number += 1
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return number, cell.source
    return None, ""


def run_notebook(
    path: str | Path,
    *,
    lang: str = "fr",
    timeout: int = 1200,
    kernel_name: str = "python3",
    figures: str | Path | None = None,
) -> tuple[nbformat.NotebookNode, float]:
    """Execute one notebook in a fresh kernel, its own folder as working directory.

    ``figures`` is where the notebook's ``export_figure`` calls write (passed as
    ``COANALYSIS_FIGURES``; default: the notebook's working directory).
    Returns the executed notebook (not written to disk) and the time taken.
    Raises :class:`NotebookFailure` naming the notebook and the code cell
    (1-based, counting code cells only) whose execution failed.
    """
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel_name,
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,  # no execution timestamps in saved notebooks
        # The kernel listens on loopback only; its warning about unencrypted TCP is noise here.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    start = time.perf_counter()
    env = {"COANALYSIS_LANG": check_lang(lang), "PYTHONHASHSEED": "0"}
    if figures is not None:
        env["COANALYSIS_FIGURES"] = str(Path(figures).resolve())
    with _env(**env):
        try:
            client.execute()
        except CellTimeoutError as exc:
            cell, source = _failed_cell(nb)
            raise NotebookFailure(path, cell, f"timed out after {timeout} s ({exc})", source) from None
        except CellExecutionError as exc:
            cell, source = _failed_cell(nb)
            message = f"{exc.ename}: {exc.evalue}" if getattr(exc, "ename", None) else str(exc)
            raise NotebookFailure(path, cell, message, source) from None
    return nb, time.perf_counter() - start


def _write_html(nb, destination: Path) -> None:
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_notebook_node(nb)
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_text(body, encoding="utf-8")


def reproduce(
    folder: str | Path | None = None,
    *,
    only: str | None = None,
    lang: str = "fr",
    save_notebooks: bool = False,
    html_dir: str | Path | None = None,
    figures: str | Path | None = None,
    progress: bool = True,
    echo: Callable[[str], None] = print,
) -> ReproduceReport:
    """Execute the numbered notebooks of ``folder`` in numeric order, then write the gallery.

    Parameters
    ----------
    folder : path, optional
        Defaults to the project's ``notebooks/``.
    only : str, optional
        Run only the notebooks whose name contains (or matches) this pattern.
    lang : {"fr", "en"}
        Passed to the notebooks as ``COANALYSIS_LANG``.
    save_notebooks : bool
        Write the executed notebooks back in place (otherwise nothing is rewritten).
    html_dir : path, optional
        Render each executed notebook to HTML there.
    figures : path, optional
        Where the notebooks export their figures, and where the gallery
        (``README.md``) is regenerated at the end. Defaults to the project's
        ``figures/`` (``figures/en/`` in English) for the project's notebooks, and
        to ``figures/`` beside the folder for a folder of one's own.
    progress : bool
        Show a progress bar (on stderr, when it is a terminal).

    Raises
    ------
    NotebookFailure
        At the first failing notebook; its ``report`` attribute holds the runs that passed.
    """
    from tqdm.auto import tqdm

    paths = find_notebooks(folder, only)
    if not paths:
        raise FileNotFoundError(
            f"no numbered notebook (NN_name.ipynb) matching {only!r} in {folder or notebooks_dir()}"
        )
    if figures is None:
        own = folder is not None and Path(folder).resolve() != notebooks_dir().resolve()
        figures = Path(folder).resolve().parent / "figures" if own else gallery_dir(lang)
    figures = Path(figures)
    figures.mkdir(parents=True, exist_ok=True)
    report = ReproduceReport()
    # disable=None: the bar only shows on a terminal, so a log (CI, `make … > log`) gets clean lines
    bar = tqdm(paths, unit="notebook", disable=None if progress else True, dynamic_ncols=True)
    for path in bar:
        bar.set_description(path.name)
        try:
            nb, seconds = run_notebook(path, lang=lang, figures=figures)
        except NotebookFailure as failure:
            failure.report = report
            bar.close()
            raise
        code_cells = sum(1 for c in nb.cells if c.cell_type == "code")
        report.runs.append(NotebookRun(path, seconds, code_cells))
        with bar.external_write_mode():  # the line is printed above the bar, never run into it
            echo(f"✓ {path.name} ({seconds:.1f} s)")
        if save_notebooks:
            nbformat.write(nb, path)
        if html_dir is not None:
            _write_html(nb, Path(html_dir) / (path.stem + ".html"))
    bar.close()
    from .figures.export import write_gallery  # plotting is loaded only once the notebooks ran

    write_gallery(figures)
    return report
