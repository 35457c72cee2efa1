"""Generate the SIMULATED survey of territorial agents' well-being (WHO-5, job categories A/B/C).

Illustrates the method only: no real respondent. The population's category shares and share of
women are published figures; satisfaction, pride and stress items are calibrated on the published
MNT-La Gazette barometers; the WHO-5 distribution is an assumption (no published WHO-5 figure for
territorial agents was found). Run from the repository root:

    .venv/bin/python scripts/simulate_bien_etre.py

Writes data/surveys/bien_etre_agents_simule.csv (';', decimal comma, UTF-8 with BOM) and its
metadata JSON.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import norm

sys.path.insert(0, str(Path(__file__).resolve().parent))
from simulate_common import write_simulated  # noqa: E402

SEED = 20251127
OUT = Path(__file__).resolve().parent.parent / "data" / "surveys"
NAME = "bien_etre_agents_simule"

#: Published shares of categories in the FPT (2022) and of women (end 2023).
CATEGORY_SHARES = {"A": 0.13, "B": 0.12, "C": 0.75}
WOMEN = 0.615
#: ASSUMPTION: a population of 12,000 agents (the agents of an illustrative group of employers).
POPULATION = 12_000
#: Sample stratified by category, A and B over-sampled (so weights matter).
SAMPLE = {"A": 300, "B": 260, "C": 640}
#: Published: satisfied to work in the FPT, 2024 (A managers 90 %, C 78 %; all 81 %). B is not
#: published: it is DERIVED so that the category mix gives the published overall rate,
#: all = sA*A + sB*B + sC*C  =>  B = (all - sA*A - sC*C) / sB = (0.81 - 0.117 - 0.585) / 0.12 = 0.90.
#: The published rates (and shares) are rounded to 1 point, so B is only known to lie in about [0.82, 0.98];
#: and "cat. A managers" is read as category A (ASSUMPTION).
SATISFIED_FPT_PUBLISHED = {"all": 0.81, "A": 0.90, "C": 0.78}


def derive_category_b(published: dict, shares: dict) -> float:
    """Category B's rate that makes the share-weighted mean of A, B, C equal the overall rate."""
    return (published["all"] - shares["A"] * published["A"] - shares["C"] * published["C"]) / shares["B"]


SATISFIED_FPT = {"A": SATISFIED_FPT_PUBLISHED["A"],
                 "B": derive_category_b(SATISFIED_FPT_PUBLISHED, CATEGORY_SHARES),
                 "C": SATISFIED_FPT_PUBLISHED["C"]}
PROUD = 0.83        # proud of their job, 2024
STRESS = 0.77       # feel work-related stress, 2025
TELEWORK = {"A": 0.80, "B": 0.65, "C": 0.45}  # ASSUMPTION (55 % overall published for 2024)
#: ASSUMPTION: WHO-5 latent well-being, by category (A a little higher) and telework.
WHO5_MEAN = {"A": 0.25, "B": 0.10, "C": 0.0}
WHO5_LOADING = 0.8
NONRESPONSE = 0.02

PUBLISHED = [
    {"figure": "Category shares in the FPT, 2022: A 13 %, C three quarters, B the rest",
     "value": CATEGORY_SHARES, "survey": "DGAFP rapport annuel 2024",
     "source": "https://www.lagazettedescommunes.com/957408/le-chiffre-de-la-semaine-la-fpt-compte-13-dagents-de-categorie-a"},
    {"figure": "Women among FPT agents, end 2023", "value": WOMEN, "survey": "INSEE, 27 May 2025",
     "source": "https://www.banquedesterritoires.fr/fonction-publique-territoriale-lemploi-est-reparti-la-hausse-en-2023"},
    {"figure": "Satisfied to work in the FPT: all 81 %, cat. A managers 90 %, cat. C 78 %",
     "value": SATISFIED_FPT_PUBLISHED, "survey": "MNT-La Gazette barometer 2024 (> 5 070 agents)",
     "source": "https://www.mnt.fr/articles/barometre-2024-bien-etre-et-conditions-travail-a-ameliorer"},
    {"figure": "Proud of their job", "value": PROUD, "survey": "MNT-La Gazette barometer 2024",
     "source": "https://www.terriscope-comparateur.fr/actualite/un-leger-mieux-pour-le-bien-etre-au-travail"},
    {"figure": "Feel work-related stress", "value": STRESS, "survey": "MNT-La Gazette barometer 2025 (5 122 agents)",
     "source": "https://www.mfp.fr/presse/agents-territoriaux-entre-engagement-et-epuisement"},
    {"figure": "Well-being deteriorated over the last 12 months", "value": 0.46,
     "survey": "MNT-La Gazette barometer 2025", "source": "https://www.mfp.fr/presse/agents-territoriaux-entre-engagement-et-epuisement"},
    {"figure": "Teleworking agents", "value": 0.55, "survey": "MNT-La Gazette barometer 2024",
     "source": "https://www.terriscope-comparateur.fr/actualite/un-leger-mieux-pour-le-bien-etre-au-travail"},
]


