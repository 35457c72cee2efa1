"""Export of a published figure: SVG, PDF, 300-dpi PNG, the data drawn, and a text sidecar.

Exports are byte-identical from one run to the next and from one machine to
another (fixed SVG hash salt, no dates in the metadata, figure data written at
a stated precision by :mod:`coanalysis.spreadsheet`). A figure goes where the
user is — the current directory, or ``outdir`` —; only ``coanalysis
reproduce`` writes the project's ``figures/`` and its gallery ``README.md``
(:func:`write_gallery`).
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib as mpl
import pandas as pd

from ..codebook.interface import word
from ..paths import figures_dir
from ..spreadsheet import DEFAULT_DIGITS, check_digits, read_csv, write_csv
from ..text import Lang, check_lang

__all__ = [
    "export_figure",
    "read_figure_data",
    "read_sidecar",
    "write_gallery",
    "FIGURE_FORMATS",
]

FIGURE_FORMATS = ("svg", "pdf", "png")
_SIDECAR_KEYS = ("title", "alt", "source", "notebook", "simulated", "lang", "digits")
_METADATA = {
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
    "png": {"Software": None},
}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")


def _one_line(text: str, what: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"export_figure needs a non-empty {what} (a string), got {text!r}")
    # Fold line breaks and runs of ordinary spaces only: no-break spaces (U+00A0, U+202F) are French
    # typography and must survive into the sidecar, the gallery and the caption.
    return re.sub(r"[ \t\r\n\f\v]+", " ", text).strip(" ")


def _caption(fig, text: str):
    """Write ``text`` under everything already drawn (tick labels, axis titles, legends)."""
    renderer = fig.canvas.get_renderer()
    box = fig.get_tightbbox(renderer)  # inches
    height = fig.get_figheight()
    y = (box.y0 - 0.06) / height
    x = box.x0 / fig.get_figwidth()
    return fig.text(x, y, text, ha="left", va="top", fontsize=6.5, color="#404040")


def export_figure(
    fig,
    name: str,
    *,
    data: pd.DataFrame,
    title: str,
    alt: str,
    source: str,
    simulated: bool = False,
    lang: Lang | None = None,
    notebook: str | None = None,
    outdir: str | Path | None = None,
    caption: bool = True,
    digits: int = DEFAULT_DIGITS,
) -> dict[str, Path]:
    """Write a figure for publication, with the data it draws and its description.

    Writes ``<outdir>/<name>.svg``, ``.pdf``, ``.png`` (300 dpi), ``<name>.csv``
    (``data``, its floats at ``digits`` significant digits and its text cells safe
    from formula injection — see :mod:`coanalysis.spreadsheet`; French CSV —
    ``;``, decimal comma, UTF-8 with BOM — when ``lang="fr"``, plain CSV
    otherwise) and ``<name>.txt`` (title, alt text, source line, notebook,
    simulated flag, language, digits). The gallery is not touched: call
    :func:`write_gallery` (``coanalysis reproduce`` does, for the project's
    ``figures/``).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    name : str
        File stem: letters, digits, ``_`` and ``-`` only (e.g. ``"01_participation_transfo"``).
    data : DataFrame
        The data the figure draws, as drawn (one row per mark where possible).
    title, alt, source : str
        Title, alternative text for screen readers, and source line
        (e.g. ``"Source : OST/MNT 2019 ; codage coanalysis"``).
    simulated : bool, default False
        Writes "Données simulées" / "Simulated data" on the figure itself and in the sidecar.
    lang : {"fr", "en"}, optional
        Language of the "simulated" mark, the CSV and the sidecar; None (the default) means
        :func:`coanalysis.default_lang`.
    notebook : str, optional
        The notebook that made the figure (shown in the gallery).
    outdir : path, optional
        Defaults to :func:`coanalysis.paths.figures_dir`: the current directory,
        or the project's ``figures/`` when run by ``coanalysis reproduce``.
    caption : bool, default True
        Print the source line under the figure.
    digits : int, default 6
        Significant digits of the floats in ``<name>.csv``: enough to redraw the
        figure and recompute what it prints, and no more, so that last-bit
        differences between machines never change a byte.

    Returns
    -------
    dict
        ``{"svg": Path, "pdf": Path, "png": Path, "csv": Path, "txt": Path}``.

    Notes
    -----
    Byte-identical output relies on ``svg.hashsalt`` (set by the house style
    and here), on removing dates and software versions from the metadata
    (``Date``, ``CreationDate``, ``Software``…), and on a pinned environment.
    """
    lang = check_lang(lang)
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(
            f"figure name must use letters, digits, '_' or '-' (no extension), got {name!r}"
        )
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be the DataFrame the figure draws, got {type(data).__name__}")
    title, alt, source = (_one_line(t, w) for t, w in ((title, "title"), (alt, "alt text"), (source, "source")))
    notebook = _one_line(notebook, "notebook") if notebook else ""
    digits = check_digits(digits)  # before anything is written
    outdir = Path(outdir) if outdir is not None else figures_dir()
    outdir.mkdir(parents=True, exist_ok=True)

    added = []
    if simulated:
        added.append(
            fig.text(0.99, 0.99, word("simulated_data", lang), ha="right", va="top", fontsize=9,
                     fontweight="bold", color="#D55E00", alpha=0.9)
        )
    if caption:
        added.append(_caption(fig, source))

    paths: dict[str, Path] = {}
    try:
        with mpl.rc_context({"svg.hashsalt": "coanalysis", "svg.fonttype": "path", "pdf.fonttype": 42}):
            for fmt in FIGURE_FORMATS:
                path = outdir / f"{name}.{fmt}"
                fig.savefig(path, format=fmt, dpi=300, bbox_inches="tight", pad_inches=0.05,
                            metadata=_METADATA[fmt])
                paths[fmt] = path
    finally:
        for artist in added:
            artist.remove()

    paths["csv"] = write_csv(data, outdir / f"{name}.csv", lang=lang, digits=digits)

    sidecar = {
        "title": title,
        "alt": alt,
        "source": source,
        "notebook": notebook,
        "simulated": word("yes" if simulated else "no", lang),
        "lang": lang,
        "digits": str(digits),
    }
    paths["txt"] = outdir / f"{name}.txt"
    paths["txt"].write_text("".join(f"{k}: {sidecar[k]}\n" for k in _SIDECAR_KEYS), encoding="utf-8")
    return paths


def read_sidecar(path: str | Path) -> dict[str, str]:
    """Read a ``<name>.txt`` sidecar into a dict (title, alt, source, notebook, simulated, lang)."""
    out: dict[str, str] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition(": ")
        if sep and key in _SIDECAR_KEYS:
            out[key] = value
    missing = [k for k in ("title", "alt", "source") if k not in out]
    if missing:
        raise ValueError(f"{path}: sidecar lacks {', '.join(missing)}; re-export the figure")
    return out


def read_figure_data(name: str, outdir: str | Path | None = None) -> pd.DataFrame:
    """Read back the CSV written by :func:`export_figure`: separator and decimal of its language,
    and every text cell as it was given (the apostrophe that neutralised a formula removed)."""
    outdir = Path(outdir) if outdir is not None else figures_dir()
    meta = read_sidecar(outdir / f"{name}.txt")
    return read_csv(outdir / f"{name}.csv", lang=meta.get("lang", "fr"))


def write_gallery(outdir: str | Path | None = None) -> Path:
    """Regenerate ``README.md`` in ``outdir``: one entry per exported figure, sorted by name.

    ``coanalysis reproduce`` calls it for the project's ``figures/`` after the notebooks ran;
    ``export_figure`` never does, so a user's own export leaves every README where it is.
    """
    outdir = Path(outdir) if outdir is not None else figures_dir()
    lines = [
        "# Figures",
        "",
        "Générées par `coanalysis reproduce` — ne pas modifier à la main. Chaque figure existe en SVG, PDF et",
        "PNG (300 dpi), avec le CSV des données tracées et une fiche texte (titre, texte alternatif, source).",
        "",
        "*Generated by `coanalysis reproduce` — do not edit. Each figure comes as SVG, PDF and 300-dpi PNG,",
        "with a CSV of the plotted data and a text sidecar (title, alt text, source).*",
        "",
    ]
    for txt in sorted(outdir.glob("*.txt")):
        meta = read_sidecar(txt)  # a broken sidecar is an error, not a figure quietly left out
        stem = txt.stem
        lines += [
            f"## {meta['title']}",
            "",
            f"![{meta['alt']}]({stem}.png)",
            "",
            f"- Fichiers / files : [SVG]({stem}.svg) · [PDF]({stem}.pdf) · [PNG]({stem}.png) · "
            f"[données / data]({stem}.csv)",
            f"- {meta['source']}" if meta["source"].lower().startswith("source") else f"- Source : {meta['source']}",
        ]
        if meta.get("notebook"):
            lines.append(f"- Notebook : `{meta['notebook']}`")
        if meta.get("simulated") in ("oui", "yes"):
            lines.append("- **Données simulées / simulated data**")
        lines += [f"- Texte alternatif / alt text : {meta['alt']}", ""]
    path = outdir / "README.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
