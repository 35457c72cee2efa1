"""Survey statistics: designs, weighted estimates with linearised errors, raking, scales.

``Design`` mirrors R's ``svydesign``; its means, shares and raked estimates equal R ``survey``'s
(checked in the tests against values produced by ``tests/reference/make_survey_reference.R``).
"""

from .compare import group_gap, users_agents_gap, wave_change
from .crosstab import Crosstab, CrosstabTest
from .design import Design, DomainEstimates, Estimate, RakeReport, proportion_interval
from .estimates import (item_statistics, item_values, likert_shares, mean_score, net_satisfaction,
                        satisfaction_rate)
from .ordinal import OrdinalResult, ordinal_regression
from .quantiles import Quantiles
from .scales import ReliabilityResult, cronbach_alpha, who5_score

__all__ = [
    "Design", "DomainEstimates", "Estimate", "Quantiles", "Crosstab", "CrosstabTest", "RakeReport", "proportion_interval",
    "item_statistics", "item_values", "likert_shares", "satisfaction_rate", "net_satisfaction", "mean_score",
    "group_gap", "users_agents_gap", "wave_change",
    "cronbach_alpha", "ReliabilityResult", "who5_score",
    "ordinal_regression", "OrdinalResult",
]
