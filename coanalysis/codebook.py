"""The vocabularies of the coding scheme, with French and English labels.

Single source of truth for loaders, metrics and figures: actors, stages,
participation levels, conditions (with the study's four key principles),
outcomes, fuzzy-score values, corpora. Each vocabulary is an ordered
:class:`Vocabulary` of :class:`Term` (slug, French label, English label).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Literal, Sequence

import pandas as pd

Lang = Literal["fr", "en"]

__all__ = [
    "Term",
    "Vocabulary",
    "ACTORS",
    "STAGES",
    "LEVELS",
    "CONDITIONS",
    "PRINCIPLES",
    "OUTCOMES",
    "CORPORA",
    "COLLECTIVITY_TYPES",
    "DOMAINS",
    "FUZZY_SCORES",
    "CLASSIC_CHAIN",
    "VOCABULARIES",
    "check_lang",
]


def check_lang(lang: str) -> Lang:
    """Return ``lang`` if it is ``"fr"`` or ``"en"``; raise a clear ValueError otherwise."""
    if lang not in ("fr", "en"):
        raise ValueError(f"lang must be 'fr' or 'en', got {lang!r}")
    return lang  # type: ignore[return-value]


@dataclass(frozen=True)
class Term:
    """One value of a vocabulary: its slug (stored in data) and its labels."""

    slug: str
    fr: str
    en: str
    description: str = ""

    def label(self, lang: Lang = "fr") -> str:
        return self.fr if check_lang(lang) == "fr" else self.en


class Vocabulary(Sequence[Term]):
    """An ordered vocabulary of terms.

    >>> ACTORS.slugs[:2]
    ('usagers', 'agents')
    >>> ACTORS.label("elus", "en")
    'Elected officials'
    """

    def __init__(self, name: str, terms: Sequence[Term]):
        self.name = name
        self._terms = tuple(terms)
        self._by_slug = {t.slug: t for t in self._terms}
        if len(self._by_slug) != len(self._terms):
            raise ValueError(f"duplicate slug in vocabulary {name!r}")

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, str):
            try:
                return self._by_slug[i]
            except KeyError:
                raise KeyError(f"{i!r} is not a {self.name}; expected one of {self.slugs}") from None
        return self._terms[i]

    def __len__(self) -> int:
        return len(self._terms)

    def __iter__(self) -> Iterator[Term]:
        return iter(self._terms)

    def __contains__(self, slug: object) -> bool:
        return slug in self._by_slug

    def __repr__(self) -> str:
        return f"Vocabulary({self.name!r}: {', '.join(self.slugs)})"

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(t.slug for t in self._terms)

    def labels(self, lang: Lang = "fr") -> tuple[str, ...]:
        """Labels in vocabulary order, in French (default) or English."""
        return tuple(t.label(lang) for t in self._terms)

    def label(self, slug: str, lang: Lang = "fr") -> str:
        """The label of one slug."""
        return self[slug].label(lang)

    def mapping(self, lang: Lang = "fr") -> dict[str, str]:
        """``{slug: label}`` in vocabulary order."""
        return {t.slug: t.label(lang) for t in self._terms}

    def dtype(self) -> pd.CategoricalDtype:
        """Ordered categorical dtype over the slugs."""
        return pd.CategoricalDtype(list(self.slugs), ordered=True)

    def categorical(self, values, lang: Lang | None = None) -> pd.Categorical:
        """Ordered categorical of ``values`` (slugs); with ``lang``, categories are labels."""
        cat = pd.Categorical(values, dtype=self.dtype())
        if lang is not None:
            cat = cat.rename_categories(list(self.labels(lang)))
        return cat

    def table(self) -> pd.DataFrame:
        """The vocabulary as a DataFrame (slug, fr, en, description)."""
        return pd.DataFrame(
            [(t.slug, t.fr, t.en, t.description) for t in self._terms],
            columns=["slug", "fr", "en", "description"],
        )


ACTORS = Vocabulary(
    "actor",
    [
        Term("usagers", "Usagers et habitants", "Users and residents",
             "people the service is for, inhabitants, their collectives"),
        Term("agents", "Agents de terrain", "Front-line agents",
             "staff in contact with users, executing the service"),
        Term("encadrement", "Encadrement et décideurs administratifs",
             "Managers and administrative decision-makers",
             "team leaders, heads of service, directors, DGS"),
        Term("elus", "Élus", "Elected officials", "mayor, president, vice-presidents, councillors"),
        Term("partenaires", "Partenaires", "Partners",
             "associations, other public bodies, para-public operators, companies"),
        Term("tiers", "Tiers experts", "Outside experts",
             "designers, researchers, consultants, students brought in for the method"),
    ],
)

STAGES = Vocabulary(
    "stage",
    [
        Term("diagnostic", "Diagnostic", "Diagnosis"),
        Term("conception", "Conception", "Design"),
        Term("experimentation", "Expérimentation", "Testing"),
        Term("decision", "Décision", "Decision"),
        Term("mise_en_oeuvre", "Mise en œuvre", "Implementation"),
        Term("evaluation", "Évaluation", "Evaluation"),
    ],
)

#: Participation levels after the IAP2 spectrum; slugs are the integers as strings.
LEVELS = Vocabulary(
    "level",
    [
        Term("0", "Absent", "Absent", "takes no part at this stage"),
        Term("1", "Informer", "Inform", "is told what is decided"),
        Term("2", "Consulter", "Consult", "gives an opinion that may or may not be used"),
        Term("3", "Impliquer", "Involve", "works alongside; input visibly shapes the options"),
        Term("4", "Collaborer", "Collaborate", "builds the solution as a partner"),
        Term("5", "Décider", "Empower", "holds the final choice"),
    ],
)

#: Level from which an actor counts as involved at a stage ("impliquer").
INVOLVE_LEVEL = 3

PRINCIPLES = Vocabulary(
    "principle",
    [
        Term("experimenter", "Expérimenter", "Experiment",
             "a test or prototype phase came before any generalisation"),
        Term("formaliser_evaluer", "Formaliser et évaluer", "Formalise and evaluate",
             "the method is written down and the results were evaluated"),
        Term("dialogue_former", "Créer des espaces de dialogue et former",
             "Create spaces for dialogue and train",
             "lasting spaces for dialogue, and training of agents or users"),
        Term("transversalite", "Favoriser la transversalité", "Foster cross-cutting work",
             "a cross-service or multi-partner team carried it"),
    ],
)

CONDITIONS = Vocabulary(
    "condition",
    [
        Term("portage_politique", "Portage politique fort", "Strong political sponsorship",
             "an elected executive publicly owns it, funds it, puts it in the mandate"),
        Term("portage_administratif", "Portage administratif fort",
             "Strong administrative sponsorship",
             "the DGS or a director sponsors it, with a team, time or a budget"),
        Term("confiance_agents", "Climat d'écoute et de confiance envers les agents",
             "Trust in and listening to agents",
             "agents' proposals are asked for and acted on; latitude given"),
        Term("ruptures_reduites", "Ruptures hiérarchiques réduites", "Fewer hierarchical breaks",
             "users or field agents speak directly to decision-makers"),
        Term("expertise_partagee", "Expertise partagée", "Shared expertise",
             "experts and services share knowledge; users' lived expertise counts"),
        Term("pouvoir_reparti", "Pouvoir mieux réparti", "Power better shared",
             "users or agents hold part of the decision"),
        Term("organisation_ajustee", "Organisation ajustée", "Adjusted organisation",
             "structures or processes were changed because of the experiment"),
        Term("politique_rh", "Politique RH adaptée", "Adapted HR policy",
             "training, roles, recognition built into HR"),
        Term("innovation_sociale", "Innovation sociale", "Social innovation",
             "civil-society actors co-produce a new social answer"),
        *PRINCIPLES,
    ],
)

OUTCOMES = Vocabulary(
    "outcome",
    [
        Term("adaptation_service", "Adaptation du service", "Service adapted",
             "the service changed in response to users"),
        Term("perennisation", "Pérennisation", "Lasting beyond the pilot",
             "it outlived the pilot"),
        Term("bien_etre_agents", "Bien-être des agents", "Agents' well-being",
             "agents report more meaning, recognition or well-being at work"),
        Term("satisfaction_usagers", "Satisfaction des usagers", "Users' satisfaction",
             "measured or reported improvement for users"),
        Term("maitrise_budgetaire", "Maîtrise budgétaire", "Budget control",
             "done within budget constraints, or saving money"),
    ],
)

CORPORA = Vocabulary(
    "corpus",
    [
        Term("ost2019", "Cas de l'étude OST 2019", "OST 2019 study cases"),
        Term("comparables", "Expériences comparables", "Comparable experiments"),
    ],
)

COLLECTIVITY_TYPES = Vocabulary(
    "collectivity_type",
    [
        Term("commune", "Commune", "Municipality"),
        Term("epci", "Intercommunalité (EPCI)", "Inter-municipal body (EPCI)",
             "a public body grouping municipalities: métropole, communauté urbaine, d'agglomération..."),
        Term("departement", "Département", "Département (county)"),
        Term("region", "Région", "Region"),
        Term("multi_niveaux", "Plusieurs niveaux", "Several levels",
             "a programme or partnership spanning several kinds of local authority"),
    ],
)

DOMAINS = Vocabulary(
    "domain",
    [
        Term("budget_participatif", "Budget participatif", "Participatory budgeting"),
        Term("democratie_locale", "Démocratie locale", "Local democracy",
             "councils, votes, assemblies, consultation of residents"),
        Term("urbanisme_environnement", "Urbanisme et environnement", "Planning and environment"),
        Term("emploi_insertion", "Emploi et insertion", "Employment and social integration"),
        Term("droits_sociaux", "Droits sociaux", "Social rights",
             "access to benefits and social support"),
        Term("qualite_service", "Qualité du service public", "Public service quality",
             "users' and agents' views used to improve a service"),
        Term("innovation_publique", "Innovation publique", "Public innovation",
             "innovation labs, design methods applied to public services"),
    ],
)

#: The four admissible fuzzy scores of the codebook (0.5 is excluded on purpose).
FUZZY_SCORES: tuple[float, ...] = (0.0, 0.33, 0.67, 1.0)

#: The classic hierarchical chain every information circuit is compared with.
CLASSIC_CHAIN: tuple[str, ...] = ("usagers", "agents", "encadrement", "elus")

VOCABULARIES: dict[str, Vocabulary] = {
    v.name: v for v in (ACTORS, STAGES, LEVELS, CONDITIONS, PRINCIPLES, OUTCOMES, CORPORA,
              COLLECTIVITY_TYPES, DOMAINS)
}
