"""The bilingual words of the interface: legends, axis titles, table headers and summary words
that figures, tables and results print. Each entry is ``(French, English)``; :func:`word` picks
one. Words holding ``{name}`` fields are templates, filled by the caller with ``str.format``.

French puts a no-break space (U+00A0) before ":" and ";", so that they never start a line, and
uses the codebook's straight apostrophe.

Examples
--------
>>> word("na_legend", "en")
'NA: not documented'
>>> word("run_number", "fr").format(2)
'réglage 2'
"""

from __future__ import annotations

from ..text import Lang, pick

__all__ = ["WORDS", "word"]

#: ``{key: (French, English)}``.
WORDS: dict[str, tuple[str, str]] = {
    # --- every figure
    "na_legend": ("NA\u00a0: non documenté", "NA: not documented"),
    "n_cases": ("Nombre de cas", "Number of cases"),
    # --- case-base figures: axis and legend titles
    "actor": ("Acteur", "Actor"),
    "stage": ("Étape", "Stage"),
    "participation_level": ("Niveau de participation", "Participation level"),
    "membership_score": ("Score d'appartenance", "Membership score"),
    "key_principles": ("Principes clés", "Key principles"),
    "na_rate": ("Part de valeurs NA", "Share of NA values"),
    "profile_distance": ("Distance entre profils (0 = identiques)",
                         "Distance between profiles (0 = identical)"),
    "merge_height": ("Hauteur de fusion", "Merge height"),
    # --- circuit diagrams
    "direct_channel": ("Canal direct (court-circuite la chaîne)", "Direct channel (skips the chain)"),
    "chain_channel": ("Canal via la chaîne", "Channel along the chain"),
    "classic_chain": ("Chaîne classique (référence)", "Classic chain (reference)"),
    "voice_to": ("usagers → {target}\u00a0: {value} (chaîne\u00a0: {classic})",
                 "users → {target}: {value} (chain: {classic})"),
    "no_path": ("aucun chemin", "no path"),
    "no_flow": ("aucun flux documenté", "no documented flow"),
    # the short names of the decision-makers a voice distance reaches
    "voice_target_agents": ("agents", "agents"),
    "voice_target_encadrement": ("encadrement", "managers"),
    "voice_target_elus": ("élus", "elected officials"),
    # --- QCA figures
    "term_in_all_models": ("Terme présent dans tous les modèles", "Term in every model"),
    "term_in_some_models": ("Présent dans une partie des modèles", "In some of the tied models"),
    "term_absent": ("Absent de la solution", "Not in the solution"),
    "run_without_solution": ("NA\u00a0: aucune solution (aucune ligne positive)",
                             "NA: no solution (no positive row)"),
    "robustness_run": ("Réglage (seuils)", "Setting (cut-offs)"),
    "term": ("Terme", "Term"),
    # a codebook set is named inside the sentence: "Appartenance à « pérennisation »"
    "membership_in_set": ("Appartenance à « {} »", "Membership in “{}”"),
    "membership_in": ("Appartenance à {}", "Membership in {}"),
    # --- QCA results: the case base's summary and the robustness runs
    "dropped_case": ("écarté {case}\u00a0: {reason}", "dropped {case}: {reason}"),
    "nested_case": ("non indépendant\u00a0: {case} fait partie de {parent}",
                    "not independent: {case} is part of {parent}"),
    "drop_reason": ("NA ou non codé\u00a0: {}", "NA or not coded: {}"),
    "run_number": ("réglage {}", "run {}"),
    "no_pri": ("sans PRI", "no PRI"),
    # --- the loaded case base (CaseBase.title)
    "casebase_title": ("Base de cas\u00a0: {n} cas ({by_corpus})", "Case base: {n} cases ({by_corpus})"),
    # --- survey results
    "survey_quantiles": ("quantiles de {column}", "quantiles of {column}"),
    "weighted_crosstab": ("tableau pondéré de {row} par {column}", "weighted table of {row} by {column}"),
    "rao_scott_test": ("test d'indépendance de Rao-Scott ({statistic})",
                       "Rao-Scott test of independence ({statistic})"),
    # --- QCA results: theory evaluation (T = the theory, S = the solution, Y = the outcome)
    "theory_evaluation_title": ("Théorie {theory} contre la solution {model} (résultat {outcome})",
                                "Theory {theory} against the solution {model} (outcome {outcome})"),
    "theory_ts": ("T·S, couverts et attendus par la théorie : {n_in} cas avec le résultat, "
                  "{n_out} sans (ceux-ci contredisent la théorie et la solution)",
                  "T·S, covered and expected by the theory: {n_in} case(s) with the outcome, "
                  "{n_out} without (these contradict theory and solution)"),
    "theory_tns": ("T·~S, attendus par la théorie, non couverts : {n_in} cas avec le résultat "
                   "(la théorie les explique, pas la solution), {n_out} sans (la théorie y échoue)",
                   "T·~S, expected by the theory, not covered: {n_in} case(s) with the outcome "
                   "(the theory explains them, the solution does not), {n_out} without (the theory "
                   "fails there)"),
    "theory_nts": ("~T·S, couverts, non attendus par la théorie : {n_in} cas avec le résultat "
                   "(la solution va au-delà de la théorie), {n_out} sans",
                   "~T·S, covered, not expected by the theory: {n_in} case(s) with the outcome "
                   "(the solution goes beyond the theory), {n_out} without"),
    "theory_ntns": ("~T·~S, ni attendus ni couverts : {n_in} cas avec le résultat (ni la "
                    "théorie ni la solution ne les expliquent), {n_out} sans",
                    "~T·~S, neither expected nor covered: {n_in} case(s) with the outcome "
                    "(neither theory nor solution explains them), {n_out} without"),
    "theory_half_note": ("un cas est dans une intersection au-dessus de 0,5 ; un résultat à "
                         "0,5 exactement n'est compté ni avec ni sans",
                         "a case is in an intersection above 0.5; an outcome of exactly 0.5 is "
                         "counted neither with nor without"),
    # --- QCA results: case typology per solution term (Schneider & Rohlfing 2013)
    "case_typology_title": ("Types de cas de la solution {model} (résultat {outcome})",
                            "Case types of the solution {model} (outcome {outcome})"),
    "case_typical": ("typique", "typical"),
    "case_deviant_consistency": ("déviant en consistance", "deviant in consistency"),
    "case_deviant_coverage": ("déviant en couverture", "deviant in coverage"),
    "case_individually_irrelevant": ("individuellement non pertinent", "individually irrelevant"),
    "case_type_count": ("{label} : {n} cas", "{label}: {n} case(s)"),
    "case_typology_rule": (
        "typique : terme > 0,5, résultat > 0,5, terme ≤ résultat ; déviant en consistance : "
        "terme > 0,5, résultat < 0,5 ; déviant en couverture : solution < 0,5, résultat > 0,5 ; "
        "non pertinent : solution < 0,5, résultat < 0,5",
        "typical: term > 0.5, outcome > 0.5, term ≤ outcome; deviant in consistency: term > 0.5, "
        "outcome < 0.5; deviant in coverage: solution < 0.5, outcome > 0.5; individually "
        "irrelevant: solution < 0.5, outcome < 0.5"),
    # --- exported figures
    "simulated_data": ("Données simulées", "Simulated data"),
    "yes": ("oui", "yes"),
    "no": ("non", "no"),
    # --- tables handed over as spreadsheets (coanalysis.tables): headers, rows under the table
    "table_estimate": ("Estimation", "Estimate"),
    "table_share": ("Part", "Share"),
    "table_se": ("Erreur type", "Standard error"),
    "table_n_unweighted": ("n (non pondéré)", "n (unweighted)"),
    "table_n_weighted": ("n pondéré", "Weighted n"),
    "table_p_value": ("Valeur p", "p-value"),
    "table_df": ("Degrés de liberté", "Degrees of freedom"),
    "table_item": ("Question", "Item"),
    "table_category": ("Réponse", "Answer"),
    "table_users": ("Usagers", "Users"),
    "table_agents": ("Agents", "Agents"),
    "table_gap": ("Écart", "Gap"),
    "table_n_users": ("n usagers (non pondéré)", "n users (unweighted)"),
    "table_n_agents": ("n agents (non pondéré)", "n agents (unweighted)"),
    "table_coef": ("Coefficient", "Coefficient"),
    "table_odds_ratio": ("Rapport de cotes", "Odds ratio"),
    "table_level": ("Niveau de confiance", "Confidence level"),
    "table_method": ("Méthode de l'intervalle", "Interval method"),
    "table_source": ("Source\u00a0: {}", "Source: {}"),
    "table_note": ("Note\u00a0: {}", "Note: {}"),
}


def word(key: str, lang: Lang | None = None) -> str:
    """The interface word ``key`` in ``lang`` (default: :func:`coanalysis.default_lang`).

    Raises
    ------
    KeyError
        When ``key`` is not in :data:`WORDS` (the message lists the known keys).
    ValueError
        When ``lang`` is neither ``"fr"``, ``"en"`` nor None.
    """
    try:
        fr, en = WORDS[key]
    except KeyError:
        raise KeyError(f"{key!r} is not an interface word; known: {sorted(WORDS)}") from None
    return pick(fr, en, lang)
