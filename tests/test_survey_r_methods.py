"""The survey methods of issue #13 §1 against R survey 4.1.1 (values made once by
tests/reference/make_survey_reference.R on the tests' design and on R's api data; R is not
needed here): design effects, quantiles, ratios, the remaining svyciprop intervals, crosstabs
with Rao-Scott tests."""

import numpy as np
import pandas as pd
import pytest

from coanalysis.survey import Design
from survey_reference import APICLUS1_MARGINS, REF_DIR, TOL, strclus_data, strclus_margins


@pytest.fixture(scope="module")
def strclus() -> pd.DataFrame:
    return strclus_data()


@pytest.fixture(scope="module")
def des(strclus) -> Design:
    return Design(strclus, weights="w", strata="stratum", psu="psu", fpc="fpc")


@pytest.fixture(scope="module")
def raked(des, ref) -> Design:
    return des.rake(strclus_margins(ref))


@pytest.fixture(scope="module")
def dstrat() -> Design:
    return Design(pd.read_csv(REF_DIR / "api_strat.csv"), weights="pw", strata="stype", fpc="fpc")


@pytest.fixture(scope="module")
def dclus1() -> Design:
    return Design(pd.read_csv(REF_DIR / "api_clus1.csv"), weights="pw", psu="dnum", fpc="fpc")


# ------------------------------------------------------------------ design effects
# deff is a ratio of two closed forms (the linearised variance and svyvar's weighted variance)
# that R computes with the same formulas: TOL (rtol 1e-6) as for the variances themselves.
KINDS = {"srswor": True, "replace": "replace"}


@pytest.mark.parametrize("kind", KINDS)
def test_deff_of_means_and_totals_is_r_svymean_deff(des, raked, dstrat, dclus1, ref, kind):
    opt = KINDS[kind]
    rc = dclus1.rake(APICLUS1_MARGINS)
    got = {"strclus.mean_y": des.mean("y", deff=opt), "strclus.total_y": des.total("y", deff=opt),
           "strclus.rake.mean_y": raked.mean("y", deff=opt),
           "strclus.rake.total_y": raked.total("y", deff=opt),
           "apistrat.mean_api00": dstrat.mean("api00", deff=opt),
           "apistrat.total_enroll": dstrat.total("enroll", deff=opt),
           "apiclus1.mean_api00": dclus1.mean("api00", deff=opt),
           "apiclus1.total_enroll": dclus1.total("enroll", deff=opt),
           "apiclus1.rake.mean_api00": rc.mean("api00", deff=opt)}
    for key, e in got.items():
        np.testing.assert_allclose(e.deff, ref[f"{key}.deff.{kind}"], **TOL, err_msg=key)
        assert e.deff_srs == ("without replacement" if kind == "srswor" else "with replacement")


def test_deff_of_shares_and_domain_means_is_r(des, ref):
    assert "deff" not in des.share("sat")  # a column only when asked, as R's DEff
    s = des.share("sat", deff=True)
    np.testing.assert_allclose(s["deff"], [ref[f"strclus.share_sat.{i}.deff.srswor"] for i in range(1, 5)], **TOL)
    b = des.by("grp").mean("y", deff=True)
    for g in ("agents", "usagers"):
        np.testing.assert_allclose(b.loc[g, "deff"], ref[f"strclus.by_grp.mean_y.{g}.deff.srswor"], **TOL)
    r = des.by("grp").mean("y", deff="replace")
    for g in ("agents", "usagers"):
        np.testing.assert_allclose(r.loc[g, "deff"], ref[f"strclus.by_grp.mean_y.{g}.deff.replace"], **TOL)
    np.testing.assert_allclose(des.share("sat", deff="replace")["deff"],
                               [ref[f"strclus.share_sat.{i}.deff.replace"] for i in range(1, 5)], **TOL)


def test_effective_n_and_margin_of_error(dclus1):
    m = dclus1.mean("api00")
    # Kish: n / deff; the margin is the half-width of the Wald interval
    assert m.effective_n == pytest.approx(m.n / m.deff, rel=1e-15)
    assert m.margin_of_error == pytest.approx((m.ci[1] - m.ci[0]) / 2, rel=1e-12)
    assert {"deff", "effective_n", "margin_of_error"} <= set(m.table.columns)
    assert "design effect" in m.summary()
    none = dclus1.mean("api00", deff=False)
    assert np.isnan(none.deff) and np.isnan(none.effective_n) and none.deff_srs == ""
    with pytest.raises(ValueError, match="deff must be one of"):
        dclus1.mean("api00", deff="with")


def test_deff_without_replacement_of_an_unweighted_design_is_infinite_as_r():
    # weights of 1: the "population" is the sample, whose SRS without replacement has variance 0
    d = Design(pd.DataFrame({"y": [1.0, 2, 4, 8]}))
    assert d.mean("y").deff == np.inf
    # with replacement: an SRS, deff = (n - 1)/n · n/(n - 1) = 1 exactly up to rounding
    assert d.mean("y", deff="replace").deff == pytest.approx(1.0, rel=1e-12)
