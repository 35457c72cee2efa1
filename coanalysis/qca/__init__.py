"""Configurational comparison (QCA): calibration, truth tables, necessity,
Boolean minimisation (complex, parsimonious, intermediate), robustness, theory evaluation and
the case typology of a solution (with the case base's evidence behind each case).

The pipeline follows R QCA (Dușa) — ``calibrate`` → ``truth_table`` →
``minimize`` — and every number is checked against R QCA 3.25's outputs.
"""

from ._boolean import QCAWarning, prime_implicants, solve_chart
from .casebase import CaseMemberships, from_casebase
from .simulate import simulated_crisp_data
from .calibrate import calibrate, calibrate_codebook, calibrate_crisp
from .fit import membership, necessity_fit, negate, parse_expression, sufficiency_fit
from .minimize import Solution, minimize
from .necessity import necessity
from .robustness import AnchorRange, CutoffRange, anchor_range, Robustness, RobustnessFit, cutoff_range, robustness, robustness_fit
from .truth_table import TruthTable, truth_table
from .evidence import case_evidence
from .theory import INTERSECTIONS, TheoryEvaluation, theory_evaluation
from .typology import CASE_TYPES, CaseTypology, case_typology

__all__ = [
    "QCAWarning",
    "calibrate",
    "calibrate_crisp",
    "calibrate_codebook",
    "truth_table",
    "TruthTable",
    "minimize",
    "Solution",
    "necessity",
    "robustness",
    "Robustness",
    "robustness_fit",
    "RobustnessFit",
    "cutoff_range",
    "CutoffRange",
    "anchor_range",
    "AnchorRange",
    "from_casebase",
    "CaseMemberships",
    "simulated_crisp_data",
    "membership",
    "negate",
    "parse_expression",
    "sufficiency_fit",
    "necessity_fit",
    "prime_implicants",
    "solve_chart",
    "theory_evaluation",
    "TheoryEvaluation",
    "INTERSECTIONS",
    "case_typology",
    "CaseTypology",
    "CASE_TYPES",
    "case_evidence",
]
