"""Metrics comparing the cases: profiles and indices, information circuits, similarity and clusters,
and the coverage of the case base (NA rates, full grids, counts).

Every function takes a :class:`~coanalysis.loaders.CaseBase` (or one of its
tables) and returns a DataFrame; nothing here reads files or draws.
"""

from .coverage import (  # noqa: F401
    case_counts,
    mean_scores,
    na_rates,
    participation_grid,
    population_summary,
)
from .circuits import channel_counts, flow_graph, shortest_path, voice_distance  # noqa: F401
from .profiles import (  # noqa: F401
    coconstruction_index,
    condition_contrasts,
    condition_profile,
    outcome_profile,
    participation_breadth,
    participation_depth,
    principle_profile,
)
from .similarity import (  # noqa: F401
    adjusted_rand_index,
    case_families,
    case_linkage,
    case_similarity,
    cluster_cases,
    cluster_stability,
    choose_k,
    cluster_summary,
    distance_matrix,
    nearest_neighbours,
)

__all__ = [
    "principle_profile",
    "condition_profile",
    "outcome_profile",
    "participation_depth",
    "participation_breadth",
    "coconstruction_index",
    "flow_graph",
    "shortest_path",
    "voice_distance",
    "distance_matrix",
    "case_similarity",
    "case_linkage",
    "cluster_cases",
    "na_rates",
    "participation_grid",
    "case_counts",
    "population_summary",
    "mean_scores",
    "condition_contrasts",
    "channel_counts",
    "nearest_neighbours",
    "cluster_summary",
    "case_families",
    "adjusted_rand_index",
    "cluster_stability",
    "choose_k",
]
