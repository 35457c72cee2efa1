"""The offline site: executed notebooks, the figure gallery and the data dictionary as static HTML.

``coanalysis reproduce --html`` calls :func:`build_site` with the notebooks it has just run; the
site can also be built from notebooks' stored outputs (``build_site(out, ["notebooks/01_….ipynb"])``).
It opens from the file system with no network: nothing is fetched from elsewhere (no script, font or
stylesheet; the images are files of the site or ``data:`` URLs), and the math of the Markdown cells
is written as MathML at build time (latex2mathml), which browsers render natively, so no MathJax.

Layout of the output folder (French pages, and their English twins ending in ``.en.html``)::

    index.html, index.en.html        home page: the study, the package, the notebooks
    figures.html, figures.en.html    the gallery, with downloads (SVG, PDF, PNG, CSV, sidecar)
    donnees.html, data.en.html       the data dictionary of the case base
    notebooks/NN_name.html           one page per notebook, in the language it was run in
    figures/                         copies of the exported figure files (figures/en/: the English
                                     ones, when ``figures/en/`` is beside French figures)

The pages are nbconvert's ``lab`` template (notebooks) and small Jinja2 templates of this package
(``site_templates/``), so two builds of the same inputs give identical bytes: no date, no random id.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import jinja2
from jinja2 import pass_context
import nbformat
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

from .codebook import VOCABULARIES
from .errors import CoanalysisError
from .paths import data_dir, gallery_dir
from .text import check_lang

__all__ = ["PAGES", "SiteHTMLExporter", "tex_to_mathml", "notebook_page", "build_site"]

TEMPLATES = Path(__file__).parent / "site_templates"

#: File name of each page of the site, by language.
PAGES: dict[str, dict[str, str]] = {
    "home": {"fr": "index.html", "en": "index.en.html"},
    "gallery": {"fr": "figures.html", "en": "figures.en.html"},
    "data": {"fr": "donnees.html", "en": "data.en.html"},
}
_OTHER = {"fr": "en", "en": "fr"}
_LANG_NAME = {"fr": "Français", "en": "English"}
_TITLES = {
    "home": {"fr": "Accueil", "en": "Home"},
    "gallery": {"fr": "Figures", "en": "Figures"},
    "data": {"fr": "Dictionnaire des données de la base de cas", "en": "Data dictionary of the case base"},
}
#: Written in every site folder, so that a rebuild only ever clears a folder it made.
MARKER = ".coanalysis-site"
FIGURE_FILES = ("svg", "pdf", "png", "csv", "txt")


def tex_to_mathml(tex: str, display: bool = False) -> str:
    """TeX math (the body between ``$…$`` or ``$$…$$``) as a MathML ``<math>`` element.

    >>> tex_to_mathml("N_h / n_h")[:31]
    '<math alttext="N_h / n_h" xmlns'
    >>> "<msub><mi>N</mi><mi>h</mi></msub>" in tex_to_mathml("N_h / n_h")
    True

    The TeX source is kept as the ``alttext`` of the element (for screen readers and copy).
    Raises :class:`~coanalysis.errors.CoanalysisError` naming the formula when latex2mathml
    cannot read it.
    """
    from latex2mathml.converter import convert

    try:
        mathml = convert(tex.strip(), display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises its own exception types, and also plain ones
        raise CoanalysisError(
            f"math not converted to MathML: ${tex}$ ({type(exc).__name__}: {exc}); write it in the "
            "TeX subset latex2mathml reads, or as plain text"
        ) from None
    alt = tex.strip().replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return mathml.replace("<math ", f'<math alttext="{alt}" ', 1)


class _MathMLRenderer(IPythonRenderer):
    """nbconvert's Markdown renderer, with math written as MathML instead of left for MathJax."""

    def inline_math(self, body: str) -> str:
        return tex_to_mathml(body)

    def block_math(self, body: str) -> str:
        return tex_to_mathml(body, display=True)

    def latex_environment(self, name: str, body: str) -> str:
        return tex_to_mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", display=True)


