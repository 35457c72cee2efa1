"""Tests of the case-base figures: NA drawn as NA, one arrow per flow, labels in both languages.

Tolerances: values read back from the artists are the plotted data themselves (copies or one
operation): pytest.approx's default only absorbs decimal representation.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from coanalysis.codebook import ACTORS, CONDITIONS, PRINCIPLES, STAGES  # noqa: E402
from coanalysis.codebook.interface import WORDS, word  # noqa: E402
from coanalysis.errors import DataError  # noqa: E402
from coanalysis.figures import (  # noqa: E402
    NA_GID,
    NA_HATCH,
    circuit_diagram,
    count_bars,
    membership_matrix,
    na_rate_bars,
    participation_heatmap,
    cluster_dendrogram,
    distance_heatmap,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def participation():
    # Case "x": 5 documented cells of the 6 x 6 grid, one with an explicit NA level;
    # case "y" is there to check that only the asked case is drawn.
    return pd.DataFrame({
        "case_id": ["x", "x", "x", "x", "x", "y"],
        "actor": ["usagers", "usagers", "agents", "elus", "tiers", "usagers"],
        "stage": ["diagnostic", "conception", "conception", "decision", "diagnostic", "evaluation"],
        "level": [2, 4, 3, 5, np.nan, 1],
    })


@pytest.fixture
def conditions():
    # Two cases coded on all 13 conditions; a third case coded on one condition only.
    scores_a = [1, 0.67, None, 0.33, 0, 1, 1, None, 0.67, 1, 0.33, 0.67, 1]
    scores_b = [0, 0.33, 0.33, None, None, None, 1, 1, 0, 0.67, None, 1, 0.67]
    return pd.DataFrame({
        "case_id": ["a"] * 13 + ["b"] * 13 + ["c"],
        "condition": list(CONDITIONS.slugs) * 2 + ["experimenter"],
        "score": scores_a + scores_b + [0.67],
    })


@pytest.fixture
def flows():
    return pd.DataFrame({
        "case_id": ["x"] * 7 + ["y"],
        "from_actor": ["usagers", "agents", "encadrement", "usagers", "usagers", "agents",
                       "partenaires", "usagers"],
        "to_actor": ["agents", "encadrement", "elus", "elus", "elus", "agents", "usagers",
                     "agents"],
        "channel": ["atelier", "remontee_hierarchique", "comite_pilotage", "vote",
                    "reunion_publique", "entretien", "permanence", "barometre"],
        "direct": [False, False, False, True, True, False, False, False],
    })


def _na_patches(ax):
    return [p for p in ax.patches if p.get_gid() == NA_GID]


def _mesh_array(ax):
    return ax.collections[0].get_array()


# ----------------------------------------------------------------------------- participation
def test_participation_heatmap_returns_given_axes(participation):
    fig, ax = plt.subplots()
    assert participation_heatmap(participation, case_id="x", ax=ax) is ax


def test_participation_heatmap_na_cells_are_masked_and_hatched(participation):
    ax = participation_heatmap(participation, case_id="x")
    # 36 cells, 4 documented levels (the tiers row has an empty level) -> 32 NA.
    values = _mesh_array(ax)
    assert values.shape == (len(ACTORS), len(STAGES))
    assert int(np.ma.getmaskarray(values).sum()) == 32
    na = _na_patches(ax)
    assert len(na) == 32
    assert all(p.get_hatch() == NA_HATCH for p in na)


def test_participation_heatmap_cells_hold_the_levels(participation):
    ax = participation_heatmap(participation, case_id="x")
    values = _mesh_array(ax)
    # rows = actors in codebook order, columns = stages in codebook order
    assert values[ACTORS.slugs.index("usagers"), STAGES.slugs.index("conception")] == 4
    assert values[ACTORS.slugs.index("elus"), STAGES.slugs.index("decision")] == 5
    assert np.ma.is_masked(values[ACTORS.slugs.index("usagers"), STAGES.slugs.index("evaluation")])
    annotations = sorted(t.get_text() for t in ax.texts)
    assert annotations == ["2", "3", "4", "5"]


def test_participation_level_zero_is_not_na():
    data = pd.DataFrame({"case_id": ["x"], "actor": ["elus"], "stage": ["diagnostic"], "level": [0]})
    ax = participation_heatmap(data, case_id="x")
    assert int(np.ma.getmaskarray(_mesh_array(ax)).sum()) == 35
    assert _mesh_array(ax)[ACTORS.slugs.index("elus"), 0] == 0


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_participation_heatmap_labels(participation, lang):
    ax = participation_heatmap(participation, case_id="x", lang=lang)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(ACTORS.labels(lang))
    assert [t.get_text() for t in ax.get_xticklabels()] == list(STAGES.labels(lang))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[-1] == word("na_legend", lang)
    assert len(legend) == 7


def test_na_legend_wording():
    assert word("na_legend", "fr") == "NA\u00a0: non documenté"
    assert word("na_legend", "en") == "NA: not documented"


def _french_labels():
    # every interface word: the figures', the QCA summaries' and the exports'
    return [fr for fr, _en in WORDS.values()]


def test_french_labels_keep_colons_and_semicolons_on_the_line():
    # French typography: a no-break space (U+00A0) before ":" and ";", never a plain space,
    # and one apostrophe style (the codebook's straight one).
    labels = _french_labels()
    assert any(":" in label for label in labels)
    for label in labels:
        assert " :" not in label and " ;" not in label, label
        for i, char in enumerate(label):
            if char in ":;" and i > 0 and label[i - 1].isspace():
                assert label[i - 1] == "\u00a0", label
        assert "\u2019" not in label, label


def test_participation_heatmap_accepts_categorical_levels(participation):
    data = participation.assign(level=pd.Categorical(
        ["2", "4", "3", "5", None, "1"], categories=list("012345"), ordered=True))
    ax = participation_heatmap(data, case_id="x")
    assert int(np.ma.getmaskarray(_mesh_array(ax)).sum()) == 32


@pytest.mark.parametrize("column, bad, expected", [
    ("level", 6, "level 0-5"),
    ("level", 2.5, "level 0-5"),
    ("actor", "citoyens", "actor among"),
    ("stage", "pilotage", "stage among"),
])
def test_participation_heatmap_rejects_bad_values(participation, column, bad, expected):
    data = participation.astype({column: object})
    data.loc[1, column] = bad
    with pytest.raises(DataError, match=expected) as info:
        participation_heatmap(data, case_id="x")
    assert info.value.problems[0].column == column
    assert info.value.problems[0].found == bad


def test_participation_heatmap_rejects_duplicate_cell(participation):
    data = pd.concat([participation, participation.iloc[[0]]], ignore_index=True)
    with pytest.raises(DataError, match="same cell"):
        participation_heatmap(data, case_id="x")


def test_participation_heatmap_unknown_case(participation):
    with pytest.raises(DataError, match="case_id present"):
        participation_heatmap(participation, case_id="nowhere")


def test_participation_heatmap_missing_column(participation):
    with pytest.raises(DataError, match="level"):
        participation_heatmap(participation.drop(columns="level"), case_id="x")


def test_bad_lang(participation):
    with pytest.raises(ValueError, match="lang"):
        participation_heatmap(participation, case_id="x", lang="de")


# ----------------------------------------------------------------------------- conditions
def test_membership_matrix_na_count(conditions):
    ax = membership_matrix(conditions)
    values = _mesh_array(ax)
    assert values.shape == (3, 13)
    # NA: 2 in a, 4 in b, 12 absent conditions of c -> 18
    assert int(np.ma.getmaskarray(values).sum()) == 18
    assert len(_na_patches(ax)) == 18


def test_membership_matrix_never_draws_na_as_zero(conditions):
    ax = membership_matrix(conditions)
    values = _mesh_array(ax)
    col = CONDITIONS.slugs.index("politique_rh")
    assert np.ma.is_masked(values[0, col])  # a: NA
    assert values[1, col] == 1  # b: 1
    zeros = np.ma.filled(values, -1) == 0
    assert int(zeros.sum()) == 3  # a/expertise_partagee, b/portage_politique, b/innovation_sociale


def test_membership_matrix_marks_the_four_principles(conditions):
    ax = membership_matrix(conditions, lang="en")
    ticks = ax.get_xticklabels()
    bold = [t.get_text() for t in ticks if t.get_fontweight() == "bold"]
    assert bold == list(PRINCIPLES.labels("en"))
    rules = [line for line in ax.lines if line.get_gid() == "principles-rule"]
    assert len(rules) == 1
    assert rules[0].get_xdata()[0] == len(CONDITIONS) - len(PRINCIPLES)
    assert any(t.get_gid() == "principles-label" and t.get_text() == "Key principles"
               for t in ax.texts)


@pytest.mark.parametrize("lang, text", [("fr", "0,67"), ("en", "0.67")])
def test_membership_matrix_annotations_follow_lang(conditions, lang, text):
    ax = membership_matrix(conditions, lang=lang)
    cells = [t.get_text() for t in ax.texts if t.get_gid() is None]
    assert text in cells
    # one annotation per coded cell, none in NA cells
    assert len(cells) == int(conditions["score"].notna().sum())
    assert set(cells) <= {"0", "1", text, text.replace("67", "33")}
    assert [t.get_text() for t in ax.get_xticklabels()] == list(CONDITIONS.labels(lang))


def test_membership_matrix_row_order(conditions):
    ax = membership_matrix(conditions, order=["c", "b", "a"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["c", "b", "a"]
    assert _mesh_array(ax)[0, CONDITIONS.slugs.index("experimenter")] == pytest.approx(0.67)


def test_membership_matrix_rejects_half(conditions):
    data = conditions.copy()
    data.loc[3, "score"] = 0.5
    with pytest.raises(DataError, match="0.33") as info:
        membership_matrix(data)
    assert info.value.problems[0].found == 0.5


def test_membership_matrix_lists_every_problem(conditions):
    data = conditions.astype({"condition": object})
    data.loc[0, "condition"] = "budget"
    data.loc[5, "condition"] = "courage"
    with pytest.raises(DataError) as info:
        membership_matrix(data)
    assert [p.found for p in info.value.problems] == ["budget", "courage"]


# ----------------------------------------------------------------------------- circuits
def _flow_arrows(ax):
    return [p for p in ax.patches if p.get_gid() in ("flow", "flow-direct")]


def test_circuit_diagram_one_arrow_per_flow(flows):
    ax = circuit_diagram(flows, case_id="x")
    arrows = _flow_arrows(ax)
    assert len(arrows) == 7
    assert sum(p.get_gid() == "flow-direct" for p in arrows) == 2
    assert sum(p.get_gid() == "classic-chain" for p in ax.patches) == 3
    assert sum(p.get_gid() == "actor" for p in ax.patches) == len(ACTORS)


def test_circuit_diagram_direct_arrows_are_highlighted(flows):
    ax = circuit_diagram(flows, case_id="x")
    direct = [p for p in _flow_arrows(ax) if p.get_gid() == "flow-direct"]
    other = [p for p in _flow_arrows(ax) if p.get_gid() == "flow"]
    assert min(p.get_linewidth() for p in direct) > max(p.get_linewidth() for p in other)
    assert {p.get_edgecolor() for p in direct}.isdisjoint({p.get_edgecolor() for p in other})


def _channel_texts(ax):
    return sorted(" ".join(t.get_text().split()) for t in ax.texts if t.get_gid() == "channel-label")


@pytest.mark.parametrize("lang, expected", [
    ("fr", ["Atelier", "Comité de pilotage", "Entretien", "Permanence", "Remontée hiérarchique",
            "Réunion publique", "Vote"]),
    ("en", ["Drop-in session", "Interview", "Public meeting", "Steering committee",
            "Upward reporting", "Vote", "Workshop"]),
])
def test_circuit_diagram_channel_labels_follow_lang(flows, lang, expected):
    # expected labels written out by hand from the codebook, not computed from it
    ax = circuit_diagram(flows, case_id="x", lang=lang)
    assert _channel_texts(ax) == sorted(expected)
    assert not any("_" in t for t in _channel_texts(ax))  # no raw slug is shown


def test_circuit_diagram_channel_labels_accept_labels_and_na(flows):
    data = flows.astype({"channel": object})
    data.loc[0, "channel"] = "Workshop"  # an English label is mapped back to its slug
    data.loc[1, "channel"] = None        # NA: the arrow stays, without a label
    ax = circuit_diagram(data, case_id="x", lang="fr")
    assert len(_flow_arrows(ax)) == 7
    texts = _channel_texts(ax)
    assert len(texts) == 6 and "Atelier" in texts and "Remontée hiérarchique" not in texts
    ax2 = circuit_diagram(flows, case_id="x", channel=None)
    assert not [t for t in ax2.texts if t.get_gid() == "channel-label"]


def test_circuit_diagram_rejects_unknown_channel(flows):
    data = flows.astype({"channel": object})
    data.loc[2, "channel"] = "pigeon_voyageur"
    data.loc[5, "channel"] = "usagers"
    with pytest.raises(DataError) as info:
        circuit_diagram(data, case_id="x")
    assert [p.found for p in info.value.problems] == ["pigeon_voyageur", "usagers"]
    assert all(p.column == "channel" for p in info.value.problems)


def test_circuit_diagram_case_without_flows(flows):
    ax = circuit_diagram(flows, case_id="z", lang="en")
    assert _flow_arrows(ax) == []
    assert "no documented flow" in [t.get_text() for t in ax.texts]


@pytest.mark.parametrize("lang, voice, expected", [
    ("fr", 1, "\nusagers → élus\u00a0: 1 (chaîne\u00a0: 3)"),
    ("en", {"elus": 2, "encadrement": 1},
     "\nusers → elected officials: 2 (chain: 3)\n"
     "users → managers: 1 (chain: 2)"),
    ("fr", {"elus": np.nan}, "\nusagers → élus\u00a0: aucun chemin"),
    ("fr", {"elus": None}, "\nusagers → élus\u00a0: aucun chemin"),
    ("en", {"encadrement": pd.NA}, "\nusers → managers: no path (chain: 2)"),
])
def test_circuit_diagram_title_has_voice_distance(flows, lang, voice, expected):
    ax = circuit_diagram(flows, case_id="x", voice=voice, lang=lang, title="Case X")
    title = ax.get_title()
    assert title.startswith("Case X\n")
    assert expected in title


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_circuit_diagram_actor_labels(flows, lang):
    ax = circuit_diagram(flows, case_id="x", lang=lang)
    shown = {" ".join(t.get_text().split()) for t in ax.texts}
    assert set(ACTORS.labels(lang)) <= shown


def test_circuit_diagram_rejects_bad_direct_and_actor(flows):
    data = flows.astype({"direct": object, "to_actor": object})
    data.loc[0, "direct"] = "maybe"
    with pytest.raises(DataError, match="direct"):
        circuit_diagram(data, case_id="x")
    data = flows.astype({"to_actor": object})
    data.loc[1, "to_actor"] = "prefet"
    with pytest.raises(DataError, match="prefet"):
        circuit_diagram(data, case_id="x")


def test_circuit_diagram_rejects_bad_voice(flows):
    with pytest.raises(ValueError, match="targets"):
        circuit_diagram(flows, case_id="x", voice={"usagers": 0})
    with pytest.raises(ValueError, match="targets"):
        circuit_diagram(flows, case_id="x", voice={"partenaires": 1})
    with pytest.raises(TypeError, match="voice"):
        circuit_diagram(flows, case_id="x", voice="two")


def test_circuit_diagram_returns_given_axes(flows):
    fig, ax = plt.subplots()
    assert circuit_diagram(flows, case_id="x", ax=ax) is ax


# ----------------------------------------------------------------------------- comparables
def test_na_rate_bars_order_labels_and_values():
    rates = pd.DataFrame({"condition": ["transversalite", "politique_rh", "portage_politique"],
                          "na_rate": [0.1, 0.6, 0.0]})
    ax = na_rate_bars(rates, lang="en")
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        CONDITIONS.label("portage_politique", "en"), CONDITIONS.label("politique_rh", "en"),
        CONDITIONS.label("transversalite", "en")]
    assert [p.get_width() for p in ax.patches] == [0.0, 0.6, 0.1]
    assert "60%" in [t.get_text() for t in ax.texts]
    fr = na_rate_bars(rates, lang="fr")
    assert "60\u202f%" in [t.get_text() for t in fr.texts]


def test_na_rate_bars_rejects_rate_above_one():
    with pytest.raises(DataError, match="proportion"):
        na_rate_bars(pd.DataFrame({"condition": ["politique_rh"], "na_rate": [60]}))


def test_count_bars_stacks_hue_and_uses_vocabulary_labels():
    counts = pd.DataFrame({"collectivity_type": ["commune", "commune", "region"],
                           "corpus": ["ost2019", "comparables", "comparables"],
                           "n_cases": [2, 5, 3]})
    ax = count_bars(counts, y="collectivity_type", hue="corpus", lang="en")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Municipality", "Region"]
    # right ends of the stacked bars are the totals per category
    ends = {}
    for p in ax.patches:
        y = round(p.get_y() + p.get_height() / 2)
        ends[y] = max(ends.get(y, 0), p.get_x() + p.get_width())
    assert ends == {0: 7, 1: 3}
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "OST 2019 study cases", "Comparable experiments"]


def test_count_bars_hue_colours_do_not_depend_on_levels_present():
    only_comparables = pd.DataFrame({"domain": ["budget_participatif"], "corpus": ["comparables"],
                                     "n_cases": [10]})
    both = pd.DataFrame({"domain": ["qualite_service"] * 2, "corpus": ["ost2019", "comparables"],
                         "n_cases": [2, 3]})
    ax1 = count_bars(only_comparables, y="domain", hue="corpus")
    ax2 = count_bars(both, y="domain", hue="corpus")
    colour = {t.get_text(): h.get_facecolor()
              for ax in (ax1, ax2)
              for h, t in zip(ax.get_legend().legend_handles, ax.get_legend().get_texts())}
    assert len(colour) == 2
    assert ax1.patches[0].get_facecolor() == colour["Expériences comparables"]
    assert ax2.patches[0].get_facecolor() == colour["Cas de l'étude OST 2019"]
    assert colour["Expériences comparables"] != colour["Cas de l'étude OST 2019"]


def test_count_bars_rejects_negative():
    with pytest.raises(DataError, match="count"):
        count_bars(pd.DataFrame({"domain": ["x"], "n_cases": [-1]}), y="domain")


def test_distance_heatmap_is_symmetric_and_hatches_only_na_pairs():
    pairs = pd.DataFrame({"case_a": ["a", "a", "b"], "case_b": ["b", "c", "c"],
                          "distance": pd.array([0.4, None, 1.2], dtype="Float64")})
    ax = distance_heatmap(pairs, order=["c", "a", "b"], highlight=["a"])
    values = _mesh_array(ax)
    assert values.shape == (3, 3)
    assert values[1, 2] == pytest.approx(0.4) and values[2, 1] == pytest.approx(0.4)
    assert values[0, 2] == pytest.approx(1.2) and values[2, 0] == pytest.approx(1.2)
    # masked: the diagonal (3, blank) and the NA pair a-c both ways (2, hatched)
    assert int(np.ma.getmaskarray(values).sum()) == 5
    assert sorted((int(p.get_y()), int(p.get_x())) for p in _na_patches(ax)) == [(0, 1), (1, 0)]
    bold = {t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"}
    assert bold == {"a"}


def test_distance_heatmap_rejects_negative():
    pairs = pd.DataFrame({"case_a": ["a"], "case_b": ["b"], "distance": [-0.1]})
    with pytest.raises(DataError, match="distance"):
        distance_heatmap(pairs)


def test_cluster_dendrogram_leaves_and_colours():
    from scipy.cluster.hierarchy import linkage
    z = linkage([[0.0], [0.33], [1.0], [1.0], [0.1]], method="ward")
    ax = cluster_dendrogram(z, ["a", "b", "c", "d", "e"], k=2, highlight=["c"], lang="en")
    assert sorted(t.get_text() for t in ax.get_yticklabels()) == ["a", "b", "c", "d", "e"]
    # 4 merges -> 4 link lines; with k=2 the two subtrees get two colours, the root is grey
    links = {tuple(np.round(c.get_color()[0], 3)): len(c.get_segments()) for c in ax.collections}
    assert sum(links.values()) == 4
    # {c, d} is one cluster (1 merge), {a, e, b} the other (2 merges), the root link is grey
    assert sorted(links.values()) == [1, 1, 2]
    assert links[(0.498, 0.498, 0.498, 1.0)] == 1
    assert ax.get_xlabel() == "Merge height"
    assert [t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"] == ["c"]
    with pytest.raises(ValueError, match="linkage"):
        cluster_dendrogram(z, ["a", "b"])


def test_loader_dtypes_are_accepted(participation, conditions, flows):
    # load_casebase gives string ids, ordered categoricals, Int64 levels, Float64 scores and
    # boolean flags with pd.NA: the figures must read them as they come.
    from coanalysis.codebook import ACTORS as A, STAGES as S, CONDITIONS as C
    part = participation.assign(
        case_id=participation.case_id.astype("string"),
        actor=pd.Categorical(participation.actor, dtype=A.dtype()),
        stage=pd.Categorical(participation.stage, dtype=S.dtype()),
        level=pd.array([2, 4, 3, 5, None, 1], dtype="Int64"))
    ax = participation_heatmap(part, case_id="x")
    assert int(np.ma.getmaskarray(_mesh_array(ax)).sum()) == 32
    cond = conditions.assign(case_id=conditions.case_id.astype("string"),
                             condition=pd.Categorical(conditions.condition, dtype=C.dtype()),
                             score=pd.array(conditions.score, dtype="Float64"))
    ax = membership_matrix(cond)
    assert int(np.ma.getmaskarray(_mesh_array(ax)).sum()) == 18
    fl = flows.assign(case_id=flows.case_id.astype("string"),
                      from_actor=pd.Categorical(flows.from_actor, dtype=A.dtype()),
                      to_actor=pd.Categorical(flows.to_actor, dtype=A.dtype()),
                      direct=pd.array(flows.direct, dtype="boolean"))
    assert len(_flow_arrows(circuit_diagram(fl, case_id="x"))) == 7


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_function_draws_on_the_given_axes_with_na_legend(participation, conditions, flows, lang):
    from scipy.cluster.hierarchy import linkage
    calls = [
        lambda ax: participation_heatmap(participation, case_id="x", ax=ax, lang=lang),
        lambda ax: membership_matrix(conditions, ax=ax, lang=lang),
        lambda ax: circuit_diagram(flows, case_id="x", ax=ax, lang=lang),
        lambda ax: na_rate_bars(pd.DataFrame({"condition": ["experimenter"], "na_rate": [0.5]}),
                                ax=ax, lang=lang),
        lambda ax: count_bars(pd.DataFrame({"domain": ["x"], "n_cases": [1]}), y="domain",
                              ax=ax, lang=lang),
        lambda ax: distance_heatmap(pd.DataFrame({"case_a": ["a"], "case_b": ["b"],
                                                  "distance": [None]}), ax=ax, lang=lang),
        lambda ax: cluster_dendrogram(linkage([[0.0], [1.0]]), ["a", "b"], ax=ax, lang=lang),
    ]
    for call in calls:
        fig, ax = plt.subplots()
        assert call(ax) is ax
        legend = ax.get_legend()
        texts = [t.get_text() for t in legend.get_texts()] if legend else []
        if any(p.get_gid() == NA_GID for p in ax.patches):
            assert word("na_legend", lang) in texts
        plt.close(fig)


# ----------------------------------------------------------------------------- names and language
def test_figure_columns_take_seaborn_names(participation, conditions):
    # the columns are named by x= (grid columns), y= (grid rows) and value= (the cell)
    renamed = participation.rename(columns={"actor": "acteur", "stage": "etape", "level": "niveau"})
    ax = participation_heatmap(renamed, case_id="x", x="etape", y="acteur", value="niveau")
    assert len(_na_patches(ax)) == 36 - 4  # 5 rows for case x, one of them with an NA level
    cells = conditions.rename(columns={"case_id": "cas", "condition": "cond", "score": "note"})
    ax = membership_matrix(cells, x="cond", y="cas", value="note", order=["b", "a", "c"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "a", "c"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_language_defaults_to_default_lang(participation, conditions, flows, monkeypatch, lang):
    # lang=None means coanalysis.default_lang(), i.e. COANALYSIS_LANG (set by reproduce --lang)
    monkeypatch.setenv("COANALYSIS_LANG", lang)
    ax = participation_heatmap(participation, case_id="x")
    assert [t.get_text() for t in ax.get_yticklabels()] == list(ACTORS.labels(lang))
    assert ax.get_xlabel() == {"fr": "Étape", "en": "Stage"}[lang]
    ax = membership_matrix(conditions)
    assert ax.get_legend().get_title().get_text() == {"fr": "Score d'appartenance",
                                                      "en": "Membership score"}[lang]
    ax = circuit_diagram(flows, case_id="x", voice=1)
    assert {"fr": "Canal direct (court-circuite la chaîne)",
            "en": "Direct channel (skips the chain)"}[lang] in [
        t.get_text() for t in ax.get_legend().get_texts()]
    ax = na_rate_bars(pd.DataFrame({"condition": ["experimenter"], "na_rate": [0.5]}))
    assert ax.get_xlabel() == {"fr": "Part de valeurs NA", "en": "Share of NA values"}[lang]


def test_house_style_takes_no_language():
    # the house style is the same in both languages: no lang argument that would be ignored
    import inspect

    from coanalysis.figures import house_rc, use_house_style

    assert "lang" not in inspect.signature(house_rc).parameters
    assert "lang" not in inspect.signature(use_house_style).parameters


def test_every_plot_function_documents_the_axes_it_returns_in_one_wording():
    # the Returns section and the ax/lang parameters come from one set of fragments
    # (figures._draw._DOCS): every function that draws on ``ax`` says it returns
    # matplotlib.axes.Axes, and no fragment is left unfilled
    import inspect

    import coanalysis.figures as figures

    def draws(obj) -> bool:  # a plot function: ``ax=None`` draws on a new figure
        if not inspect.isfunction(obj):
            return False
        ax = inspect.signature(obj).parameters.get("ax")
        return ax is not None and ax.default is None

    plotters = [getattr(figures, n) for n in figures.__all__ if draws(getattr(figures, n))]
    assert len(plotters) >= 12
    for func in plotters:
        doc = func.__doc__
        assert "Returns\n    -------\n    matplotlib.axes.Axes\n" in doc, func.__name__
        assert not any("{" + key + "}" in doc for key in ("ax", "lang", "returns")), func.__name__
