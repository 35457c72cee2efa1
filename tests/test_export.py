"""Deterministic export of figures, sidecars and gallery."""

import hashlib
import subprocess
import sys
import textwrap

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from coanalysis.figures import (
    export_figure,
    read_figure_data,
    read_sidecar,
    use_house_style,
)

DATA = pd.DataFrame(
    {"service": ["Eau", "Déchets", "Transports"], "part": [0.81, 0.6725, 0.5], "n": [1200, 980, 1045]}
)


def _draw(data=DATA):
    use_house_style()
    fig, ax = plt.subplots()
    ax.bar(data["service"], data["part"])
    ax.set_title("Satisfaction")
    return fig


def _digests(paths):
    return {k: hashlib.sha256(p.read_bytes()).hexdigest() for k, p in paths.items()}


def _export(tmp_path, **kw):
    fig = _draw()
    kw.setdefault("simulated", False)
    paths = export_figure(fig, "essai", data=DATA, title="Titre", alt="Texte alternatif",
                          source="Source : test", outdir=tmp_path, **kw)
    plt.close(fig)
    return paths


def test_writes_every_format(tmp_path):
    paths = _export(tmp_path)
    assert set(paths) == {"svg", "pdf", "png", "csv", "txt"}
    assert paths["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert paths["pdf"].read_bytes()[:5] == b"%PDF-"
    assert b"<svg" in paths["svg"].read_bytes()[:2000]
    assert not (tmp_path / "README.md").exists()  # the gallery is written by reproduce, not by each export


def test_png_is_300_dpi(tmp_path):
    from PIL import Image

    paths = _export(tmp_path)
    dpi = Image.open(paths["png"]).info["dpi"]
    assert round(dpi[0]) == 300 and round(dpi[1]) == 300  # PNG stores dots per metre: 299.9994


def test_double_export_is_byte_identical_in_one_process(tmp_path):
    first = _digests(_export(tmp_path / "a"))
    second = _digests(_export(tmp_path / "b"))
    assert first == second


def test_double_export_is_byte_identical_across_processes(tmp_path):
    script = textwrap.dedent(
        f"""
        import matplotlib; matplotlib.use("Agg")
        import sys, pandas as pd, matplotlib.pyplot as plt
        from coanalysis.figures import export_figure, use_house_style
        use_house_style()
        data = pd.DataFrame({DATA.to_dict(orient="list")!r})
        fig, ax = plt.subplots(); ax.bar(data["service"], data["part"]); ax.set_title("Satisfaction")
        export_figure(fig, "essai", data=data, title="T", alt="A", source="S", simulated=True,
                      outdir=sys.argv[1])
        from coanalysis.figures import write_gallery; write_gallery(sys.argv[1])
        """
    )
    digests = []
    for sub in ("x", "y"):
        out = tmp_path / sub
        subprocess.run([sys.executable, "-c", script, str(out)], check=True)
        digests.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir())})
    assert digests[0] == digests[1]
    assert len(digests[0]) == 6  # 3 images, csv, txt, README.md


def test_sidecar_csv_equals_plotted_data(tmp_path):
    fig = _draw()
    ax = fig.axes[0]
    export_figure(fig, "essai", data=DATA, title="T", alt="A", source="S", outdir=tmp_path)
    back = read_figure_data("essai", tmp_path)
    pd.testing.assert_frame_equal(back, DATA)
    # what is drawn (bar heights, tick labels) is what the CSV holds
    assert [p.get_height() for p in ax.patches] == back["part"].tolist()
    assert [t.get_text() for t in ax.get_xticklabels()] == back["service"].tolist()
    plt.close(fig)


def test_french_csv_uses_semicolon_and_decimal_comma(tmp_path):
    paths = _export(tmp_path)
    text = paths["csv"].read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "service;part;n"
    assert "Déchets;0,6725;980" in text


def test_english_csv_is_plain(tmp_path):
    paths = _export(tmp_path, lang="en")
    assert paths["csv"].read_text(encoding="utf-8").splitlines()[1] == "Eau,0.81,1200"
    pd.testing.assert_frame_equal(read_figure_data("essai", tmp_path), DATA)


def test_sidecar_text(tmp_path):
    _export(tmp_path, notebook="00_prise_en_main.ipynb")
    meta = read_sidecar(tmp_path / "essai.txt")
    assert meta["title"] == "Titre"
    assert meta["alt"] == "Texte alternatif"
    assert meta["source"] == "Source : test"
    assert meta["notebook"] == "00_prise_en_main.ipynb"
    assert meta["simulated"] == "non"
    assert meta["digits"] == "6"
    from coanalysis.figures import write_gallery

    gallery = write_gallery(tmp_path).read_text(encoding="utf-8")
    assert "## Titre" in gallery and "(essai.png)" in gallery and "00_prise_en_main.ipynb" in gallery
    assert "- Source : test" in gallery and "Source : Source" not in gallery


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_simulated_is_written_on_the_figure(tmp_path, lang):
    paths = _export(tmp_path, simulated=True, lang=lang)
    svg = paths["svg"].read_text(encoding="utf-8")
    # text is drawn as paths; matplotlib keeps the string in a comment of the SVG
    assert {"fr": "Données simulées", "en": "Simulated data"}[lang] in svg
    meta = read_sidecar(paths["txt"])
    assert meta["simulated"] == {"fr": "oui", "en": "yes"}[lang]
    from coanalysis.figures import write_gallery

    assert "simulated data" in write_gallery(tmp_path).read_text(encoding="utf-8")


