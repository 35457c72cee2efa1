"""The vocabularies of the coding scheme, with French and English labels.

Single source of truth for loaders, metrics and figures: actors, stages,
participation levels, conditions (with the study's four key principles),
outcomes, fuzzy-score values, corpora, kinds of local authority, policy domains
and the channels of the information circuits. Each vocabulary is an ordered
:class:`Vocabulary` of :class:`Term` (slug, French label, English label).
"""

from __future__ import annotations

from ..text import check_lang, lower_first
from .terms import Term, Vocabulary

__all__ = [
    "ACTORS",
    "STAGES",
    "LEVELS",
    "CONDITIONS",
    "PRINCIPLES",
    "OUTCOMES",
    "CORPORA",
    "COLLECTIVITY_TYPES",
    "DOMAINS",
    "CHANNELS",
    "FUZZY_SCORES",
    "CLASSIC_CHAIN",
    "VOCABULARIES",
    "INVOLVE_LEVEL",
    "classic_hops",
    "set_label",
]



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

#: Channels of the information circuits (``flows.channel``): the device through which
#: information goes from one actor type to another. Grouped: listening to users, working
#: together, standing bodies, open public expression, reporting to decision-makers and back.
CHANNELS = Vocabulary(
    "channel",
    [
        Term("enquete_terrain", "Enquête de terrain", "Field survey",
             "observation and interviews of users where the service is delivered"),
        Term("immersion", "Immersion", "Immersion",
             "outsiders spend time inside a site to watch users and agents at work"),
        Term("entretien", "Entretien", "Interview",
             "individual or group interviews with users or agents"),
        Term("aller_vers", "Aller-vers", "Outreach",
             "agents go out to meet people where they live instead of waiting for them"),
        Term("permanence", "Permanence", "Drop-in session",
             "agents hold regular open hours in a place people already use"),
        Term("mediation_pair", "Médiation par un pair", "Peer mediation",
             "a person with lived experience relays between users and the institution"),
        Term("orientation", "Orientation par les partenaires", "Referral by partners",
             "partner organisations send the people concerned to the service"),
        Term("bus_questionnaire", "Bus itinérant et questionnaire", "Mobile bus and questionnaire",
             "a mobile stand touring the area collects residents' views with a game or a questionnaire"),
        Term("questionnaire", "Questionnaire", "Questionnaire",
             "a one-off questionnaire open to residents"),
        Term("enquete_satisfaction", "Enquête de satisfaction", "Satisfaction survey",
             "users are asked how satisfied they are with a service"),
        Term("barometre", "Baromètre", "Barometer",
             "a repeated measure of quality or satisfaction, compared over time and across services"),
        Term("panel", "Panel d'usagers", "User panel",
             "a standing sample of users questioned repeatedly"),
        Term("personas", "Personas", "Personas",
             "users' situations and irritants shown through fictional but documented profiles"),
        Term("dispositif_dialogue", "Dispositif de dialogue", "Dialogue device",
             "an object or set-up built to capture users' feelings on the spot"),
        Term("saynete", "Saynète", "Short play",
             "agents act out short scenes in public to test ideas with users"),
        Term("atelier", "Atelier", "Workshop",
             "a working session where different actors design or decide together"),
        Term("seminaire", "Séminaire", "Seminar",
             "a collective session, here run without hierarchy, to share views"),
        Term("equipe_pluridisciplinaire", "Équipe pluridisciplinaire", "Multidisciplinary team",
             "users sit with professionals of several services in the team that handles their case"),
        Term("recherche_action", "Recherche-action", "Action research",
             "researchers work with field staff and feed their knowledge to decision-makers"),
        Term("formation", "Formation", "Training",
             "one actor passes methods or knowledge on to another"),
        Term("comite_pilotage", "Comité de pilotage", "Steering committee",
             "a multi-actor committee that sets the strategy of the experiment"),
        Term("comite_suivi", "Comité de suivi", "Follow-up committee",
             "a committee that monitors the process or its delivery (ballot list, works)"),
        Term("commission_mixte", "Commission mixte", "Mixed committee",
             "residents sit with elected members and staff to review and select projects"),
        Term("commission_participative", "Commission participative", "Participatory commission",
             "residents' commissions and action groups prepare options for the council"),
        Term("conseil_participatif", "Conseil participatif", "Participatory council",
             "residents and councillors deliberate together on one project"),
        Term("conseil_consultatif", "Conseil consultatif", "Advisory council",
             "users and elected members meet in a standing body that gives opinions"),
        Term("conseil_quartier", "Conseil de quartier", "Neighbourhood council",
             "a neighbourhood body addresses requests to the municipality"),
        Term("jury_citoyen", "Jury citoyen", "Citizens' jury",
             "randomly drawn residents settle a choice"),
        Term("conference_citoyenne", "Conférence citoyenne", "Citizens' conference",
             "a panel of residents hears evidence and gives an opinion before a decision"),
        Term("assemblee", "Assemblée", "Assembly",
             "users and staff of a site meet with representatives of the executive"),
        Term("reunion_publique", "Réunion publique", "Public meeting",
             "a meeting open to all residents"),
        Term("grand_debat", "Grand débat", "Public debate",
             "a large debate combining online contributions, a citizens' committee and a commission"),
        Term("audition", "Audition", "Hearing",
             "stakeholders are heard by the body that writes the recommendations"),
        Term("plateforme_numerique", "Plateforme numérique", "Online platform",
             "residents comment or propose online"),
        Term("depot_projets", "Dépôt de projets", "Project submission",
             "residents file proposals that the services assess"),
        Term("petition", "Pétition", "Petition",
             "residents' signatures put a topic before the council"),
        Term("vote", "Vote", "Vote",
             "residents vote and the result binds or guides the decision"),
        Term("convention", "Convention", "Agreement",
             "residents and the authority sign an agreement on a shared project"),
        Term("charte", "Charte", "Charter",
             "a text signed by local actors is adopted by the council"),
        Term("remontee_hierarchique", "Remontée hiérarchique", "Upward reporting",
             "information goes up one rung of the line management, as in the classic chain"),
        Term("restitution", "Restitution", "Report-back",
             "results are presented to decision-makers or participants"),
        Term("avis_scientifique", "Avis scientifique", "Scientific opinion",
             "a panel of scientists reports before a consultation or a decision"),
        Term("proposition_labo", "Proposition du laboratoire", "Lab proposal",
             "an in-house innovation lab submits a proposal to management"),
        Term("instruction", "Instruction par les services", "Review by the services",
             "services examine recommendations before the authority commits"),
        Term("pilotage", "Pilotage par les résultats", "Management by results",
             "managers use measured results to steer teams"),
        Term("mobilisation_hierarchique", "Mobilisation par l'encadrement", "Mobilisation by managers",
             "managers ask their staff to take part"),
        Term("communication", "Communication", "Communication",
             "the authority informs the public of results"),
        Term("documentation_ouverte", "Documentation ouverte", "Open documentation",
             "work is published openly (blog, exhibitions)"),
    ],
)

