"""Simulated survey data (seeded, flagged, calibrated with cited sources), subpopulation domains,
long Likert tables and the survey figures.

Tolerances: published figures and derived rates are compared to their printed digits
(atol half a unit) or, when derived by the same arithmetic, to rounding (1e-12, or
pytest.approx's default rel 1e-6); positions read back from figures are the plotted numbers.
"""

import importlib.util
import re
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from coanalysis.errors import DataError  # noqa: E402
from coanalysis.figures.survey import diverging_likert, dumbbell_chart, stacked_bars  # noqa: E402
from coanalysis.codebook import SATISFACTION_4
from coanalysis.loaders import read_survey  # noqa: E402
from coanalysis.paths import project_root  # noqa: E402
from coanalysis.survey import (Design, likert_shares, satisfaction_rate,  # noqa: E402
                               users_agents_gap)

ROOT = project_root()
SURVEYS = ROOT / "data" / "surveys"
ITEMS = ["svc_dechets", "svc_eau", "svc_sport", "svc_circulation", "svc_global"]


def load_script(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _metadata():
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(SURVEYS.glob("*.json"))}


def test_every_simulated_file_is_named_and_flagged_as_such():
    # review 6: each metadata JSON flagged simulated is named _simule and lists only _simule files,
    # and every data file named _simule is described by such a JSON (and exists)
    metas = _metadata()
    assert metas
    described = set()
    for name, meta in metas.items():
        flagged = meta.get("simulated") is True or meta.get("simule") is True
        assert flagged == ("_simule" in name), name
        if flagged:
            assert meta["simulated"] is True and meta["simule"] is True and isinstance(meta["seed"], int)
            assert meta["files"] and all("_simule" in f and (SURVEYS / f).is_file() for f in meta["files"])
            assert meta["published_figures"] and all(f["source"].startswith("http")
                                                     for f in meta["published_figures"])
            assert (ROOT / meta["generator"]).is_file()
            described |= set(meta["files"])
    data_files = {p.name for p in SURVEYS.iterdir() if p.suffix in {".csv", ".sav", ".xlsx", ".parquet"}}
    assert {f for f in data_files if "_simule" in f} == described
    assert all("_simule" in f for f in data_files), "only simulated data are shipped here for now"


@pytest.mark.parametrize("script", ["simulate_barometre", "simulate_bien_etre"])
def test_generators_rewrite_every_shipped_file_byte_for_byte(script, tmp_path):
    # review 7: run main() into a temporary folder and compare all files, not a few columns
    mod = load_script(script)
    mod.main(tmp_path)
    written = sorted(p.name for p in tmp_path.iterdir())
    meta = json.loads((tmp_path / f"{mod.NAME}.json").read_text(encoding="utf-8"))
    assert written == sorted([f"{mod.NAME}.json", *meta["files"]])
    for name in written:
        assert (tmp_path / name).read_bytes() == (SURVEYS / name).read_bytes(), name


def test_barometer_metadata_names_every_assumption():
    # review 16-18: the waste figures are a proxy mapped to zones, the population figure's only
    # source is a mirror, the agents' change between waves is an assumption
    mod = load_script("simulate_barometre")
    meta = _metadata()["barometre_usagers_agents_simule.json"]
    waste = [f for f in meta["published_figures"] if f.get("service") == "svc_dechets"][0]
    assert "PROXY" in waste["figure"] and "cleanliness" in waste["figure"]
    assert meta["assumptions"]["waste_zone_mapping"] == {
        "rural": "small communes", "ville_centre": "large agglomerations", "periurbain": "mean of the two"}
    pop = [f for f in meta["published_figures"] if "Population" in f["figure"]][0]
    assert "mirror" in pop["survey"] and "wiki" in pop["source"]
    change = meta["assumptions"]["agents_change_2023_2025"]
    assert change == {k: v / 2 for k, v in meta["assumptions"]["users_change_2023_2025"].items()}
    assert mod.AGENT_WAVE_FACTOR == 0.5


def test_wellbeing_category_b_is_derived_from_the_published_rates():
    # review 19: B must make the category mix give the published overall rate (0.84 gave 0.7962)
    mod = load_script("simulate_bien_etre")
    pub = _metadata()["bien_etre_agents_simule.json"]["published_figures"]
    shares = [f for f in pub if f["figure"].startswith("Category shares")][0]["value"]
    rates = [f for f in pub if f["figure"].startswith("Satisfied to work")][0]["value"]
    implied = sum(shares[c] * mod.SATISFIED_FPT[c] for c in "ABC")
    assert implied == pytest.approx(rates["all"], abs=1e-12)  # the derivation run backwards: ulps
    assert mod.SATISFIED_FPT["A"] == rates["A"] and mod.SATISFIED_FPT["C"] == rates["C"]
    assert mod.SATISFIED_FPT["B"] == pytest.approx(0.90, abs=1e-9)  # (0.81 - 0.117 - 0.585) / 0.12: ulps