def test_export_leaves_the_figure_as_it_was(tmp_path):
    fig = _draw()
    before = len(fig.texts)
    export_figure(fig, "essai", data=DATA, title="T", alt="A", source="S", simulated=True, outdir=tmp_path)
    assert len(fig.texts) == before
    plt.close(fig)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"name": "bad name.png"}, "figure name"),
        ({"title": ""}, "non-empty title"),
        ({"source": None}, "non-empty source"),
        ({"data": [1, 2]}, "data must be the DataFrame"),
        ({"lang": "de"}, "lang must be"),
    ],
)
def test_bad_arguments_are_named(tmp_path, kwargs, match):
    fig = _draw()
    args = {"name": "ok", "data": DATA, "title": "T", "alt": "A", "source": "S", "outdir": tmp_path}
    args.update(kwargs)
    name = args.pop("name")
    with pytest.raises((ValueError, TypeError), match=match):
        export_figure(fig, name, **args)
    plt.close(fig)


def test_gallery_refuses_a_broken_sidecar(tmp_path):
    from coanalysis.figures import write_gallery

    _export(tmp_path)
    (tmp_path / "casse.txt").write_text("title: sans source\n", encoding="utf-8")
    with pytest.raises(ValueError, match="casse.txt: sidecar lacks alt, source"):
        write_gallery(tmp_path)


def test_no_break_spaces_survive_in_the_sidecar(tmp_path):
    fig = _draw()
    export_figure(fig, "essai", data=DATA, title="Part des satisfaits\u00a0: 45\u202f%", alt="A\n  B",
                  source="Source\u00a0: test", outdir=tmp_path)
    plt.close(fig)
    meta = read_sidecar(tmp_path / "essai.txt")
    assert meta["title"] == "Part des satisfaits\u00a0: 45\u202f%"
    assert meta["source"] == "Source\u00a0: test"
    assert meta["alt"] == "A B"


# ---------------------------------------------------------------- stable numbers, safe text cells
import numpy as np  # noqa: E402


def _ulps(values, k, seed):
    """``values`` moved by up to ``k`` units in the last place, as another CPU or summation order would."""
    rng = np.random.default_rng(seed)
    out = np.asarray(values, dtype=float).copy()
    for _ in range(k):
        out = np.nextafter(out, np.where(rng.random(out.shape) < 0.5, -np.inf, np.inf))
    return out


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_figure_data_is_the_same_bytes_when_floats_move_by_a_few_ulps(tmp_path, lang):
    """Last-bit differences (CPU dispatch, BLAS kernel, summation order) never change the CSV."""
    rng = np.random.default_rng(20261207)
    values = np.concatenate([rng.random(400), rng.normal(0, 1e4, 100), rng.random(100) * 1e-5,
                             [0.7897933683327913, 0.8378426963419484, 1 / 3, 2 / 3, 0.1 + 0.2, 1.0, 0.0]])
    contents = []
    for seed in range(4):
        data = pd.DataFrame({"x": _ulps(values, 4, seed) if seed else values})
        fig = _draw(DATA)
        export_figure(fig, "ulps", data=data, title="T", alt="A", source="S", lang=lang,
                      outdir=tmp_path / str(seed))
        plt.close(fig)
        contents.append((tmp_path / str(seed) / "ulps.csv").read_bytes())
    assert all(c == contents[0] for c in contents[1:])


def test_figure_data_keeps_six_significant_digits(tmp_path):
    """The stated precision: 6 significant digits, half away from zero on the decimal value."""
    data = pd.DataFrame({"x": [0.7897933683327913, 1234567.891, -0.000123456789, 0.1234565],
                         "y": [2.5e-9, 1e-9, 3.25e-17, 4e-9],
                         "z": [1.0, 1e-17, -2e-13, 0.5]})
    fig = _draw()
    paths = export_figure(fig, "digits", data=data, title="T", alt="A", source="S", lang="en", outdir=tmp_path)
    plt.close(fig)
    assert paths["csv"].read_text(encoding="utf-8").splitlines()[1:] == [
        "0.789793,2.5E-9,1", "1234570,1E-9,0", "-0.000123457,3.25E-17,0", "0.123457,4E-9,0.5"]
    back = read_figure_data("digits", tmp_path)
    np.testing.assert_allclose(back[["x", "y"]], data[["x", "y"]], rtol=5e-6)  # half a unit in the 6th digit
    # z: what lies under 1e-12 of the column's largest value is the residue of a zero, written 0


