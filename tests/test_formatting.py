"""French and English typography of numbers, percentages and months."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coanalysis.text import NNBSP, format_month, format_number, format_percent

NBSP_PCT = NNBSP + "%"


@pytest.mark.parametrize(
    "value, decimals, fr, en",
    [
        (0, 0, "0", "0"),
        (1234, 0, f"1{NNBSP}234", "1,234"),
        (1234567.891, 2, f"1{NNBSP}234{NNBSP}567,89", "1,234,567.89"),
        (-1234.5, 1, f"\u22121{NNBSP}234,5", "-1,234.5"),
        (0.5, 0, "1", "1"),          # half away from zero, not banker's rounding
        (2.5, 0, "3", "3"),
        (-2.5, 0, "\u22123", "-3"),
        (2.675, 2, "2,68", "2.68"),  # 2.675 is 2.67499… in binary; printed value rounds up
        (-0.004, 2, "0,00", "0.00"),  # no negative zero
        (999.96, 1, f"1{NNBSP}000,0", "1,000.0"),
        (np.int64(42), 0, "42", "42"),
        (np.float32(0.25), 2, "0,25", "0.25"),
    ],
)
def test_format_number(value, decimals, fr, en):
    assert format_number(value, decimals) == fr
    assert format_number(value, decimals, lang="en") == en


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, pd.NaT])
def test_missing_values_print_as_na(missing):
    assert format_number(missing) == "NA"
    assert format_percent(missing, lang="en") == "NA"


@pytest.mark.parametrize(
    "value, decimals, fr, en",
    [
        (0.45, 0, "45" + NBSP_PCT, "45%"),
        (0.4567, 1, "45,7" + NBSP_PCT, "45.7%"),
        (1, 0, "100" + NBSP_PCT, "100%"),
        (-0.031, 1, "\u22123,1" + NBSP_PCT, "-3.1%"),
        (0.125, 0, "13" + NBSP_PCT, "13%"),
        (12.5, 0, f"1{NNBSP}250" + NBSP_PCT, "1,250%"),
        # proportions whose ×100 lands on a half only in decimal, not in binary
        (0.285, 0, "29" + NBSP_PCT, "29%"),
        (0.145, 0, "15" + NBSP_PCT, "15%"),
        (0.575, 0, "58" + NBSP_PCT, "58%"),
        (0.0005, 1, "0,1" + NBSP_PCT, "0.1%"),
        (-0.285, 0, "\u221229" + NBSP_PCT, "-29%"),
    ],
)
def test_format_percent(value, decimals, fr, en):
    assert format_percent(value, decimals) == fr
    assert format_percent(value, decimals, lang="en") == en


@given(k=st.integers(min_value=0, max_value=10**6))
def test_percent_rounds_half_up_on_the_written_value(k):
    # p = k/1000 written with three decimals; its percentage k/10 rounded half up is (k + 5) // 10
    # in integer arithmetic, independent of the code under test.
    p = k / 1000
    assert format_percent(p, 0, lang="en") == f"{(k + 5) // 10:,}%"


def test_sign_option_for_differences():
    assert format_number(3.2, 1, sign=True) == "+3,2"
    assert format_percent(-0.02, 0, lang="en", sign=True) == "-2%"
    assert format_number(0, sign=True) == "0"


def test_infinity():
    assert format_number(math.inf) == "∞"
    assert format_number(-math.inf, lang="en") == "-inf"


def test_months():
    assert format_month("2019-07-15") == "juillet 2019"
    assert format_month(pd.Timestamp("2019-08-01"), lang="en") == "August 2019"
    assert format_month("2019-12-01", year=False) == "décembre"


@pytest.mark.parametrize("bad", ["de", "FR", ""])
def test_bad_lang_is_named(bad):
    with pytest.raises(ValueError, match="lang must be 'fr' or 'en'"):
        format_number(1, lang=bad)


def test_no_lang_means_the_default_language(monkeypatch):
    """lang=None is default_lang(): COANALYSIS_LANG, else French."""
    monkeypatch.delenv("COANALYSIS_LANG", raising=False)
    assert format_number(1234.5, 1) == format_number(1234.5, 1, lang="fr")
    monkeypatch.setenv("COANALYSIS_LANG", "en")
    assert format_number(1234.5, 1) == "1,234.5"
    monkeypatch.setenv("COANALYSIS_LANG", "de")
    with pytest.raises(ValueError, match="COANALYSIS_LANG must be 'fr' or 'en'"):
        format_number(1)


@pytest.mark.parametrize("bad", [-1, 1.5])
def test_bad_decimals(bad):
    with pytest.raises(ValueError, match="decimals"):
        format_number(1, bad)


def test_non_number_is_a_type_error():
    with pytest.raises(TypeError, match="expects a number"):
        format_number("12")


def test_axis_formatter_uses_the_same_helper():
    import matplotlib.pyplot as plt

    from coanalysis.figures import percent_axis

    fig, ax = plt.subplots()
    percent_axis(ax, decimals=1)
    assert ax.yaxis.get_major_formatter()(0.455, 0) == "45,5" + NBSP_PCT
    plt.close(fig)
