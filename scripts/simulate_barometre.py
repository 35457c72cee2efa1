"""Generate the SIMULATED users-and-agents satisfaction barometer (two waves, stratified sample).

There is no public microdata of the Pays Voironnais barometer: this file only illustrates the
method. Users' satisfaction rates are calibrated on published national figures (listed in the
metadata with their sources; the waste figures come from a survey on cleanliness and serve as a
proxy); the agents' view, the change between waves (users' and agents'), the mapping of the
published figures to zones and the sample design are stated assumptions. Run from the repository root:

    .venv/bin/python scripts/simulate_barometre.py

Writes data/surveys/barometre_usagers_agents_simule.csv (French CSV: ';', decimal comma, UTF-8
with BOM), barometre_marges_simule.csv (raking margins) and barometre_usagers_agents_simule.json.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import norm

sys.path.insert(0, str(Path(__file__).resolve().parent))
from simulate_common import write_simulated  # noqa: E402

SEED = 20190522
OUT = Path(__file__).resolve().parent.parent / "data" / "surveys"
NAME = "barometre_usagers_agents_simule"

#: Published users' satisfaction (share satisfied) used to set each service's level.
PUBLISHED = [
    {"service": "svc_eau", "figure": "Satisfied with water and sanitation (municipal service)",
     "value": 0.78, "survey": "Public Evaluation System / OpinionWay barometer (year not shown)",
     "source": "https://banquedesterritoires.fr/les-francais-globalement-satisfaits-de-leurs-services-publics-locaux"},
    {"service": "svc_sport", "figure": "Satisfied with sports facilities", "value": 0.71,
     "survey": "Public Evaluation System / OpinionWay barometer (year not shown)",
     "source": "https://banquedesterritoires.fr/les-francais-globalement-satisfaits-de-leurs-services-publics-locaux"},
    {"service": "svc_circulation", "figure": "Satisfied with traffic and parking policy", "value": 0.47,
     "survey": "Public Evaluation System / OpinionWay barometer (year not shown)",
     "source": "https://banquedesterritoires.fr/les-francais-globalement-satisfaits-de-leurs-services-publics-locaux"},
    {"service": "svc_dechets",
     "figure": "Satisfied with waste management: small communes / large agglomerations (figures "
               "given in a survey about the cleanliness ('propreté') of their commune; used here "
               "as a PROXY for satisfaction with waste collection)",
     "value": [0.73, 0.58], "survey": "Odoxa for France Bleu / France Info, Feb 2020",
     "source": "https://hightech.bfmtv.com/politique/sondage-66-des-francais-satisfaits-de-la-proprete-de-leur-commune-44-en-ile-de-france_AN-202002120047.html"},
    {"service": "svc_global", "figure": "Satisfied with their local public services", "value": 0.54,
     "survey": "Odoxa for IGD (edition before the 2026 municipal elections)",
     "source": "https://www.fondation-igd.org/actualites/barometre-odoxa-pour-ligd-les-francais-et-leurs-services-publics-locaux"},
]
SERVICES = {
    "svc_dechets": ("Collecte des déchets", "Waste collection"),
    "svc_eau": ("Eau et assainissement", "Water and sanitation"),
    "svc_sport": ("Équipements sportifs", "Sports facilities"),
    "svc_circulation": ("Circulation et stationnement", "Traffic and parking"),
    "svc_global": ("Services publics locaux dans l'ensemble", "Local public services overall"),
}
#: ASSUMPTION (no published figure): agents rate their services higher than users, by service.
AGENT_SHIFT = {"svc_dechets": 0.12, "svc_eau": 0.06, "svc_sport": 0.08, "svc_circulation": 0.20,
               "svc_global": 0.22}
#: ASSUMPTION: users' satisfaction rises between waves by this much (probability scale).
WAVE_SHIFT = {"svc_dechets": 0.06, "svc_eau": 0.0, "svc_sport": 0.03, "svc_circulation": 0.05,
              "svc_global": 0.04}
#: ASSUMPTION: agents' satisfaction moves between waves by half the users' shift.
AGENT_WAVE_FACTOR = 0.5
#: ASSUMPTION: the waste figures (small communes / large agglomerations) are mapped to zones:
#: small communes -> rural, large agglomerations -> ville-centre (Voiron), periurban -> their mean.
WASTE_ZONE = {"rural": "small communes", "ville_centre": "large agglomerations",
              "periurbain": "mean of the two"}
WAVES = ("2023", "2025")
#: Population 2021 of the Pays Voironnais as given in the case dossier, whose only source is an
#: http mirror of French Wikipedia (not checked against INSEE's legal populations); zone split
#: and adult share are ASSUMPTIONS.
INHABITANTS_2021 = 95_590
ZONES = {"ville_centre": 0.22, "periurbain": 0.48, "rural": 0.30}
ADULT_SHARE = 0.78
USERS_PER_ZONE = {"ville_centre": 260, "periurbain": 300, "rural": 240}
#: ASSUMPTION: agents of the intercommunal administration, by service area.
AGENTS = {"services_techniques": 260, "services_a_la_population": 210, "administration": 130}
AGENTS_PER_AREA = {"services_techniques": 110, "services_a_la_population": 100, "administration": 70}
#: Margins for raking: users by sex and age band (ASSUMED shares); agents by category with the
#: published FPT shares (A 13 %, C three quarters, B the rest; DGAFP 2024 report) and women 61.5 %.
USER_SEX = {"F": 0.52, "H": 0.48}
USER_AGE = {"18-34": 0.26, "35-59": 0.42, "60+": 0.32}
AGENT_CAT = {"A": 0.13, "B": 0.12, "C": 0.75}
AGENT_SEX = {"F": 0.615, "H": 0.385}
DK_RATE = {"usagers": 0.05, "agents": 0.01}


def ordinal_answers(rng, p_top2, person_effect, n_items_shape):
    """4-point answers whose top-2 share is ``p_top2``: latent = mu + person + noise, cuts -1, 0, 1."""
    mu = norm.ppf(np.clip(p_top2, 0.02, 0.98))
    latent = mu + person_effect + rng.normal(0, 0.8, n_items_shape)
    return np.digitize(latent, [-1.0, 0.0, 1.0]) + 1


def _stratum(rng: np.random.Generator, wave: str, population: str, zone: str, n: int, big_n: int,
             *, sex_p: list[float], profile: tuple[str, list[str], list[float]]
             ) -> tuple[pd.DataFrame, np.ndarray]:
    """One stratum's respondents (sex, then the profile column, drawn in that order), its fpc,
    stratum label and design weight N/n, and each respondent's person effect (sd 0.6)."""
    column, levels, probs = profile
    df = pd.DataFrame({"vague": wave, "population": population, "zone": zone,
                       "sexe": rng.choice(["F", "H"], n, p=sex_p),
                       column: rng.choice(levels, n, p=probs),
                       "fpc": big_n})
    df["strate"] = f"{wave}-{population}-{zone}"
    df["poids"] = big_n / n
    return df, rng.normal(0, 0.6, n)