_HOSTILE = ["=HYPERLINK(\"http://exemple.org\",\"clic\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)",
            "\tonglet", "\rretour", "'déjà protégé", "''deux", "Eau potable", "", "- tiret"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_text_cells_cannot_run_as_formulas_and_read_back_as_written(tmp_path, lang):
    data = pd.DataFrame({"libellé": _HOSTILE, "valeur": np.linspace(-0.125, 1, len(_HOSTILE))})
    data.loc[len(data) - 1, "libellé"] = None
    fig = _draw()
    paths = export_figure(fig, "hostile", data=data, title="T", alt="A", source="S", lang=lang, outdir=tmp_path)
    plt.close(fig)
    sep = ";" if lang == "fr" else ","
    frame = pd.read_csv(paths["csv"], sep=sep, dtype=str, keep_default_na=False,
                        encoding="utf-8-sig" if lang == "fr" else "utf-8")
    for cell in frame["libellé"]:
        assert not cell or cell[0] not in "=+-@\t\r", cell  # what a spreadsheet would evaluate
    assert frame["valeur"][0] == ("-0,125" if lang == "fr" else "-0.125")  # numbers stay numbers
    back = read_figure_data("hostile", tmp_path)
    assert back["libellé"].iloc[:-1].tolist() == [t if t else np.nan for t in _HOSTILE[:-1]]
    assert pd.isna(back["libellé"].iloc[-1])
    np.testing.assert_allclose(back["valeur"], data["valeur"], rtol=5e-6)


def test_a_column_name_cannot_run_as_a_formula(tmp_path):
    fig = _draw()
    paths = export_figure(fig, "entete", data=pd.DataFrame({"=1+1": [1]}), title="T", alt="A", source="S",
                          lang="en", outdir=tmp_path)
    plt.close(fig)
    assert paths["csv"].read_text(encoding="utf-8").splitlines()[0] == "'=1+1"
    assert list(read_figure_data("entete", tmp_path).columns) == ["=1+1"]


def test_a_text_that_is_a_number_is_left_as_written():
    from coanalysis.spreadsheet import neutralise_text

    assert [neutralise_text(t) for t in ("-0,125", "+3", "-1e-3", "-,5")] == ["-0,125", "+3", "-1e-3", "-,5"]
    assert neutralise_text("-1,5 point") == "'-1,5 point"


def test_an_infinite_value_is_refused_with_a_fix(tmp_path):
    fig = _draw()
    with pytest.raises(ValueError, match="infinite value"):
        export_figure(fig, "inf", data=pd.DataFrame({"x": [np.inf]}), title="T", alt="A", source="S",
                      outdir=tmp_path)
    plt.close(fig)


def test_a_one_column_table_keeps_its_empty_rows(tmp_path):
    """A record of one empty cell is not a blank line: rows written = rows read."""
    from coanalysis.spreadsheet import read_csv, write_csv

    frame = pd.DataFrame({"note": ["a", "", None, "\rb", 'c "d"; e']})
    back = read_csv(write_csv(frame, tmp_path / "t.csv", lang="fr"), lang="fr")
    assert len(back) == len(frame)
    assert back["note"].tolist() == ["a", np.nan, np.nan, "\rb", 'c "d"; e']


@pytest.mark.parametrize("digits", [0, 13, 2.5, True, "6"])
def test_a_precision_no_table_can_carry_is_refused_before_anything_is_written(tmp_path, digits):
    fig = _draw()
    with pytest.raises(ValueError, match="digits must be a whole number from 1 to 12"):
        export_figure(fig, "prec", data=pd.DataFrame({"x": ["a"]}), title="T", alt="A", source="S",
                      outdir=tmp_path, digits=digits)
    plt.close(fig)
    assert list(tmp_path.iterdir()) == []


def test_a_notebook_name_with_a_line_break_cannot_break_the_sidecar(tmp_path):
    fig = _draw()
    paths = export_figure(fig, "nbname", data=pd.DataFrame({"x": [1]}), title="T", alt="A", source="S",
                          outdir=tmp_path, notebook="01_x.ipynb\ntitle: piège")
    plt.close(fig)
    meta = read_sidecar(paths["txt"])
    assert meta["title"] == "T" and meta["notebook"] == "01_x.ipynb title: piège"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_export_language_defaults_to_default_lang(tmp_path, monkeypatch, lang):
    # lang=None means coanalysis.default_lang() (COANALYSIS_LANG), as in every figure function
    monkeypatch.setenv("COANALYSIS_LANG", lang)
    paths = export_figure(_draw(), "essai", data=DATA, title="Titre", alt="Alt", source="Source : test",
                          simulated=True, outdir=tmp_path)
    meta = read_sidecar(paths["txt"])
    assert meta["lang"] == lang
    assert meta["simulated"] == {"fr": "oui", "en": "yes"}[lang]
