"""Deterministic export of figures, sidecars and gallery."""

import hashlib
import subprocess
import sys
import textwrap

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from coanalysis.figures import (
    SIMULATED_LABEL,
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
    assert (tmp_path / "README.md").exists()


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
    gallery = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "## Titre" in gallery and "(essai.png)" in gallery and "00_prise_en_main.ipynb" in gallery
    assert "- Source : test" in gallery and "Source : Source" not in gallery


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_simulated_is_written_on_the_figure(tmp_path, lang):
    paths = _export(tmp_path, simulated=True, lang=lang)
    svg = paths["svg"].read_text(encoding="utf-8")
    # text is drawn as paths; matplotlib keeps the string in a comment of the SVG
    assert SIMULATED_LABEL[lang] in svg
    meta = read_sidecar(paths["txt"])
    assert meta["simulated"] in ("oui", "yes")
    assert "simulated data" in (tmp_path / "README.md").read_text(encoding="utf-8")


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