def test_wellbeing_weights_restore_the_published_category_shares():
    data = load_script("simulate_bien_etre").simulate()
    shares = data.groupby("categorie")["poids"].sum() / data["poids"].sum()
    # weights N_h / n_h give the shares N_h / N up to rounding; 1e-4 is far below the published
    # digit (0.01) and far above rounding
    np.testing.assert_allclose(shares[["A", "B", "C"]], [0.13, 0.12, 0.75], atol=1e-4)


@pytest.fixture(scope="module")
def barometer():
    data, _ = read_survey(SURVEYS / "barometre_usagers_agents_simule.csv",
                          scales={i: SATISFACTION_4 for i in ITEMS}, numeric=["poids", "fpc"])
    return Design(data, weights="poids", strata="strate", fpc="fpc")


def test_where_is_a_domain_of_the_whole_design(barometer):
    rate = satisfaction_rate(barometer, "svc_eau", by="population", where={"vague": "2025"})
    mask = (barometer.data["vague"] == "2025") & (barometer.data["population"] == "usagers")
    direct = barometer.share("svc_eau", mask=mask.to_numpy())
    top2 = direct.loc[[3, 4], "estimate"].sum()
    assert rate.set_index("population").loc["usagers", "estimate"] == pytest.approx(top2)
    gap = users_agents_gap(barometer, "svc_eau", where={"vague": "2025"}).iloc[0]
    assert gap.users == pytest.approx(top2)
    with pytest.raises(ValueError, match="no respondent"):
        satisfaction_rate(barometer, "svc_eau", where={"vague": "1999"})


def test_likert_shares_long_table_sums_to_one(barometer):
    t = likert_shares(barometer, ITEMS[:2], by="population")
    assert list(t.columns[:3]) == ["item", "population", "category"]
    sums = t.groupby(["item", "population"])["estimate"].sum()
    np.testing.assert_allclose(sums, 1.0)


def test_figures_draw_what_they_are_given():
    data = pd.DataFrame({"service": ["a", "b"], "u": [0.5, 0.7], "g": [0.6, 0.65],
                         "lo": [0.45, 0.6], "hi": [0.55, 0.75]})
    fig, ax = plt.subplots()
    out = dumbbell_chart(data, y="service", x_start="u", x_end="g", start_label="U", end_label="A",
                         start_ci=("lo", "hi"), ax=ax)
    assert out is ax
    ticks = {t.get_text(): y for t, y in zip(ax.get_yticklabels(), ax.get_yticks())}
    assert ticks["a"] > ticks["b"]  # first row drawn at the top
    xs = sorted(float(p[0]) for c in ax.collections if hasattr(c, "get_offsets") for p in c.get_offsets()
                if len(c.get_offsets()) == 2)
    assert set(np.round(xs, 6)) >= {0.5, 0.7, 0.6, 0.65}
    with pytest.raises(DataError, match="nope"):
        dumbbell_chart(data, y="service", x_start="nope", x_end="g", start_label="U", end_label="A")
    with pytest.raises(DataError, match="lo2"):
        dumbbell_chart(data, y="service", x_start="u", x_end="g", start_label="U", end_label="A",
                       end_ci=("lo2", "hi"))
    plt.close(fig)

    long = pd.DataFrame({"item": ["q"] * 4, "cat": [1, 2, 3, 4], "share": [0.1, 0.2, 0.3, 0.4]})
    fig, ax = plt.subplots()
    diverging_likert(long, x="share", y="item", hue="cat", hue_order=[1, 2, 3, 4], ax=ax)
    lefts = sorted(round(p.get_x(), 9) for p in ax.patches)
    widths = sorted(round(p.get_width(), 9) for p in ax.patches)
    assert lefts[0] == pytest.approx(-0.3) and widths == [0.1, 0.2, 0.3, 0.4]
    with pytest.raises(DataError, match="not declared"):
        diverging_likert(long, x="share", y="item", hue="cat", hue_order=[1, 2, 3])
    plt.close(fig)

    fig, ax = plt.subplots()
    stacked_bars(long, x="share", y="item", hue="cat", hue_order=[1, 2, 3, 4], ax=ax)
    right = max(p.get_x() + p.get_width() for p in ax.patches)
    assert right == pytest.approx(1.0)
    plt.close(fig)


def test_diverging_likert_splits_the_neutral_answer():
    long = pd.DataFrame({"item": ["q"] * 5, "cat": list("abcde"), "share": [0.1, 0.1, 0.4, 0.2, 0.2]})
    fig, ax = plt.subplots()
    diverging_likert(long, x="share", y="item", hue="cat", hue_order=list("abcde"), ax=ax)
    neutral = [p for p in ax.patches if round(p.get_width(), 9) == 0.4][0]
    assert neutral.get_x() == pytest.approx(-0.2)
    plt.close(fig)


