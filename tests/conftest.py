"""Shared test settings: a non-interactive matplotlib backend and a private figures folder."""

import os

import matplotlib

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")