#: The four admissible fuzzy scores of the codebook (0.5 is excluded on purpose).
FUZZY_SCORES: tuple[float, ...] = (0.0, 0.33, 0.67, 1.0)

#: The classic hierarchical chain every information circuit is compared with.
CLASSIC_CHAIN: tuple[str, ...] = ("usagers", "agents", "encadrement", "elus")

VOCABULARIES: dict[str, Vocabulary] = {
    v.name: v for v in (ACTORS, STAGES, LEVELS, CONDITIONS, PRINCIPLES, OUTCOMES, CORPORA,
              COLLECTIVITY_TYPES, DOMAINS, CHANNELS)
}


def classic_hops(target: str, source: str = "usagers") -> int | None:
    """Hops from ``source`` to ``target`` along the classic chain usagers → agents → encadrement → elus.

    Parameters
    ----------
    target : str
        An actor slug of the codebook.
    source : str, default "usagers"
        An actor slug of the codebook.

    Returns
    -------
    int or None
        :math:`\\mathrm{pos}(t) - \\mathrm{pos}(s)` for positions on
        :data:`coanalysis.codebook.CLASSIC_CHAIN`; None when either actor is off
        the chain (partners, outside experts) or ``target`` comes before ``source``.

    Notes
    -----
    The single place where the reference distance of the classic hierarchical
    chain is computed: :func:`voice_distance` and
    :func:`coanalysis.figures.circuit_diagram` both use it.

    References
    ----------
    OST/MNT (2019). *Élaborer les politiques publiques avec les usagers et les
    agents*, Les cahiers de l'Observatoire social territorial n°22 (the chain
    from users to decision-makers that co-construction shortens).

    Examples
    --------
    >>> classic_hops("elus"), classic_hops("encadrement"), classic_hops("partenaires")
    (3, 2, None)
    """
    for name, actor in (("source", source), ("target", target)):
        if actor not in ACTORS:
            raise ValueError(f"{name}: {actor!r} is not an actor of the codebook "
                             f"({', '.join(ACTORS.slugs)})")
    chain = list(CLASSIC_CHAIN)
    if source not in chain or target not in chain or chain.index(target) < chain.index(source):
        return None
    return chain.index(target) - chain.index(source)


def set_label(name: str, lang: str | None = None) -> str | None:
    """Codebook label of a condition or outcome slug (``~`` for negation), written for use mid-sentence.

    Parameters
    ----------
    name : str
        A condition or outcome slug, optionally prefixed with ``~``.
    lang : {"fr", "en"}

    Returns
    -------
    str or None
        The label with its first letter in lower case (acronyms kept), with
        "non " / "not " before a negated set; None when ``name`` is not a
        codebook slug (a model expression such as ``"A*B"``).

    Examples
    --------
    >>> set_label("perennisation"), set_label("~portage_politique", "en")
    ('pérennisation', 'not strong political sponsorship')
    >>> set_label("A*B") is None
    True
    """
    lang = check_lang(lang)
    neg = name.startswith("~")
    slug = name[1:] if neg else name
    for vocab in (CONDITIONS, OUTCOMES):
        if slug in vocab:
            label = lower_first(vocab.label(slug, lang))
            return ("non " if lang == "fr" else "not ") + label if neg else label
    return None