class SiteHTMLExporter(HTMLExporter):
    """nbconvert's HTML exporter for the offline site: the lab template with nothing loaded from
    the network (``site_templates/notebook.html.j2``) and Markdown math rendered to MathML."""

    def __init__(self, **kw):
        kw.setdefault("extra_template_paths", [str(TEMPLATES)])
        kw.setdefault("template_file", "notebook.html.j2")
        super().__init__(**kw)

    @pass_context
    def markdown2html(self, context, source):  # the same arguments as HTMLExporter's, one renderer changed
        cell = context.get("cell", {})
        renderer = _MathMLRenderer(
            escape=False,
            attachments=cell.get("attachments", {}),
            embed_images=self.embed_images,
            path=context.get("resources", {}).get("metadata", {}).get("path", ""),
            anchor_link_text=self.anchor_link_text,
            exclude_anchor_links=self.exclude_anchor_links,
            **self.lexer_options,
        )
        return MarkdownWithMath(renderer=renderer).render(source)

    def default_filters(self):
        yield from super().default_filters()
        yield ("markdown2html", self.markdown2html)


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def _css() -> str:
    return jinja2.utils.markupsafe.Markup((TEMPLATES / "site.css").read_text(encoding="utf-8"))


def _nav(env: jinja2.Environment, lang: str, root: str, page: str | None) -> str:
    """The navigation bar; ``page`` names the page whose other-language twin the switch opens
    (``None``: the other language's home page)."""
    other = _OTHER[lang]
    target = PAGES[page or "home"][other]
    switch = {"lang": other, "href": root + target, "label": _LANG_NAME[other]}
    html = env.get_template("nav.html.j2").render(lang=lang, root=root, pages=PAGES, other=switch)
    return jinja2.utils.markupsafe.Markup(html)  # rendered by the autoescaping templates as is


@dataclass
class _Notebook:
    stem: str
    title: str
    summary: str
    href: str


def _describe(stem: str, nb) -> tuple[str, str]:
    """A notebook's title (its first level-1 heading) and English summary (the paragraph that
    starts ``*English summary``), from its first Markdown cell."""
    title, summary = stem, ""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        paragraphs = re.split(r"\n\s*\n", cell.source.strip())
        for para in paragraphs:
            if para.startswith("# ") and title == stem:
                title = para[2:].splitlines()[0].strip()
            elif para.lstrip("*_").lower().startswith("english summary"):
                summary = re.sub(r"\s+", " ", para.strip("*_ \n"))
                summary = re.sub(r"^English summary[.:]?\**\s*", "", summary, flags=re.I)
                summary = re.sub(r"\*+|_{2,}", "", summary).strip(" ")  # Markdown emphasis marks
        break
    return title, summary


def notebook_page(nb, stem: str, lang: str = "fr") -> str:
    """One notebook as a page of the site (to be written to ``notebooks/<stem>.html``)."""
    lang = check_lang(lang)
    env = _environment()
    title, _ = _describe(stem, nb)
    nb = nbformat.from_dict(nb)
    nb.metadata["title"] = title
    resources = {"site_css": _css(), "site_nav": _nav(env, lang, "../", None),
                 "metadata": {"name": stem}}
    body, _ = SiteHTMLExporter(language_code=lang).from_notebook_node(nb, resources=resources)
    return body


def _figures(folder: Path, lang: str, notebook_stems: set[str], subfolder: str = "figures") -> list[dict]:
    """The gallery entries of the figures of ``folder`` (copied to ``subfolder`` of the site)."""
    from .figures.export import read_sidecar  # figures are on a lower floor; loaded only here

    items = []
    for txt in sorted(folder.glob("*.txt")):
        meta = read_sidecar(txt)
        stem = txt.stem
        present = [ext for ext in FIGURE_FILES if (folder / f"{stem}.{ext}").is_file()]
        labels = {"svg": "SVG", "pdf": "PDF", "png": "PNG (300 dpi)",
                  "csv": "données (CSV)" if lang == "fr" else "data (CSV)",
                  "txt": "fiche (texte)" if lang == "fr" else "sidecar (text)"}
        notebook = meta.get("notebook", "")
        nb_stem = Path(notebook).stem
        image = f"{subfolder}/{stem}.svg" if "svg" in present else f"{subfolder}/{stem}.png"
        source = meta["source"] if meta["source"].lower().startswith("source") else f"Source : {meta['source']}"
        items.append({
            "stem": stem, "title": meta["title"], "alt": meta["alt"], "source": source,
            "simulated": meta.get("simulated", "non") in ("oui", "yes"), "image": image,
            "files": [(labels[ext], f"{subfolder}/{stem}.{ext}") for ext in present],
            "notebook": notebook,
            "notebook_href": f"notebooks/{nb_stem}.html" if nb_stem in notebook_stems else "",
        })
    return items


