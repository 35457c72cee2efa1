"""Vocabularies of the surveys: the declared answer scales, the WHO-5 items and levels, and the
reasons an answer is missing."""

from __future__ import annotations

from .terms import MISSING_REASONS, LikertScale, Term, Vocabulary

__all__ = ["MISSING_REASONS", "COMMON_MISSING_CODES", "SATISFACTION_4", "SATISFACTION_5", "AGREEMENT_5",
           "WHO5_FREQUENCY", "WHO5_ITEMS", "WHO5_LEVELS"]

#: Missing-answer codes common to French survey exports (labels, and 8/9 as numeric codes).
COMMON_MISSING_CODES = {"NSP": "ne_sait_pas", "Ne sait pas": "ne_sait_pas", "Don't know": "ne_sait_pas",
       "NR": "sans_reponse", "Sans réponse": "sans_reponse", "Non réponse": "sans_reponse",
       "No answer": "sans_reponse", "Non concerné": "non_concerne", "Not applicable": "non_concerne",
       8: "ne_sait_pas", 9: "sans_reponse"}

SATISFACTION_4 = LikertScale("satisfaction_4", (
    (1, "Pas du tout satisfait", "Not at all satisfied"),
    (2, "Plutôt pas satisfait", "Rather dissatisfied"),
    (3, "Plutôt satisfait", "Rather satisfied"),
    (4, "Très satisfait", "Very satisfied"),
), COMMON_MISSING_CODES)

SATISFACTION_5 = LikertScale("satisfaction_5", (
    (1, "Pas du tout satisfait", "Not at all satisfied"),
    (2, "Peu satisfait", "Slightly satisfied"),
    (3, "Moyennement satisfait", "Moderately satisfied"),
    (4, "Plutôt satisfait", "Rather satisfied"),
    (5, "Très satisfait", "Very satisfied"),
), COMMON_MISSING_CODES)

AGREEMENT_5 = LikertScale("agreement_5", (
    (1, "Pas du tout d'accord", "Strongly disagree"),
    (2, "Plutôt pas d'accord", "Disagree"),
    (3, "Ni d'accord ni pas d'accord", "Neither agree nor disagree"),
    (4, "Plutôt d'accord", "Agree"),
    (5, "Tout à fait d'accord", "Strongly agree"),
), COMMON_MISSING_CODES)

#: The WHO-5 answer scale, scored 0 to 5 as published.
WHO5_FREQUENCY = LikertScale("who5_frequency", (
    (0, "À aucun moment", "At no time"),
    (1, "De temps en temps", "Some of the time"),
    (2, "Moins de la moitié du temps", "Less than half of the time"),
    (3, "Plus de la moitié du temps", "More than half of the time"),
    (4, "La plupart du temps", "Most of the time"),
    (5, "Tout le temps", "All of the time"),
), {k: v for k, v in COMMON_MISSING_CODES.items() if not isinstance(k, int)})


#: The five WHO-5 statements (French wording of the WHO-5 French version; English original).
WHO5_ITEMS = Vocabulary("who5_item", [
    Term("who5_1", "Je me suis senti(e) bien et de bonne humeur",
         "I have felt cheerful and in good spirits"),
    Term("who5_2", "Je me suis senti(e) calme et tranquille", "I have felt calm and relaxed"),
    Term("who5_3", "Je me suis senti(e) plein(e) d'énergie et vigoureux(se)",
         "I have felt active and vigorous"),
    Term("who5_4", "Je me suis réveillé(e) en me sentant frais(che) et dispos(e)",
         "I woke up feeling fresh and rested"),
    Term("who5_5", "Ma vie quotidienne a été remplie de choses intéressantes",
         "My daily life has been filled with things that interest me"),
])

#: WHO-5 levels from the percentage score (Topp et al. 2015).
WHO5_LEVELS = Vocabulary("who5_level", [
    Term("depression_probable", "Dépression probable (score ≤ 28)", "Likely depression (score ≤ 28)",
         "percentage score 0–28"),
    Term("bien_etre_faible", "Bien-être faible (29–50)", "Poor well-being (29–50)",
         "percentage score 29–50: screen for depression"),
    Term("bien_etre_correct", "Bien-être correct (> 50)", "Adequate well-being (> 50)",
         "percentage score 52–100"),
])
