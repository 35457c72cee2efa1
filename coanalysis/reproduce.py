"""Run every numbered notebook, each in a fresh kernel, to rebuild ``figures/``.

The engine behind ``coanalysis reproduce``: progress and time per notebook, reported in numeric
order; several kernels at once (``jobs``, default the number of cores: the project's notebooks are
independent of each other); stop at the first failure naming the notebook, the cell and the error.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

from .errors import CoanalysisError
from .paths import gallery_dir, notebooks_dir
from .results import Result
from .text import check_lang
from .validation import check_int

__all__ = [
    "NotebookFailure",
    "NotebookRun",
    "ReproduceReport",
    "find_notebooks",
    "run_notebook",
    "reproduce",
    "default_jobs",
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


@dataclass(repr=False)
class ReproduceReport(Result):
    """All notebook runs of one ``reproduce`` call, in numeric order.

    ``seconds`` adds the notebooks' times; ``wall_seconds`` is the time the call took (less than
    ``seconds`` when ``jobs`` kernels ran at once). ``table``: one row per notebook.
    """

    runs: list[NotebookRun] = field(default_factory=list)
    jobs: int = 1
    wall_seconds: float = 0.0

    @property
    def seconds(self) -> float:
        return sum(r.seconds for r in self.runs)

    @property
    def title(self) -> str:
        plural = "s" if len(self.runs) != 1 else ""
        return (f"{len(self.runs)} notebook{plural} in {self.wall_seconds:.1f} s "
                f"({self.jobs} kernel{'s' if self.jobs != 1 else ''} at once)")

    @property
    def table(self) -> pd.DataFrame:
        return pd.DataFrame({"notebook": [r.path.name for r in self.runs],
                             "seconds": [round(r.seconds, 1) for r in self.runs],
                             "code_cells": [r.code_cells for r in self.runs]})

    def summary(self) -> str:
        lines = [self.title]
        lines += [f"{r.path.name:<40} {r.seconds:7.1f} s  ({r.code_cells} code cells)" for r in self.runs]
        plural = "s" if len(self.runs) != 1 else ""
        lines.append(f"{'total':<40} {self.seconds:7.1f} s  ({len(self.runs)} notebook{plural})")
        if self.jobs > 1:
            lines.append(f"{'wall time':<40} {self.wall_seconds:7.1f} s  ({self.jobs} kernels at once)")
        return "\n".join(lines)


def default_jobs() -> int:
    """Kernels run at once by default: the cores this process may use (``os.sched_getaffinity``
    where the system has it, else ``os.cpu_count()``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


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


def _client(path: Path, timeout: int, kernel_name: str) -> tuple[nbformat.NotebookNode, NotebookClient]:
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
    return nb, client


def _kernel_env(lang: str, figures: str | Path | None) -> dict[str, str]:
    """The kernel's environment: this process's, plus the language, a fixed hash seed and the
    figures folder (given to the kernel only: ``os.environ`` is never changed, so kernels started
    at once cannot see each other's settings)."""
    env = {**os.environ, "COANALYSIS_LANG": check_lang(lang), "PYTHONHASHSEED": "0"}
    if figures is not None:
        env["COANALYSIS_FIGURES"] = str(Path(figures).resolve())
    return env


def _failure(path: Path, nb, exc: Exception, timeout: int) -> NotebookFailure:
    cell, source = _failed_cell(nb)
    if isinstance(exc, CellTimeoutError):
        return NotebookFailure(path, cell, f"timed out after {timeout} s ({exc})", source)
    message = f"{exc.ename}: {exc.evalue}" if getattr(exc, "ename", None) else str(exc)
    return NotebookFailure(path, cell, message, source)


def run_notebook(
    path: str | Path,
    *,
    lang: str = "fr",
    timeout: int = 1200,
    kernel_name: str = "python3",
    figures: str | Path | None = None,
) -> tuple[nbformat.NotebookNode, float]:
    """Execute one notebook in a fresh kernel, its own folder as working directory.

    ``figures`` is where the notebook's ``export_figure`` calls write (passed to the kernel as
    ``COANALYSIS_FIGURES``; default: the notebook's working directory).
    Returns the executed notebook (not written to disk) and the time taken.
    Raises :class:`NotebookFailure` naming the notebook and the code cell
    (1-based, counting code cells only) whose execution failed.
    """
    path = Path(path)
    nb, client = _client(path, timeout, kernel_name)
    start = time.perf_counter()
    try:
        client.execute(env=_kernel_env(lang, figures))
    except (CellTimeoutError, CellExecutionError) as exc:
        raise _failure(path, nb, exc, timeout) from None
    return nb, time.perf_counter() - start


async def _run_notebook_async(path: Path, *, lang: str, figures: str | Path | None,
                              timeout: int = 1200, kernel_name: str = "python3",
                              ) -> tuple[nbformat.NotebookNode, float]:
    """:func:`run_notebook` as a coroutine, so that several kernels run at once."""
    nb, client = _client(path, timeout, kernel_name)
    start = time.perf_counter()
    try:
        await client.async_execute(env=_kernel_env(lang, figures))
    except (CellTimeoutError, CellExecutionError) as exc:
        raise _failure(path, nb, exc, timeout) from None
    return nb, time.perf_counter() - start


def _run_coroutine(coroutine):
    """Run ``coroutine`` to its end: in this thread, or, when an event loop already runs here
    (``reproduce`` called from a notebook), in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _run_all(paths: list[Path], jobs: int, lang: str, figures: Path,
                   done: Callable[[Path, nbformat.NotebookNode, float], None]) -> None:
    """Run ``paths`` with at most ``jobs`` kernels at once; call ``done`` in the order of
    ``paths``. After a failure no further notebook starts; the ones running are awaited, then the
    first failure in order is raised."""
    gate = asyncio.Semaphore(jobs)
    failed = asyncio.Event()

    async def one(path: Path):
        async with gate:
            if failed.is_set():
                return None
            try:
                return await _run_notebook_async(path, lang=lang, figures=figures)
            except NotebookFailure:
                failed.set()
                raise

    tasks = [asyncio.ensure_future(one(p)) for p in paths]
    try:
        for path, task in zip(paths, tasks):
            try:
                result = await task
            except NotebookFailure:
                await asyncio.gather(*tasks, return_exceptions=True)
                raise
            if result is None:  # not started: an earlier notebook failed  # pragma: no cover
                continue
            done(path, *result)
    finally:
        for task in tasks:
            task.cancel()


def reproduce(
    folder: str | Path | None = None,
    *,
    only: str | None = None,
    lang: str = "fr",
    save_notebooks: bool = False,
    site_dir: str | Path | None = None,
    figures: str | Path | None = None,
    jobs: int | None = None,
    progress: bool = True,
    echo: Callable[[str], None] = print,
) -> ReproduceReport:
    """Execute the numbered notebooks of ``folder``, report them in numeric order, then write the
    gallery.

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
    site_dir : path, optional
        Build the offline site there from the executed notebooks, the figures and the case base
        (:func:`coanalysis.site.build_site`; ``coanalysis reproduce --html`` gives ``build/site/``).
    figures : path, optional
        Where the notebooks export their figures, and where the gallery
        (``README.md``) is regenerated at the end. Defaults to the project's
        ``figures/`` (``figures/en/`` in English) for the project's notebooks, and
        to ``figures/`` beside the folder for a folder of one's own.
    jobs : int, optional
        Kernels run at once (default :func:`default_jobs`, the number of cores). With more than
        one, the notebooks must not depend on each other's files (the project's do not); the
        outputs, figures and messages are the same as with ``jobs=1``, in the same order.
    progress : bool
        Show a progress bar (on stderr, when it is a terminal).

    Raises
    ------
    NotebookFailure
        At the first failing notebook in numeric order; its ``report`` attribute holds the runs
        before it. With ``jobs=1`` no later notebook runs; with more, none starts after the
        failure is seen.
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
    jobs = default_jobs() if jobs is None else check_int(jobs, "jobs", min_val=1)
    jobs = min(jobs, len(paths))
    report = ReproduceReport(jobs=jobs)
    executed: list[tuple[Path, nbformat.NotebookNode]] = []
    # disable=None: the bar only shows on a terminal, so a log (CI, `make … > log`) gets clean lines
    bar = tqdm(total=len(paths), unit="notebook", disable=None if progress else True,
               dynamic_ncols=True)
    bar.set_description(paths[0].name)

    def done(path: Path, nb, seconds: float) -> None:
        code_cells = sum(1 for c in nb.cells if c.cell_type == "code")
        report.runs.append(NotebookRun(path, seconds, code_cells))
        with bar.external_write_mode():  # the line is printed above the bar, never run into it
            echo(f"✓ {path.name} ({seconds:.1f} s)")
        if save_notebooks:
            nbformat.write(nb, path)
        if site_dir is not None:
            executed.append((path, nb))
        bar.update(1)
        following = paths.index(path) + 1
        if following < len(paths):
            bar.set_description(paths[following].name)

    start = time.perf_counter()
    try:
        _run_coroutine(_run_all(paths, jobs, lang, figures, done))
    except NotebookFailure as failure:
        failure.report = report
        bar.close()
        raise
    report.wall_seconds = time.perf_counter() - start
    bar.close()
    from .figures.export import write_gallery  # plotting is loaded only once the notebooks ran

    write_gallery(figures)
    if site_dir is not None:
        from .site import build_site

        build_site(site_dir, executed, figures=figures, lang=lang)
    return report