_CONSTRAINT_WORDS = {
    "fr": {"required": "obligatoire", "unique": "unique", "minimum": "minimum", "maximum": "maximum",
           "pattern": "motif", "enum": "valeurs"},
    "en": {"required": "required", "unique": "unique", "minimum": "minimum", "maximum": "maximum",
           "pattern": "pattern", "enum": "one of"},
}


def _constraints(field: dict, lang: str) -> str:
    """A field's Table Schema constraints in words of ``lang`` (an enum tied to a codebook
    vocabulary is left to the vocabulary's table)."""
    c, words = field.get("constraints", {}), _CONSTRAINT_WORDS[lang]
    parts = [words[key] for key in ("required", "unique") if c.get(key)]
    parts += [f"{words[key]} {c[key]}" for key in ("minimum", "maximum", "pattern") if key in c]
    if "enum" in c and not field.get("coanalysis:vocabulary"):
        parts.append(f"{words['enum']} " + ", ".join(str(v) for v in c["enum"]))
    return "; ".join(parts)


def _dictionary(descriptor_path: Path, lang: str) -> dict:
    """What the dictionary page shows, read from a Data Package descriptor and the codebook."""
    try:
        package = json.loads(descriptor_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CoanalysisError(f"{descriptor_path}: not a readable data package descriptor ({exc})") from None
    used: list[str] = []
    resources = []
    for res in package.get("resources", []):
        schema = res.get("schema", {})
        fields = []
        for f in schema.get("fields", []):
            vocab = f.get("coanalysis:vocabulary", "")
            if vocab and vocab not in VOCABULARIES:
                raise CoanalysisError(
                    f"{descriptor_path}: field {res.get('name')}.{f.get('name')} names vocabulary "
                    f"{vocab!r}, which the codebook does not have (known: {', '.join(sorted(VOCABULARIES))})")
            if vocab and vocab not in used:
                used.append(vocab)
            fields.append({"name": f["name"], "type": f.get("type", "string"),
                           "description": f.get("description", ""), "constraints": _constraints(f, lang),
                           "vocabulary": vocab})
        key = schema.get("primaryKey", "")
        resources.append({"name": res["name"], "path": res.get("path", ""), "title": res.get("title", ""),
                          "description": res.get("description", ""),
                          "primary_key": ", ".join(key) if isinstance(key, list) else key, "fields": fields})
    vocabularies = [{"name": name, "terms": list(VOCABULARIES[name])} for name in used]
    licences = ", ".join(lic.get("name", lic.get("title", "")) for lic in package.get("licenses", []))
    return {"package": {"title": package.get("title", package.get("name", "")),
                        "version": package.get("version", ""), "licenses": licences,
                        "description": package.get("description", "")},
            "resources": resources, "vocabularies": vocabularies}


def _study_cases(cases_folder: Path) -> tuple[list[str], int]:
    """Names of the study's cases (corpus ``ost2019``) and the number of cases in the base."""
    from .loaders.casebase import read_resources

    frames, problems = read_resources(("cases",), cases_folder)
    if problems:
        raise CoanalysisError(f"{cases_folder}: the case base has problems; run `coanalysis validate`:\n"
                              + "\n".join(f"- {p}" for p in problems[:5]))
    cases = frames["cases"]
    return list(cases.loc[cases["corpus"] == "ost2019", "name"]), int(len(cases))


def _prepare(out: Path) -> None:
    """Make ``out`` an empty site folder; refuse to clear a non-empty folder the site did not make."""
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            raise CoanalysisError(f"{out} is not empty and is not a coanalysis site folder (no {MARKER}); "
                                  "give an empty or new folder for the site")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("Built by coanalysis.site.build_site; cleared on every build.\n", encoding="utf-8")


def build_site(
    out: str | Path,
    notebooks: Iterable[str | Path | tuple[str | Path, object]],
    *,
    figures: str | Path | None = None,
    cases: str | Path | None = None,
    lang: str = "fr",
) -> Path:
    """Write the offline site into ``out`` (cleared first if it is a site folder already).

    Parameters
    ----------
    out : path
        The site folder (``build/site/`` for ``coanalysis reproduce --html``).
    notebooks : iterable
        Notebook files (their stored outputs are shown), or ``(path, notebook)`` pairs of
        notebooks just executed (``path`` names the page).
    figures : path, optional
        The exported figures for the gallery (default: the project's gallery of ``lang``).
    cases : path, optional
        The case base's data package folder (default ``data/cases``).
    lang : {"fr", "en"}
        The language the notebooks ran in: their pages carry that language.

    Returns
    -------
    Path
        ``out``; open ``out / "index.html"`` in a browser.
    """
    lang = check_lang(lang)
    out = Path(out)
    figures = Path(figures) if figures is not None else gallery_dir(lang)
    cases = Path(cases) if cases is not None else data_dir() / "cases"
    if not figures.is_dir():
        raise FileNotFoundError(f"no figures folder at {figures} for the site's gallery; export the "
                                f"figures first (coanalysis reproduce{' --lang en' if lang == 'en' else ''})")
    loaded: list[tuple[str, object]] = []
    executed = True
    for item in notebooks:
        executed = executed and isinstance(item, tuple)
        path, nb = item if isinstance(item, tuple) else (item, nbformat.read(item, as_version=4))
        loaded.append((Path(path).stem, nb))
    study, n_cases = _study_cases(cases)
    dictionaries = {page_lang: _dictionary(cases / "datapackage.json", page_lang) for page_lang in ("fr", "en")}
    # the gallery of each language: figures/en/ beside French figures holds the English ones
    galleries = {"fr": figures, "en": figures}
    if lang == "fr" and any((figures / "en").glob("*.txt")):
        galleries["en"] = figures / "en"

    _prepare(out)
    env = _environment()
    css = _css()
    (out / "notebooks").mkdir()
    entries: list[_Notebook] = []
    for stem, nb in loaded:
        (out / "notebooks" / f"{stem}.html").write_text(notebook_page(nb, stem, lang), encoding="utf-8")
        title, summary = _describe(stem, nb)
        entries.append(_Notebook(stem, title, summary, f"notebooks/{stem}.html"))

    for page_lang in ("fr", "en"):
        folder = out / ("figures" if galleries[page_lang] == figures else "figures/en")
        folder.mkdir(parents=True, exist_ok=True)
        for ext in FIGURE_FILES:
            for src in sorted(galleries[page_lang].glob(f"*.{ext}")):
                shutil.copyfile(src, folder / src.name)

    stems = {e.stem for e in entries}
    for page_lang in ("fr", "en"):
        common = {"lang": page_lang, "css": css, "pages": PAGES}

        def page(name: str, template: str, **context) -> None:
            nav = _nav(env, page_lang, "", name)
            html = env.get_template(template).render(**common, nav=nav, title=_TITLES[name][page_lang],
                                                     **context)
            (out / PAGES[name][page_lang]).write_text(html, encoding="utf-8")

        subfolder = "figures" if galleries[page_lang] == figures else "figures/en"
        gallery = _figures(galleries[page_lang], page_lang, stems, subfolder)
        notebooks_shown = [{"href": e.href, "title": e.title,
                            "summary": e.summary if page_lang == "en" else ""} for e in entries]
        page("home", "home.html.j2", cases=study, n_cases=n_cases, notebooks=notebooks_shown,
             n_figures=len(gallery), executed=executed and bool(entries))
        page("gallery", "gallery.html.j2", figures=gallery)
        page("data", "dictionary.html.j2", **dictionaries[page_lang])
    return out
