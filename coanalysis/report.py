"""Presentation: the numbers, tables and sentences the notebooks and ``data/README.md`` show.

Everything here turns a computed result into text; nothing computes a statistic.
``lang=None`` means :func:`coanalysis.text.default_lang` (``COANALYSIS_LANG``, set by
``coanalysis reproduce --lang``), so a notebook sets its language once, through the
environment, and never passes it to these functions. Numbers follow
:func:`coanalysis.text.format_number` and :func:`~coanalysis.text.format_percent`
(French: decimal comma, narrow no-break space U+202F, minus sign U+2212).

Floor "report": may import the ground, the loaders, the analysis and the figures;
only ``reproduce`` and ``cli`` may import it.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from . import codebook, qca
from .errors import DataError
from .text import check_lang, format_number, format_percent
from .validation import check_level

__all__ = [
    "NO_SOLUTION",
    "SOLUTION_KINDS",
    "agreement_markdown",
    "alpha_with_interval",
    "ci_headers",
    "count_rows",
    "dropped_reasons",
    "fit_text",
    "french_list",
    "model_fit_table",
    "outcome_summary",
    "outcome_summary_view",
    "outside_outcome",
    "p_value",
    "participation_markdown",
    "points",
    "published_value",
    "table",
    "three_solutions",
    "truth_table_view",
]


def points(difference, decimals: int = 1, lang: str | None = None) -> str:
    """A difference of proportions in percentage points, signed (zero has none).

    Parameters
    ----------
    difference : float
        A difference of two proportions (``-0.092`` for 9.2 points fewer).
    decimals : int, default 1
    lang : {"fr", "en"}, optional
        None means :func:`~coanalysis.text.default_lang`.

    Returns
    -------
    str
        ``100 * difference`` with its sign (``+`` or the minus sign U+2212).

    Examples
    --------
    >>> points(-0.092, lang="fr")
    '−9,2'
    >>> points(0.05, lang="en")
    '+5.0'
    """
    return format_number(100 * difference, decimals, lang, sign=True)


def p_value(p, decimals: int = 3, lang: str | None = None) -> str:
    """A p-value with ``decimals`` decimals, written ``< 0,001`` below the smallest one shown.

    Examples
    --------
    >>> p_value(0.0312, lang="fr")
    '0,031'
    >>> p_value(0.00004, lang="en")
    '< 0.001'
    """
    smallest = 10.0 ** -decimals
    if not pd.isna(p) and p < smallest:
        return f"< {format_number(smallest, decimals, lang)}"
    return format_number(p, decimals, lang)


def french_list(items: Sequence[str], empty: str = "aucune") -> str:
    """Items joined the French way: ``a, b et c``; ``empty`` when there is none.

    Examples
    --------
    >>> french_list(["« A »", "« B »", "« C »"])
    '« A », « B » et « C »'
    >>> french_list([])
    'aucune'
    """
    items = list(items)
    if not items:
        return empty
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


Format = int | str | Callable[[object], str]


def _formatter(spec: Format, lang: str | None, na: str | None) -> Callable[[object], str]:
    if callable(spec):
        convert = spec
    else:
        kind, _, decimals = (str(spec) if not isinstance(spec, int) else f"number:{spec}").partition(":")
        functions = {"number": format_number, "percent": format_percent, "points": points, "p_value": p_value}
        if kind not in functions:
            raise ValueError(f"format {spec!r}: expected an int (decimals), a callable or one of "
                             f"'number:d', 'percent:d', 'points:d', 'p_value' (d = decimals)")
        function = functions[kind]
        if decimals:
            digits = int(decimals)
            convert = lambda v: function(v, digits, lang)
        else:
            convert = lambda v: function(v, lang=lang)
    if na is None:
        return convert
    return lambda v: na if pd.isna(v) else convert(v)


def table(data: pd.DataFrame, labels: Mapping[str, str] | None = None,
          formats: Mapping[str, Format] | None = None, *, lang: str | None = None,
          na: str | None = None) -> pd.DataFrame:
    """A results table ready to show: columns formatted as text, then renamed.

    Parameters
    ----------
    data : DataFrame
        The table, with the columns to show in the order to show them.
    labels : mapping of str to str, optional
        Column headers (``{column: header}``); columns not named keep their name.
    formats : mapping of str to format, optional
        How each column is written: an int (decimals of :func:`~coanalysis.text.format_number`),
        ``"number:d"``, ``"percent:d"`` (:func:`~coanalysis.text.format_percent`),
        ``"points:d"`` (:func:`points`), ``"p_value"`` (:func:`p_value`), or a callable of
        one value. Columns not named are shown as they are.
    lang : {"fr", "en"}, optional
        None means :func:`~coanalysis.text.default_lang`.
    na : str, optional
        What a missing value of a formatted column prints as (default: the formatter's "NA").

    Returns
    -------
    DataFrame
        A copy; the index is kept.

    Examples
    --------
    >>> t = pd.DataFrame({"item": ["a"], "estimate": [0.4512], "p": [0.0001]})
    >>> shown = table(t, {"estimate": "part"}, {"estimate": "percent:1", "p": "p_value"}, lang="en")
    >>> shown.columns.tolist(), shown.iloc[0].tolist()
    (['item', 'part', 'p'], ['a', '45.1%', '< 0.001'])
    """
    formats = dict(formats or {})
    missing = [c for c in formats if c not in data.columns]
    if missing:
        raise ValueError(f"formats name columns the table does not have: {missing}; "
                         f"columns: {list(data.columns)}")
    out = data.assign(**{col: data[col].map(_formatter(spec, lang, na)) for col, spec in formats.items()})
    return out.rename(columns=dict(labels or {}))


def ci_headers(level: float = 0.95, lang: str | None = None) -> dict[str, str]:
    """Headers of the ``ci_low`` and ``ci_high`` columns of an estimate table, for :func:`table`.

    Parameters
    ----------
    level : float, default 0.95
        The confidence level the interval was computed at (only printed).
    lang : {"fr", "en"}, optional
        None means :func:`~coanalysis.text.default_lang`.

    Returns
    -------
    dict
        ``{"ci_low": ..., "ci_high": ...}``: ``"IC 95 % bas"``, ``"IC 95 % haut"`` in French
        (narrow no-break space before ``%``), ``"95% CI low"``, ``"95% CI high"`` in English;
        the level keeps one decimal when it has one (``97,5 %``).

    Examples
    --------
    >>> ci_headers(lang="en")
    {'ci_low': '95% CI low', 'ci_high': '95% CI high'}
    >>> ci_headers(0.975, lang="en")["ci_high"]
    '97.5% CI high'
    """
    level = check_level(level)
    lang = check_lang(lang)
    shown = format_percent(level, 0 if round(100 * level, 9).is_integer() else 1, lang)
    if lang == "fr":
        return {"ci_low": f"IC {shown} bas", "ci_high": f"IC {shown} haut"}
    return {"ci_low": f"{shown} CI low", "ci_high": f"{shown} CI high"}


def published_value(published: Mapping[str, Mapping], prefix: str):
    """The ``value`` of the one published figure whose title starts with ``prefix``.

    Parameters
    ----------
    published : mapping of str to mapping
        ``{title: {"value": ..., ...}}`` (the ``published_figures`` of a survey's metadata).
    prefix : str

    Raises
    ------
    ValueError
        When no title or more than one starts with ``prefix``.

    Examples
    --------
    >>> published_value({"Proud of their job": {"value": 0.9}}, "Proud")
    0.9
    """
    keys = [k for k in published if k.startswith(prefix)]
    if len(keys) != 1:
        raise ValueError(f"{len(keys)} published figures start with {prefix!r} (expected one); "
                         f"titles: {list(published)}")
    return published[keys[0]]["value"]


# --- QCA -----------------------------------------------------------------------------------


#: The three solutions of a truth table, with their French names (tables and narrative).
SOLUTION_KINDS: dict[str, str] = {"complex": "complexe", "parsimonious": "parcimonieuse",
                                  "intermediate": "intermédiaire"}


#: What :func:`outcome_summary` writes in the solution columns when the table has no positive row.
NO_SOLUTION = "— (aucune ligne positive)"

#: English headers of the rows of :func:`outcome_summary` (their keys are the French headers).
_SUMMARY_LABELS_EN: dict[str, str] = {
    "cas": "cases", "cas hors du résultat": "cases outside the outcome", "lignes +": "rows +",
    "lignes −": "rows −", "part de restes": "share of remainders",
    **{f"solution {fr}": f"{en} solution" for en, fr in SOLUTION_KINDS.items()}}


def count_rows(tt, code: str) -> int:
    """Number of rows of truth table ``tt`` whose output is ``code`` (``"1"``, ``"0"``, ``"C"``, ``"?"``)."""
    return len(tt.configurations(code))


def three_solutions(tt, directional: Mapping[str, int], seen: list[str] | None = None) -> dict:
    """The complex, parsimonious and intermediate solutions of truth table ``tt``.

    Parameters
    ----------
    tt : TruthTable
    directional : mapping of str to int
        Directional expectations of the intermediate solution (see :func:`coanalysis.qca.minimize`).
    seen : list of str, optional
        The engine's warnings (:class:`coanalysis.qca.QCAWarning`) are appended to it, each
        message once, instead of being shown with a file path.

    Returns
    -------
    dict
        ``{"complex": Solution, "parsimonious": Solution, "intermediate": Solution}``.

    Raises
    ------
    DataError
        When the table has no positive row (from :func:`coanalysis.qca.minimize`).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", qca.QCAWarning)
        out = {"complex": qca.minimize(tt), "parsimonious": qca.minimize(tt, solution="parsimonious"),
               "intermediate": qca.minimize(tt, solution="intermediate", directional=dict(directional))}
    if seen is not None:
        seen.extend(m for m in dict.fromkeys(str(w.message) for w in caught) if m not in seen)
    return out


def model_fit_table(solution, model: int | str = 0, decimals: int = 3, lang: str | None = None) -> pd.DataFrame:
    """The fit of one model of a solution (one row per term and the model), formatted, without cases."""
    fit = solution.model_fit(model).drop(columns="cases")
    return fit.map(lambda v: format_number(v, decimals, lang))


def truth_table_view(tt, decimals: int = 3, lang: str | None = None) -> pd.DataFrame:
    """The table of truth table ``tt`` with consistency and PRI formatted."""
    return table(tt.table, formats={"consistency": decimals, "PRI": decimals}, lang=lang)


def outcome_summary(data: pd.DataFrame, outcome: str, conditions: Sequence[str], *,
                    consistency_cutoff: float, n_cutoff: int, pri_cutoff: float,
                    directional: Mapping[str, int], lang: str | None = None) -> dict:
    """One row of a sensitivity table: the truth table and the three solutions of ``data``.

    Returns
    -------
    dict
        French keys: ``cas``, ``cas hors du résultat`` (membership ≤ 0.5), ``lignes +``,
        ``lignes −``, ``part de restes`` (percent, no decimals) and ``solution <kind>`` for
        each of :data:`SOLUTION_KINDS` (models joined by " | ", or
        "— (aucune ligne positive)" when there is no solution).
    """
    tt = qca.truth_table(data, outcome=outcome, conditions=list(conditions),
                         consistency_cutoff=consistency_cutoff, n_cutoff=n_cutoff, pri_cutoff=pri_cutoff)
    row = {"cas": len(data), "cas hors du résultat": int((data[outcome] <= 0.5).sum()),
           "lignes +": count_rows(tt, "1"), "lignes −": count_rows(tt, "0"),
           "part de restes": format_percent(tt.remainder_share, 0, lang)}
    try:
        found = three_solutions(tt, directional)
        row.update({f"solution {SOLUTION_KINDS[k]}": " | ".join(s.models) for k, s in found.items()})
    except DataError:
        row.update({f"solution {name}": NO_SOLUTION for name in SOLUTION_KINDS.values()})
    return row


def outcome_summary_view(rows: pd.DataFrame, labels: Mapping[str, str] | None = None,
                         values: Mapping[str, str] | None = None, lang: str | None = None) -> pd.DataFrame:
    """A table of :func:`outcome_summary` rows ready to show in the language.

    The rows keep their French keys (the notebooks read them); in French the table is
    shown as it is, in English its headers and the no-solution mark (:data:`NO_SOLUTION`)
    are translated, with the English ``labels`` and ``values`` of the table's own columns.

    Parameters
    ----------
    rows : DataFrame
        One :func:`outcome_summary` per row, with any columns of one's own.
    labels : mapping of str to str, optional
        English headers of the columns not made by :func:`outcome_summary`.
    values : mapping of str to str, optional
        English for cell values of one's own columns (``{"tous les cas": "all cases"}``).
    lang : {"fr", "en"}, optional
        None means :func:`~coanalysis.text.default_lang`.

    Returns
    -------
    DataFrame
        A copy.

    Examples
    --------
    >>> rows = pd.DataFrame([{"variante": "tous", "cas": 3, "solution complexe": NO_SOLUTION}])
    >>> outcome_summary_view(rows, {"variante": "variant"}, {"tous": "all"}, lang="en").iloc[0].to_dict()
    {'variant': 'all', 'cases': 3, 'complex solution': '— (no positive row)'}
    """
    if check_lang(lang) == "fr":
        return rows.copy()
    shown = rows.replace({NO_SOLUTION: "— (no positive row)", **dict(values or {})})
    return shown.rename(columns={**_SUMMARY_LABELS_EN, **dict(labels or {})})


def fit_text(solution, model: int | str = 0, decimals: int = 2, lang: str | None = None) -> str:
    """Consistency and coverage of one model of a solution, in words.

    Parameters
    ----------
    solution : Solution
        From :func:`coanalysis.qca.minimize`.
    model : int or str, default 0
        The model (0-based index or its expression), as in :meth:`Solution.model_fit`.
    decimals : int, default 2
    lang : {"fr", "en"}, optional
        None means :func:`~coanalysis.text.default_lang`.

    Returns
    -------
    str
        ``"consistance 0,93, couverture 0,71"`` (English: ``"consistency 0.93, coverage 0.71"``),
        the model's row of its fit table (solution consistency and coverage, Ragin 2008).
    """
    lang = check_lang(lang)
    fit = solution.model_fit(model).iloc[-1]  # the model's own row comes after its terms'
    words = ("consistance", "couverture") if lang == "fr" else ("consistency", "coverage")
    return (f"{words[0]} {format_number(fit['consistency'], decimals, lang)}, "
            f"{words[1]} {format_number(fit['coverage'], decimals, lang)}")


def dropped_reasons(memberships: Mapping[str, object], order: Sequence[str] | None = None) -> pd.DataFrame:
    """Why each case is left out of one or more analyses, one column per analysis.

    Parameters
    ----------
    memberships : mapping of str to CaseMemberships
        One :func:`coanalysis.qca.from_casebase` result per analysis (for example per outcome),
        keyed by the column name to show.
    order : sequence of str, optional
        Case order of the rows (e.g. the case base's); cases not in it come after, in
        order of appearance. Default: order of appearance.

    Returns
    -------
    DataFrame
        Index ``case_id`` (every case dropped from at least one analysis), columns the keys
        of ``memberships`` (axis named ``outcome``), cells the ``reason`` of
        :attr:`CaseMemberships.dropped`, NA where the case is kept.
    """
    reasons = {name: cm.dropped.set_index("case_id")["reason"] for name, cm in memberships.items()}
    seen = list(dict.fromkeys(c for r in reasons.values() for c in r.index))
    if order is not None:
        rank = {c: i for i, c in enumerate(order)}
        seen.sort(key=lambda c: rank.get(c, len(rank)))  # stable: cases outside order keep theirs
    out = pd.DataFrame({name: r.reindex(seen) for name, r in reasons.items()}, index=pd.Index(seen, name="case_id"))
    return out.rename_axis(columns="outcome")


def outside_outcome(n: int, sentence: bool = True) -> str:
    """How many cases lie outside the outcome, in French.

    Examples
    --------
    >>> outside_outcome(0), outside_outcome(1), outside_outcome(3)
    ("aucun n'est hors du résultat", 'un seul est hors du résultat', '3 sont hors du résultat')
    >>> outside_outcome(0, sentence=False), outside_outcome(2, sentence=False)
    ('dont aucun hors du résultat', 'dont 2 hors du résultat')
    """
    if sentence:
        return ("aucun n'est hors du résultat" if n == 0 else "un seul est hors du résultat" if n == 1
                else f"{n} sont hors du résultat")
    return "dont aucun hors du résultat" if n == 0 else f"dont {n} hors du résultat"


# --- coder agreement (data/README.md) -------------------------------------------------------

#: The reconciled score tables and their vocabularies.
_SCORE_TABLES: dict[str, codebook.Vocabulary] = {"conditions": codebook.CONDITIONS,
                                                 "outcomes": codebook.OUTCOMES}

_INTERVAL_TEXT = {"fr": "{alpha}, IC à {confidence} {low}–{high}",
                  "en": "{alpha}, {confidence} CI {low}–{high}"}


def alpha_with_interval(row, lang: str | None = None, confidence: float = 0.95) -> str:
    """Alpha of an agreement row with its bootstrap interval, e.g. "0,91, IC à 95 % 0,88–0,94".

    Parameters
    ----------
    row : mapping
        Has ``alpha``, ``alpha_low`` and ``alpha_high`` (the ``"(all)"`` rows of
        :func:`coanalysis.agreement.coder_agreement` and ``participation_agreement``, whose
        interval is :func:`coanalysis.agreement.alpha_interval` at 95 %).
    lang : {"fr", "en"}, optional
        None means :func:`~coanalysis.text.default_lang`.
    confidence : float, default 0.95
        The level the interval was computed at (only printed).

    Returns
    -------
    str
        "—" when alpha is undefined, alpha alone when the interval is.

    Examples
    --------
    >>> alpha_with_interval({"alpha": 0.912, "alpha_low": 0.88, "alpha_high": 0.94}, "en")
    '0.91, 95% CI 0.88–0.94'
    """
    lang = check_lang(lang)
    if pd.isna(row["alpha"]):
        return "—"
    alpha = format_number(row["alpha"], 2, lang=lang)
    if pd.isna(row["alpha_low"]) or pd.isna(row["alpha_high"]):
        return alpha
    return _INTERVAL_TEXT[lang].format(alpha=alpha, confidence=format_percent(confidence, 0, lang=lang),
                                       low=format_number(row["alpha_low"], 2, lang=lang),
                                       high=format_number(row["alpha_high"], 2, lang=lang))


def _alpha(r, lang: str) -> str:
    return "—" if pd.isna(r["alpha"]) else format_number(r["alpha"], 2, lang=lang)


def _share(v, lang: str) -> str:
    return "—" if pd.isna(v) else format_percent(v, 0, lang=lang)


_PARTICIPATION_TEXT = {
    "fr": {
        "bullet": "- **niveaux de participation** (alpha ordinal) : α = {alpha} ({units} unités cas × "
                  "acteur × étape, {pair} notées par les deux codeurs, {na_some} niveau contre NA ; "
                  "accord exact {exact}, à un niveau près {within}).",
        "header": "| Acteur ou étape | Unités notées par les deux | Niveau contre NA | Accord exact | "
                  "À un niveau près | α ordinal |",
        "total": "Tous les niveaux",
    },
    "en": {
        "bullet": "- **participation levels** (ordinal alpha): α = {alpha} ({units} case × actor × "
                  "stage units, {pair} scored by both coders, {na_some} a level against NA; exact "
                  "agreement {exact}, within one level {within}).",
        "header": "| Actor or stage | Units scored by both | Level against NA | Exact agreement | "
                  "Within one level | ordinal α |",
        "total": "All levels",
    },
}


def participation_markdown(table: pd.DataFrame, lang: str | None = None) -> str:
    """The participation agreement of ``data/README.md`` as Markdown.

    Parameters
    ----------
    table : DataFrame
        The output of :func:`coanalysis.agreement.participation_agreement`.
    lang : {"fr", "en"}, optional
        None means :func:`~coanalysis.text.default_lang`.

    Returns
    -------
    str
        One bullet (alpha with its 95 % bootstrap interval, see :func:`alpha_with_interval`),
        then one row per actor, per stage and overall (codebook labels); "—" where undefined.
    """
    lang = check_lang(lang)
    text = _PARTICIPATION_TEXT[lang]
    overall = table[table["by"] == "(all)"].iloc[0]
    lines = [text["bullet"].format(alpha=alpha_with_interval(overall, lang), units=int(overall["n_units"]),
                                   pair=int(overall["n_pairable"]), na_some=int(overall["n_na_some"]),
                                   exact=_share(overall["exact"], lang),
                                   within=_share(overall["within_one"], lang)),
             "", text["header"], "|---|---:|---:|---:|---:|---:|"]
    vocab = {"actor": codebook.ACTORS, "stage": codebook.STAGES}
    for _, r in table.iterrows():
        label = (f"**{text['total']}**" if r["by"] == "(all)"
                 else f"{vocab[r['by']].label(r['variable'], lang)} (`{r['variable']}`)")
        lines.append(f"| {label} | {int(r['n_pairable'])} | {int(r['n_na_some'])} | "
                     f"{_share(r['exact'], lang)} | {_share(r['within_one'], lang)} | {_alpha(r, lang)} |")
    return "\n".join(lines)


_README_TEXT = {
    "fr": {
        "table": {"conditions": "conditions", "outcomes": "résultats"},
        "bullet": "- **{label}** : α = {alpha} ({units} unités, {pair} notées par les deux codeurs, "
                  "accord exact {exact}) ;",
        "overall": "- ensemble : α = {alpha} ; {disagree} désaccords sur {units} unités "
                   "({different} scores différents, {na_some} score contre NA).",
        "header": "| Variable | Cas codés par les deux | Score contre NA | Accord exact | α |",
        "total": {"conditions": "Toutes les conditions", "outcomes": "Tous les résultats",
                  "(all)": "Ensemble"},
    },
    "en": {
        "table": {"conditions": "conditions", "outcomes": "outcomes"},
        "bullet": "- **{label}**: α = {alpha} ({units} units, {pair} scored by both coders, "
                  "exact agreement {exact});",
        "overall": "- overall: α = {alpha}; {disagree} disagreements out of {units} units "
                   "({different} different scores, {na_some} a score against NA).",
        "header": "| Variable | Cases scored by both | Score against NA | Exact agreement | α |",
        "total": {"conditions": "All conditions", "outcomes": "All outcomes",
                  "(all)": "Overall"},
    },
}


def agreement_markdown(agreement: pd.DataFrame, lang: str | None = None) -> str:
    """The agreement figures and per-variable table of ``data/README.md``, as Markdown.

    Parameters
    ----------
    agreement : DataFrame
        The output of :func:`coanalysis.agreement.coder_agreement` on the conditions and
        outcomes codings.
    lang : {"fr", "en"}, optional
        Language of the labels (codebook labels of the variables); None means
        :func:`~coanalysis.text.default_lang`.

    Returns
    -------
    str
        One bullet per table and one overall (alpha with its 95 % bootstrap
        interval, see :func:`alpha_with_interval`, units, units scored by both
        coders, exact agreement; disagreements = different scores + score against
        NA), then a table with one row per variable, per table and overall:
        units scored by both coders (``n_pairable``), score against NA
        (``n_na_some``), exact agreement (``exact``) and alpha; "—" where undefined.
    """
    lang = check_lang(lang)
    text = _README_TEXT[lang]
    rows = agreement.set_index(["table", "variable"])
    lines = []
    for name in _SCORE_TABLES:
        r = rows.loc[(name, "(all)")]
        lines.append(text["bullet"].format(label=text["table"][name], alpha=alpha_with_interval(r, lang),
                                           units=int(r["n_units"]), pair=int(r["n_pairable"]),
                                           exact=_share(r["exact"], lang)))
    r = rows.loc[("(all)", "(all)")]
    different = int(r["n_pairable"] - r["n_exact"])
    lines.append(text["overall"].format(alpha=alpha_with_interval(r, lang),
                                        disagree=different + int(r["n_na_some"]),
                                        units=int(r["n_units"]), different=different,
                                        na_some=int(r["n_na_some"])))
    lines += ["", text["header"], "|---|---:|---:|---:|---:|"]
    for (name, variable), r in rows.iterrows():
        if variable == "(all)":
            label = f"**{text['total'][name]}**"
        else:
            label = f"{_SCORE_TABLES[name].label(variable, lang)} (`{variable}`)"
        lines.append(f"| {label} | {int(r['n_pairable'])} | {int(r['n_na_some'])} | "
                     f"{_share(r['exact'], lang)} | {_alpha(r, lang)} |")
    return "\n".join(lines)

