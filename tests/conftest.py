"""Shared test settings: a non-interactive matplotlib backend and hypothesis profiles.

Under CI (``CI`` set), hypothesis runs derandomized so that a submission is judged on the same
examples every time; locally it explores new examples on each run.
"""

import os

import matplotlib
from hypothesis import settings

matplotlib.use("Agg")

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
