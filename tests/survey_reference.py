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
