"""The ``coanalysis`` command: ``reproduce``, ``site``, ``validate``, ``figures`` and ``coding``.

Built on click (arguments, help) and tqdm (progress); each subcommand exits
non-zero on failure with a message that names what failed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coanalysis")
def main() -> None:
    """coanalysis — analyse des démarches de co-construction des politiques publiques locales.

    Reproducible comparison of French local co-construction experiments
    (after the OST/MNT cahier n°22, 2019).
    """


@main.command()
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True,
              help="Language of labels and figures (en writes to figures/en/).")
@click.option("--only", metavar="PATTERN", default=None,
              help="Run only the notebooks whose name contains or matches PATTERN.")
@click.option("--save-notebooks", is_flag=True, help="Write the executed notebooks back in place.")
@click.option("--html", is_flag=True, help="Build the offline site (notebooks, figure gallery, data dictionary) in build/site/; "
                   "open build/site/index.html.")
@click.option("--notebooks", "folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of numbered notebooks (default: the project's notebooks/).")
@click.option("--figures", "figures", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the notebooks export their figures and the gallery is written "
                   "(default: the project's figures/, or figures/ beside a folder of your own).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Kernels run at once (default: the number of cores); --jobs 1 runs the "
                   "notebooks one after the other, for notebooks that read each other's files.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def reproduce(lang: str, only: str | None, save_notebooks: bool, html: bool, folder: Path | None,
              figures: Path | None, jobs: int | None, quiet: bool) -> None:
    """Run every notebook (a fresh kernel each, several at once) and rebuild figures/; the
    notebooks are reported in numeric order."""
    from .errors import CoanalysisError
    from .paths import project_root
    from .reproduce import NotebookFailure, reproduce as run

    site_dir = project_root() / "build" / "site" if html else None
    try:
        report = run(folder, only=only, lang=lang, save_notebooks=save_notebooks, site_dir=site_dir,
                     figures=figures, jobs=jobs, progress=not quiet, echo=click.echo)
    except NotebookFailure as exc:
        click.echo(f"ERREUR / ERROR — {exc}", err=True)
        sys.exit(1)
    except (FileNotFoundError, CoanalysisError) as exc:
        click.echo(f"ERREUR / ERROR — {exc}", err=True)
        sys.exit(2)
    click.echo(report.summary())
    if site_dir is not None:
        click.echo(f"site: {site_dir / 'index.html'}")


@main.command()
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True,
              help="Language of the gallery shown (en: figures/en/) and of the notebook pages.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Site folder (default: build/site/).")
def site(lang: str, out: Path | None) -> None:
    """Build the offline site from the notebooks' stored outputs, without running them
    (`reproduce --html` runs them first)."""
    from .errors import CoanalysisError
    from .paths import gallery_dir, project_root
    from .reproduce import find_notebooks
    from .site import build_site

    out = out if out is not None else project_root() / "build" / "site"
    try:
        build_site(out, find_notebooks(), figures=gallery_dir(lang), lang=lang)
    except (FileNotFoundError, CoanalysisError) as exc:
        click.echo(f"ERREUR / ERROR — {exc}", err=True)
        sys.exit(2)
    click.echo(f"site: {out / 'index.html'}")


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
def validate(path: Path | None) -> None:
    """Check the case base (data package) against its schema and the codebook.

    Prints every problem with file, line and column; exits 1 if there is any.
    """
    from .loaders.casebase import validate_casebase

    problems = validate_casebase(path)
    if problems:
        for p in problems:
            click.echo(f"- {p}")
        click.echo(f"{len(problems)} problème(s) / problem(s) found", err=True)
        sys.exit(1)
    click.echo("OK: the case base is valid / la base de cas est valide")


@main.command()
@click.option("--dir", "outdir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Figures folder (default: the project's figures/).")
def figures(outdir: Path | None) -> None:
    """Regenerate the gallery figures/README.md and list the exported figures."""
    from .figures import read_sidecar, write_gallery
    from .paths import gallery_dir

    outdir = outdir or gallery_dir()
    gallery = write_gallery(outdir)
    for txt in sorted(outdir.glob("*.txt")):
        click.echo(f"{txt.stem}: {read_sidecar(txt)['title']}")
    click.echo(f"gallery: {gallery}")


@main.group()
def coding() -> None:
    """Coder des cas : classeur de codage, import, accord / code cases: workbook, import, agreement.

    A coder fills a blind coding workbook ("coding sheet") and imports it into
    data/cases/codings/coder_NAME/ ("coding import"); "coding agreement" gives the
    inter-coder agreement of the two codings and the blindness check.
    """


_DATA_OPTION = click.option(
    "--data", "data", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Folder of the case base (default: the project's data/cases).")


def _fail(exc: Exception, code: int = 1) -> None:
    """Print an error of the package (every problem of a DataError on its line) and exit."""
    from .errors import DataError

    if isinstance(exc, DataError):
        click.echo(exc.summary + ":", err=True)
        for p in exc.problems:
            click.echo(f"- {p}", err=True)
    else:
        click.echo(f"ERREUR / ERROR — {exc}", err=True)
    sys.exit(code)


@coding.command("sheet")
@click.argument("case_ids", nargs=-1, required=True, metavar="CASE_ID...")
@click.option("--coder", required=True, metavar="NAME",
              help="The coder's name: lower-case letters and digits (a, b, marie).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The .xlsx workbook to write.")
@_DATA_OPTION
def coding_sheet(case_ids: tuple[str, ...], coder: str, out: Path, data: Path | None) -> None:
    """Write a blind coding workbook for CASE_ID... (new or existing cases).

    The workbook lists the units to code, never another coder's values or evidence.
    """
    from .coding import coding_sheet as write
    from .errors import DataError

    try:
        path = write(list(case_ids), coder, out, casebase=data)
    except (DataError, ValueError) as exc:
        _fail(exc)
    click.echo(f"written: {path} (coder {coder}: {', '.join(case_ids)})")


@coding.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_DATA_OPTION
def coding_import(file: Path, data: Path | None) -> None:
    """Import a filled coding workbook into codings/coder_NAME/.

    Prints every problem with sheet, row, column and cell, and writes nothing if there is
    any (exit 1).
    """
    from .coding import import_coding
    from .errors import DataError

    try:
        result = import_coding(file, data)
    except DataError as exc:
        _fail(exc)
    click.echo(result.summary())


@coding.command("agreement")
@_DATA_OPTION
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True,
              help="Language of the labels.")
@click.option("--flagged", is_flag=True, help="Also list the units the blindness check flags.")
def coding_agreement(data: Path | None, lang: str, flagged: bool) -> None:
    """Agreement of the two codings (Krippendorff's alpha with its bootstrap interval: interval
    for scores, ordinal for levels), per table and per condition, actor and stage, and the
    blindness check (evidence texts sharing 8 words or more, or 90 % similar)."""
    from .agreement import coder_agreement, evidence_overlap, participation_agreement
    from .errors import DataError
    from .loaders.casebase import load_casebase
    from .report import agreement_markdown, participation_markdown

    try:
        cb = load_casebase(data)
    except DataError as exc:
        _fail(exc)
    click.echo(agreement_markdown(coder_agreement(cb), lang))
    click.echo("")
    click.echo(participation_markdown(participation_agreement(cb), lang))
    click.echo("")
    check = evidence_overlap(cb)
    click.echo(check.summary())
    if flagged:
        for r in check.flagged.itertuples(index=False):
            click.echo(f"- {r.table} {r.case_id} {r.unit}: run {r.longest_run} words, "
                       f"similarity {r.similarity:.2f}")


if __name__ == "__main__":  # pragma: no cover
    main()
