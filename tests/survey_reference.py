"""Where the R survey reference values live, and how closely coanalysis must match them (shared by
the tests/test_survey_*.py modules; the values are made once by reference/make_survey_reference.R,
and R is not needed to run the tests)."""

from pathlib import Path

REF_DIR = Path(__file__).parent / "reference"

#: R survey reference values are stored with 17 significant digits (%.17g) and computed by the
#: same closed forms (linearised variances, quantiles) or by raking to epsilon 1e-12: measured
#: agreement <= 4e-13 relative, except R's logit intervals, fitted by svyglm's IRLS (epsilon 1e-8
#: on the deviance; measured 4e-9). rtol 1e-6, the project's convention for R values, stays 250x
#: above that; atol 1e-9 only for values that are 0 in exact arithmetic.
TOL = dict(rtol=1e-6, atol=1e-9)


def strclus_data():
    """The seeded stratified clustered test design's data (reference/survey_strclus.csv)."""
    import pandas as pd

    d = pd.read_csv(REF_DIR / "survey_strclus.csv")
    for col in ("sat", "sat_na"):
        d[col] = pd.Categorical(d[col], categories=[1, 2, 3, 4], ordered=True)
    return d


#: The raking margins of the test design and of R's apiclus1 in make_survey_reference.R.
APICLUS1_MARGINS = {"stype": {"E": 4421, "H": 755, "M": 1018}, "sch.wide": {"No": 1072, "Yes": 5122}}


def strclus_margins(ref):
    """The population margins the R script rakes the test design to (stored in ``ref``)."""
    return {"sex": {s: ref[f"strclus.rake.margin.sex.{s}"] for s in ("F", "H")},
            "age3": {a: ref[f"strclus.rake.margin.age3.{a}"] for a in ("18-34", "35-59", "60+")}}
