"""Shared test settings: a non-interactive matplotlib backend and a private figures folder."""


import matplotlib

matplotlib.use("Agg")