def simulate(seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    parts = []
    for cat, n in SAMPLE.items():
        big_n = round(POPULATION * CATEGORY_SHARES[cat])
        df = pd.DataFrame({"categorie": cat, "strate": cat, "fpc": big_n, "poids": big_n / n,
                           "sexe": rng.choice(["F", "H"], n, p=[WOMEN, 1 - WOMEN]),
                           "age": rng.choice(["moins_de_35", "35_49", "50_et_plus"], n, p=[0.2, 0.4, 0.4]),
                           "teletravail": (rng.random(n) < TELEWORK[cat]).astype(int)})
        wellbeing = WHO5_MEAN[cat] + 0.2 * df["teletravail"] - 0.15 * (df["age"] == "50_et_plus") \
            + rng.normal(0, 1, n)
        for i in range(1, 6):
            latent = WHO5_LOADING * wellbeing + rng.normal(0, 0.6, n)
            df[f"who5_{i}"] = np.digitize(latent, [-1.6, -0.8, -0.1, 0.6, 1.5])  # 0..5
        # satisfied to work in the FPT: 4-point item whose top-2 share is the published one,
        # correlated with well-being (total latent sd 1)
        lat = norm.ppf(SATISFIED_FPT[cat]) + 0.5 * (wellbeing - WHO5_MEAN[cat]) / np.sqrt(1.04) \
            + rng.normal(0, np.sqrt(0.75), n)
        df["satisfaction_fpt"] = np.digitize(lat, [-1.0, 0.0, 1.0]) + 1
        df["fierte"] = np.digitize(norm.ppf(PROUD) + rng.normal(0, 1, n), [-1.2, -0.6, 0.0, 1.0]) + 1
        df["stress"] = np.digitize(norm.ppf(STRESS) - 0.3 * wellbeing + rng.normal(0, np.sqrt(0.91), n),
                                   [-1.2, -0.6, 0.0, 1.0]) + 1
        parts.append(df)
    data = pd.concat(parts, ignore_index=True)
    data = data.sample(frac=1, random_state=np.random.RandomState(seed % 2**31)).reset_index(drop=True)
    for col in [f"who5_{i}" for i in range(1, 6)] + ["satisfaction_fpt", "fierte", "stress"]:
        nr = rng.random(len(data)) < NONRESPONSE
        data[col] = data[col].astype(object)
        data.loc[nr, col] = "NR"
    data.insert(0, "id", [f"A{i:05d}" for i in range(1, len(data) + 1)])
    return data


def main(out_dir: Path = OUT) -> None:
    data = simulate()
    meta = {
        "title": "Enquête bien-être des agents territoriaux — données SIMULÉES",
        "title_en": "Territorial agents' well-being survey — SIMULATED data",
        "simulated": True,
        "simule": True,
        "warning": "Simulated data to illustrate the method; no real respondent.",
        "generator": "scripts/simulate_bien_etre.py",
        "seed": SEED,
        "rows": int(len(data)),
        "format": "CSV, separator ';', decimal comma, UTF-8 with BOM; 'NR' = sans réponse",
        "columns": {
            "who5_1..who5_5": "WHO-5 items, 0 (à aucun moment) to 5 (tout le temps)",
            "satisfaction_fpt": "Satisfait de travailler dans la FPT, 1-4 (satisfaction_4 scale)",
            "fierte": "Fier(e) de mon métier, 1-5 (agreement_5 scale)",
            "stress": "Je ressens du stress lié au travail, 1-5 (agreement_5 scale)",
            "teletravail": "1 if the agent teleworks",
            "strate, fpc, poids": "stratum (= category), population size of the stratum, weight N_h/n_h",
        },
        "published_figures": PUBLISHED,
        "assumptions": {
            "population": POPULATION, "sample": SAMPLE,
            "satisfied_fpt_B": SATISFIED_FPT["B"],
            "satisfied_fpt_B_rule": "derived, not published: (all - 0.13 x A - 0.75 x C) / 0.12 with "
                                    "all 0.81, A 0.90, C 0.78 (published, rounded to 1 point, so B "
                                    "lies in about [0.82, 0.98]); 'cat. A managers' read as category A",
            "telework_by_category": TELEWORK, "who5_latent_mean": WHO5_MEAN,
            "who5_model": "item = cut of 0.8 x well-being + noise N(0, 0.6) at -1.6, -0.8, -0.1, 0.6, 1.5; "
                          "well-being = category mean + 0.2 telework - 0.15 (age 50+) + N(0, 1)",
            "nonresponse_per_item": NONRESPONSE,
            "pride_and_stress": "5-point items whose top-2 share is near the published figure",
        },
        "licence": "CC0 (simulated)",
    }
    write_simulated(out_dir, NAME, {f"{NAME}.csv": (data, "%.6f")}, meta)
    print(f"wrote {len(data)} simulated agents to {Path(out_dir) / (NAME + '.csv')}")


if __name__ == "__main__":
    main()