def simulate(seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    parts, margins = [], []
    for w, wave in enumerate(WAVES):
        for zone, share in ZONES.items():
            n, big_n = USERS_PER_ZONE[zone], round(INHABITANTS_2021 * ADULT_SHARE * share)
            df, person = _stratum(rng, wave, "usagers", zone, n, big_n, sex_p=[0.58, 0.42],
                                  profile=("age", list(USER_AGE), [0.18, 0.40, 0.42]))
            for svc, _ in SERVICES.items():
                p = PUBLISHED_BY_SERVICE[svc]
                if isinstance(p, list):
                    p = {"rural": p[0], "ville_centre": p[1], "periurbain": np.mean(p)}[zone]
                p = p + w * WAVE_SHIFT[svc]
                # person effect (sd 0.6) and noise (sd 0.8) add up to sd 1, so P(top 2) = p
                df[svc] = ordinal_answers(rng, p, person, n)
            parts.append(df)
        for area, big_n in AGENTS.items():
            n = AGENTS_PER_AREA[area]
            df, person = _stratum(rng, wave, "agents", area, n, big_n, sex_p=[0.55, 0.45],
                                  profile=("categorie", list(AGENT_CAT), [0.22, 0.18, 0.60]))
            for svc in SERVICES:
                p = PUBLISHED_BY_SERVICE[svc]
                p = ((np.mean(p) if isinstance(p, list) else p) + AGENT_SHIFT[svc]
                     + w * WAVE_SHIFT[svc] * AGENT_WAVE_FACTOR)
                df[svc] = ordinal_answers(rng, p, person, n)
            parts.append(df)
        pop_users = INHABITANTS_2021 * ADULT_SHARE
        pop_agents = sum(AGENTS.values())
        for k, v in USER_SEX.items():
            margins.append(("marge_sexe", f"{wave}|usagers|{k}", pop_users * v))
        for k, v in AGENT_SEX.items():
            margins.append(("marge_sexe", f"{wave}|agents|{k}", pop_agents * v))
        for k, v in USER_AGE.items():
            margins.append(("marge_profil", f"{wave}|usagers|{k}", pop_users * v))
        for k, v in AGENT_CAT.items():
            margins.append(("marge_profil", f"{wave}|agents|{k}", pop_agents * v))
    data = pd.concat(parts, ignore_index=True)
    # the simulated respondents answer a few items "ne sait pas"
    for svc in SERVICES:
        rate = data["population"].map(DK_RATE).to_numpy()
        dk = rng.random(len(data)) < rate
        data[svc] = data[svc].astype(object)
        data.loc[dk, svc] = "NSP"
    data.insert(0, "id", [f"R{i:05d}" for i in range(1, len(data) + 1)])
    data["marge_sexe"] = data["vague"] + "|" + data["population"] + "|" + data["sexe"]
    profile = data["age"].where(data["population"] == "usagers", data["categorie"])
    data["marge_profil"] = data["vague"] + "|" + data["population"] + "|" + profile
    cols = ["id", "vague", "population", "strate", "zone", "fpc", "poids", "sexe", "age", "categorie",
            *SERVICES, "marge_sexe", "marge_profil"]
    marg = pd.DataFrame(margins, columns=["marge", "modalite", "total"])
    return data[cols], marg


PUBLISHED_BY_SERVICE = {p["service"]: p["value"] for p in PUBLISHED}


def main(out_dir: Path = OUT) -> None:
    data, margins = simulate()
    meta = {
        "title": "Baromètre de satisfaction usagers / agents — données SIMULÉES",
        "title_en": "Users' and agents' satisfaction barometer — SIMULATED data",
        "simulated": True,
        "simule": True,
        "warning": "Simulated data to illustrate the method; no real respondent. Not the Pays "
                   "Voironnais barometer, whose microdata are not public.",
        "generator": "scripts/simulate_barometre.py",
        "seed": SEED,
        "rows": int(len(data)),
        "format": "CSV, separator ';', decimal comma, UTF-8 with BOM; 'NSP' = ne sait pas",
        "scale": "satisfaction_4: 1 Pas du tout satisfait, 2 Plutôt pas satisfait, 3 Plutôt satisfait, "
                 "4 Très satisfait",
        "services": {k: {"fr": v[0], "en": v[1]} for k, v in SERVICES.items()},
        "design": "two independent waves; in each, users stratified by zone (simple random sample "
                  "of adults within zone) and agents stratified by service area; weights N_h/n_h; "
                  "fpc = N_h; raking margins in barometre_marges_simule.csv (marge_sexe, marge_profil)",
        "published_figures": PUBLISHED + [
            {"figure": "Population of the Pays Voironnais, 2021", "value": INHABITANTS_2021,
             "survey": "figure from the case dossier, which cites for it only this http mirror of "
                       "French Wikipedia (the same dossier cites fr.wikipedia.org for the 2016 figure, "
                       "93,179: https://fr.wikipedia.org/wiki/Communaut%C3%A9_d%27agglom%C3%A9ration_du_Pays_voironnais); "
                       "not checked against INSEE's legal populations",
             "source": "http://fr.m.wiki.x.io/wiki/Communaut%C3%A9_d%27agglom%C3%A9ration_du_Pays_voironnais"},
            {"figure": "Category shares in the FPT, 2022: A 13 %, C three quarters, B the rest",
             "value": AGENT_CAT, "survey": "DGAFP rapport annuel 2024",
             "source": "https://www.lagazettedescommunes.com/957408/le-chiffre-de-la-semaine-la-fpt-compte-13-dagents-de-categorie-a"},
            {"figure": "Women among FPT agents, end 2023", "value": 0.615, "survey": "INSEE, 27 May 2025",
             "source": "https://www.banquedesterritoires.fr/fonction-publique-territoriale-lemploi-est-reparti-la-hausse-en-2023"},
        ],
        "assumptions": {
            "agents_minus_users_top2": AGENT_SHIFT, "users_change_2023_2025": WAVE_SHIFT,
            "agents_change_2023_2025": {k: v * AGENT_WAVE_FACTOR for k, v in WAVE_SHIFT.items()},
            "agents_change_rule": f"agents' change between waves = {AGENT_WAVE_FACTOR} x users' change",
            "zones_share": ZONES, "adult_share": ADULT_SHARE, "agents_by_area": AGENTS,
            "users_sex": USER_SEX, "users_age": USER_AGE, "dont_know_rate": DK_RATE,
            "waste_proxy": "the waste-management figures of a survey on the cleanliness of the "
                           "commune stand for satisfaction with waste collection",
            "waste_zone_mapping": WASTE_ZONE,
            "waste_zone_mapping_caveat": "strong assumption: the ville-centre (Voiron) is a mid-sized "
                                         "town, not a large agglomeration, and the periurban value is "
                                         "an interpolation, not a published figure",
            "latent_model": "4-point answer = cut of mu + person effect N(0, 0.6) + noise N(0, 0.8) at -1, 0, 1",
        },
        "licence": "CC0 (simulated)",
    }
    write_simulated(out_dir, NAME, {f"{NAME}.csv": (data, "%.6f"),
                                    "barometre_marges_simule.csv": (margins, "%.3f")}, meta)
    print(f"wrote {len(data)} simulated respondents to {Path(out_dir) / (NAME + '.csv')}")


if __name__ == "__main__":
    main()