def test_stacked_bars_refuses_undeclared_categories_like_diverging_likert():
    # before: the undeclared category 4 was dropped by reindex and the bar stopped at 60 %
    long = pd.DataFrame({"item": ["q"] * 4, "cat": [1, 2, 3, 4], "share": [0.1, 0.2, 0.3, 0.4]})
    fig, ax = plt.subplots()
    with pytest.raises(DataError, match="not declared") as err:
        stacked_bars(long, x="share", y="item", hue="cat", hue_order=[1, 2, 3], ax=ax)
    assert [p.found for p in err.value.problems] == [4]
    with pytest.raises(DataError, match="share"):
        stacked_bars(long.drop(columns="share"), x="share", y="item", hue="cat",
                     hue_order=[1, 2, 3, 4], ax=ax)
    plt.close(fig)


@pytest.mark.parametrize("start_ci, end_ci", [(("lo", "hi"), ("lo", "hi")), (("lo", "hi"), None),
                                              (None, ("lo", "hi")), (None, None)])
def test_dumbbell_segment_joins_the_markers_where_they_are_drawn(start_ci, end_ci):
    # before: the grey segment stayed on the row while markers with intervals moved +-0.12
    data = pd.DataFrame({"service": ["a", "b"], "u": [0.5, 0.7], "g": [0.6, 0.65],
                         "lo": [0.45, 0.6], "hi": [0.55, 0.75]})
    fig, ax = plt.subplots()
    dumbbell_chart(data, y="service", x_start="u", x_end="g", start_label="U", end_label="A",
                   start_ci=start_ci, end_ci=end_ci, ax=ax)
    markers = [c for c in ax.collections if type(c).__name__ == "PathCollection"]
    start_pts, end_pts = (np.asarray(m.get_offsets()) for m in markers)
    segments = [c for c in ax.collections if type(c).__name__ == "LineCollection"
                and len(c.get_segments()) == 2 and c.get_linewidths()[0] == 2]
    assert len(segments) == 1
    for seg, s_pt, e_pt in zip(segments[0].get_segments(), start_pts, end_pts):
        np.testing.assert_allclose(seg[0], s_pt)
        np.testing.assert_allclose(seg[1], e_pt)
    plt.close(fig)


def _sidecar(path):
    return dict(line.split(": ", 1) for line in path.read_text(encoding="utf-8").splitlines() if ": " in line)


def test_shipped_survey_figures_say_they_are_simulated():
    # review 8: every figure exported by notebooks 04 and 05 (all drawn from simulated data)
    # carries "simulated: oui" in its sidecar and _simule in its name, in every format
    sidecars = {p: _sidecar(p) for p in sorted((ROOT / "figures").glob("*.txt"))}
    survey = {p: meta for p, meta in sidecars.items()
              if meta.get("notebook", "").startswith(("04_", "05_"))}
    assert len(survey) >= 4
    for path, meta in survey.items():
        assert path.stem.startswith(meta["notebook"][:3]), path.name
        assert "_simule" in path.stem, path.name
        assert meta["simulated"] in {"oui", "yes"}, path.name
        assert "simul" in meta["source"].lower(), path.name
        for ext in (".svg", ".pdf", ".png", ".csv"):
            assert path.with_suffix(ext).is_file(), path.with_suffix(ext).name


def _code(notebook):
    cells = json.loads((ROOT / "notebooks" / notebook).read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


@pytest.mark.parametrize("notebook", ["04_barometre_usagers_agents.ipynb", "05_bien_etre_agents.ipynb"])
def test_survey_notebooks_follow_the_chosen_language_and_read_what_they_cite(notebook):
    # review 24: the language comes from coanalysis.default_lang() (every lang=None), never a
    # literal "fr"; review 27: tables are read through read_survey (validation, row accounting)
    code = "\n".join(_code(notebook))
    assert "use_house_style()" in code
    assert not re.search(r"""(use_house_style|\.labels?|\.mapping)\(\s*(c,\s*)?["']fr["']""", code)
    assert not re.search(r"""lang\s*=\s*["'](fr|en)["']""", code)
    assert "pd.read_csv" not in code and "read_survey(" in code
    # review 25: no "95 %" typed with an ordinary space; percentages come from format_percent
    assert "95 %" not in code


def test_wellbeing_notebook_takes_published_rates_from_the_metadata():
    # review 20: the published rates (0.81, 0.90, 0.78, 0.83, 0.77) were typed by hand
    code = "\n".join(_code("05_bien_etre_agents.ipynb"))
    meta = json.loads((SURVEYS / "bien_etre_agents_simule.json").read_text(encoding="utf-8"))
    typed = {"0.81", "0.9", "0.90", "0.78", "0.83", "0.77", "0.13", "0.12", "0.75"}
    assert not typed & set(re.findall(r"\b0\.\d+\b", code))
    assert 'meta["published_figures"]' in code
    assert meta["published_figures"]


def test_barometer_notebook_conclusion_is_computed_from_the_gap_table():
    # review 26: the "agents judge services more favourably" sentence was fixed text
    code = "\n".join(_code("04_barometre_usagers_agents.ipynb"))
    assert "À retenir" in code and 'ecart["gap"]' in code
    cells = json.loads((ROOT / "notebooks" / "04_barometre_usagers_agents.ipynb").read_text(encoding="utf-8"))["cells"]
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert "plus favorablement" not in markdown
