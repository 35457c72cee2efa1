# Reference values for coanalysis.survey, computed once with R's survey package.
#
# Run from the repository root:  Rscript tests/reference/make_survey_reference.R
# Writes tests/reference/survey_strclus.csv (a seeded test design: strata, PSUs, weights, fpc),
# tests/reference/survey_ordinal.csv (ordinal-regression data) and
# tests/reference/survey_reference_values.csv (name,value; header lines give the R and package
# versions). The test suite reads those files and never needs R.
suppressMessages({library(survey); library(MASS)})
out_dir <- "tests/reference"
vals <- list()
put <- function(name, value) vals[[name]] <<- unname(as.numeric(value))

## ---------------------------------------------------------------- the test design
set.seed(20261126)
Nh <- c(a = 40, b = 30, c = 25)      # population number of PSUs per stratum
nh <- c(a = 5, b = 4, c = 3)         # PSUs sampled per stratum
rows <- list()
for (h in names(Nh)) {
  for (k in seq_len(nh[[h]])) {
    m <- sample(4:9, 1); M <- sample(20:60, 1)
    u <- rnorm(1, 0, 0.5)
    rows[[length(rows) + 1]] <- data.frame(
      stratum = h, psu = paste0(h, k), fpc = Nh[[h]],
      w = Nh[[h]] / nh[[h]] * M / m * runif(m, 0.8, 1.25),
      lat = rnorm(m, 0.3 * match(h, names(Nh)) + u, 1))
  }
}
d <- do.call(rbind, rows)
n <- nrow(d)
d$id <- seq_len(n)
d$grp <- sample(c("usagers", "agents"), n, replace = TRUE, prob = c(0.6, 0.4))
d$sex <- sample(c("F", "H"), n, replace = TRUE)
d$age3 <- sample(c("18-34", "35-59", "60+"), n, replace = TRUE, prob = c(0.3, 0.45, 0.25))
d$y <- round(5 + 1.5 * d$lat + (d$grp == "agents") * 0.8 + rnorm(n), 3)
d$y[sample(n, 3)] <- NA
d$sat <- cut(d$lat + 0.5 * (d$grp == "agents") + rnorm(n, 0, 0.7),
             c(-Inf, -0.3, 0.6, 1.4, Inf), labels = 1:4)
d$top2 <- as.integer(d$sat %in% c("3", "4"))
d$sat_na <- d$sat
d$sat_na[sample(n, 5)] <- NA
d$rare <- as.integer(d$lat > quantile(d$lat, 0.96))
d$w <- round(d$w, 6)
d$lat <- NULL
write.csv(d, file.path(out_dir, "survey_strclus.csv"), row.names = FALSE, na = "")

d <- read.csv(file.path(out_dir, "survey_strclus.csv"), stringsAsFactors = FALSE)
d$sat <- factor(d$sat, levels = 1:4); d$sat_na <- factor(d$sat_na, levels = 1:4)
d$top2_na <- as.integer(as.integer(as.character(d$sat_na)) >= 3)  # top-2 box, NA where sat_na is
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, fpc = ~fpc, data = d)
des_nofpc <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = d)

record_mean <- function(prefix, m) {
  put(paste0(prefix, ".est"), coef(m)); put(paste0(prefix, ".se"), SE(m))
}
record_mean("strclus.mean_y", svymean(~y, des, na.rm = TRUE))
ci <- confint(svymean(~y, des, na.rm = TRUE))
put("strclus.mean_y.ci_low", ci[1]); put("strclus.mean_y.ci_high", ci[2])
record_mean("strclus_nofpc.mean_y", svymean(~y, des_nofpc, na.rm = TRUE))
record_mean("strclus.total_y", svytotal(~y, des, na.rm = TRUE))
m <- svymean(~sat, des)
for (i in 1:4) { put(paste0("strclus.share_sat.", i, ".est"), coef(m)[i]); put(paste0("strclus.share_sat.", i, ".se"), SE(m)[i]) }
m <- svymean(~sat_na, des, na.rm = TRUE)
for (i in 1:4) { put(paste0("strclus.share_sat_na.", i, ".est"), coef(m)[i]); put(paste0("strclus.share_sat_na.", i, ".se"), SE(m)[i]) }
put("strclus.degf", degf(des))
for (meth in c("logit", "beta")) {
  for (v in c("top2", "rare")) {
    p <- svyciprop(as.formula(paste0("~", v)), des, method = meth)
    put(paste0("strclus.ciprop_", v, ".", meth, ".est"), p)
    put(paste0("strclus.ciprop_", v, ".", meth, ".ci_low"), attr(p, "ci")[1])
    put(paste0("strclus.ciprop_", v, ".", meth, ".ci_high"), attr(p, "ci")[2])
  }
}
# Korn-Graubard with missing answers: svyciprop takes nrow(design) - 1 (rows with NA included)
p <- svyciprop(~top2_na, des, method = "beta", na.rm = TRUE)
put("strclus.ciprop_top2_na.beta.est", p)
put("strclus.ciprop_top2_na.beta.ci_low", attr(p, "ci")[1]); put("strclus.ciprop_top2_na.beta.ci_high", attr(p, "ci")[2])
b <- svyby(~top2_na, ~grp, des, svyciprop, method = "beta", vartype = "ci", na.rm = TRUE)
for (g in c("agents", "usagers")) for (k in c("top2_na", "ci_l", "ci_u"))
  put(paste0("strclus.by_grp.ciprop_top2_na.beta.", g, ".", k), b[g, k])
b <- svyby(~y, ~grp, subset(des, !is.na(y)), svymean, covmat = TRUE)  # na.rm with covmat fails in survey 4.1
for (g in c("agents", "usagers")) { put(paste0("strclus.by_grp.mean_y.", g, ".est"), b[g, "y"]); put(paste0("strclus.by_grp.mean_y.", g, ".se"), b[g, "se"]) }
gap <- svycontrast(b, c(agents = -1, usagers = 1))
put("strclus.gap_y.usagers_minus_agents.est", coef(gap)); put("strclus.gap_y.usagers_minus_agents.se", SE(gap))
b <- svyby(~top2, ~grp, des, svymean, covmat = TRUE)
gap <- svycontrast(b, c(agents = -1, usagers = 1))
put("strclus.gap_top2.usagers_minus_agents.est", coef(gap)); put("strclus.gap_top2.usagers_minus_agents.se", SE(gap))
b <- svyby(~sat, ~grp, des, svymean)
for (g in c("agents", "usagers")) for (i in 1:4) {
  put(paste0("strclus.by_grp.share_sat.", g, ".", i, ".est"), b[g, paste0("sat", i)])
  put(paste0("strclus.by_grp.share_sat.", g, ".", i, ".se"), b[g, paste0("se.sat", i)])
}

## ---------------------------------------------------------------- raking the test design
tot <- round(sum(d$w) * 1.1)
pop_sex <- data.frame(sex = c("F", "H"), Freq = c(round(tot * 0.53), tot - round(tot * 0.53)))
pop_age <- data.frame(age3 = c("18-34", "35-59", "60+"),
                      Freq = c(round(tot * 0.25), round(tot * 0.40), tot - round(tot * 0.25) - round(tot * 0.40)))
for (i in 1:2) put(paste0("strclus.rake.margin.sex.", pop_sex$sex[i]), pop_sex$Freq[i])
for (i in 1:3) put(paste0("strclus.rake.margin.age3.", pop_age$age3[i]), pop_age$Freq[i])
rk <- rake(des, list(~sex, ~age3), list(pop_sex, pop_age), control = list(maxit = 200, epsilon = 1e-12))
write.csv(data.frame(id = d$id, raked_weight = sprintf("%.15g", weights(rk))),
          file.path(out_dir, "survey_strclus_raked_weights.csv"), row.names = FALSE, quote = FALSE)
record_mean("strclus.rake.mean_y", svymean(~y, rk, na.rm = TRUE))
record_mean("strclus.rake.total_y", svytotal(~y, rk, na.rm = TRUE))
m <- svymean(~sat, rk)
for (i in 1:4) { put(paste0("strclus.rake.share_sat.", i, ".est"), coef(m)[i]); put(paste0("strclus.rake.share_sat.", i, ".se"), SE(m)[i]) }
m <- svymean(~sex, rk)
put("strclus.rake.share_sex.F.est", coef(m)[1]); put("strclus.rake.share_sex.F.se", SE(m)[1])
p <- svyciprop(~top2, rk, method = "logit")
put("strclus.rake.ciprop_top2.logit.est", p); put("strclus.rake.ciprop_top2.logit.ci_low", attr(p, "ci")[1]); put("strclus.rake.ciprop_top2.logit.ci_high", attr(p, "ci")[2])
# a domain of a raked design keeps all rows in R (zero weights), so nrow(design) is the whole sample
b <- svyby(~top2_na, ~grp, rk, svyciprop, method = "beta", vartype = "ci", na.rm = TRUE)
for (g in c("agents", "usagers")) for (k in c("top2_na", "ci_l", "ci_u"))
  put(paste0("strclus.rake.by_grp.ciprop_top2_na.beta.", g, ".", k), b[g, k])
b <- svyby(~y, ~grp, rk, svymean, na.rm = TRUE)
for (g in c("agents", "usagers")) { put(paste0("strclus.rake.by_grp.mean_y.", g, ".est"), b[g, "y"]); put(paste0("strclus.rake.by_grp.mean_y.", g, ".se"), b[g, "se"]) }
# svyby(covmat = TRUE) fails on calibrated designs in survey 4.1; the slope of y ~ grp in svyglm
# is the same contrast (difference of domain means) with the same linearisation.
g <- svyglm(y ~ I(grp == "usagers"), rk)
put("strclus.rake.gap_y.usagers_minus_agents.est", coef(g)[2]); put("strclus.rake.gap_y.usagers_minus_agents.se", SE(g)[2])
g <- svyglm(y ~ I(grp == "usagers"), des)
put("strclus.glm_gap_y.usagers_minus_agents.est", coef(g)[2]); put("strclus.glm_gap_y.usagers_minus_agents.se", SE(g)[2])

## ---------------------------------------------------------------- R's api data (published peers)
data(api)
api_cols <- c("cds", "stype", "dnum", "pw", "fpc", "api00", "api99", "enroll", "sch.wide", "awards",
              "comp.imp", "yr.rnd")
write.csv(apistrat[, api_cols], file.path(out_dir, "api_strat.csv"), row.names = FALSE)
write.csv(apiclus1[, api_cols], file.path(out_dir, "api_clus1.csv"), row.names = FALSE)
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc)
record_mean("apistrat.mean_api00", svymean(~api00, dstrat))
record_mean("apistrat.total_enroll", svytotal(~enroll, dstrat))
m <- svymean(~sch.wide, dstrat)
put("apistrat.share_schwide.Yes.est", coef(m)[2]); put("apistrat.share_schwide.Yes.se", SE(m)[2])
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
record_mean("apiclus1.mean_api00", svymean(~api00, dclus1))
pop_stype <- data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018))
pop_sw <- data.frame(sch.wide = c("No", "Yes"), Freq = c(1072, 5122))
rc <- rake(dclus1, list(~stype, ~sch.wide), list(pop_stype, pop_sw), control = list(maxit = 200, epsilon = 1e-12))
record_mean("apiclus1.rake.mean_api00", svymean(~api00, rc))
record_mean("apiclus1.rake.total_enroll", svytotal(~enroll, rc))
# two-group t-test (svyttest: the slope of a svyglm, on its residual df = degf - 1), on the whole
# design, on a subset, and with missing values (R drops those rows: degf of the rows with a value)
record_ttest <- function(prefix, t) {
  put(paste0(prefix, ".diff"), t$estimate); put(paste0(prefix, ".t"), t$statistic)
  put(paste0(prefix, ".df"), t$parameter); put(paste0(prefix, ".p"), t$p.value)
  put(paste0(prefix, ".ci_low"), t$conf.int[1]); put(paste0(prefix, ".ci_high"), t$conf.int[2])
}
record_ttest("apiclus1.ttest_enroll_compimp", svyttest(enroll ~ comp.imp, dclus1))
record_ttest("apiclus1.ttest_enroll_compimp.not_H", svyttest(enroll ~ comp.imp, subset(dclus1, stype != "H")))
a_na <- apiclus1; a_na$enroll[1:20] <- NA  # the first 20 rows of api_clus1.csv
record_ttest("apiclus1.ttest_enroll_compimp.na20",
             svyttest(enroll ~ comp.imp, svydesign(id = ~dnum, weights = ~pw, data = a_na, fpc = ~fpc)))
# unanimous domains: every high and middle school of apiclus1 answers yr.rnd "No" (share 1, SE 0)
b <- svyby(~yr.rnd, ~stype, dclus1, svymean)
for (s in c("E", "H", "M")) for (l in c("No", "Yes")) {
  put(paste0("apiclus1.by_stype.share_yrrnd.", s, ".", l, ".est"), b[s, paste0("yr.rnd", l)])
  put(paste0("apiclus1.by_stype.share_yrrnd.", s, ".", l, ".se"), b[s, paste0("se.yr.rnd", l)])
}
# ... where svyciprop's Korn-Graubard interval is NaN (coanalysis gives Clopper-Pearson on n instead)
b <- svyby(~I(yr.rnd == "No"), ~stype, dclus1, svyciprop, method = "beta", vartype = "ci")
for (s in c("E", "H", "M")) for (k in c("ci_l", "ci_u"))
  put(paste0("apiclus1.by_stype.ciprop_yrrnd_no.beta.", s, ".", k), b[s, k])
# a category nobody has, without domains: no school scores above 950
m <- svymean(~factor(api00 > 950, levels = c(FALSE, TRUE)), dclus1)
put("apiclus1.share_api00_above950.FALSE.est", coef(m)[1]); put("apiclus1.share_api00_above950.FALSE.se", SE(m)[1])
p <- svyciprop(~I(api00 > 950), dclus1, method = "beta")
put("apiclus1.ciprop_api00_above950.beta.est", p)
put("apiclus1.ciprop_api00_above950.beta.ci_low", attr(p, "ci")[1]); put("apiclus1.ciprop_api00_above950.beta.ci_high", attr(p, "ci")[2])
# an empty domain: survey 4.1.1 returns mean 0 with SE 0 (coanalysis: NaN and NaN)
record_mean("apiclus1.empty_domain.mean_api00", svymean(~api00, subset(dclus1, api00 > 5000)))

## ---------------------------------------------------------------- ordinal regression (MASS::polr)
set.seed(7)
no <- 400
od <- data.frame(x1 = round(rnorm(no), 4), x2 = rbinom(no, 1, 0.4))
lat <- 0.8 * od$x1 - 0.6 * od$x2 + rlogis(no)
od$y <- cut(lat, c(-Inf, -1.5, -0.2, 0.9, 2.2, Inf), labels = 1:5, ordered_result = TRUE)
write.csv(od, file.path(out_dir, "survey_ordinal.csv"), row.names = FALSE)
fit <- polr(y ~ x1 + x2, data = od, Hess = TRUE, method = "logistic")
put("polr.coef.x1", coef(fit)["x1"]); put("polr.coef.x2", coef(fit)["x2"])
se <- sqrt(diag(vcov(fit)))
put("polr.se.x1", se["x1"]); put("polr.se.x2", se["x2"])
for (i in 1:4) put(paste0("polr.zeta.", i), fit$zeta[i])
put("polr.loglik", logLik(fit))

## ---------------------------------------------------------------- Cronbach's alpha (by its definition, Feldt CI)
items <- data.frame(i1 = as.integer(d$sat), i2 = pmin(4, pmax(1, as.integer(d$sat) + sample(-1:1, n, TRUE))),
                    i3 = pmin(4, pmax(1, as.integer(d$sat) + sample(-1:1, n, TRUE))))
write.csv(items, file.path(out_dir, "survey_items.csv"), row.names = FALSE)
k <- ncol(items); C <- cov(items)
alpha <- k / (k - 1) * (1 - sum(diag(C)) / sum(C))
put("alpha.est", alpha)
df1 <- nrow(items) - 1; df2 <- df1 * (k - 1)
put("alpha.feldt.ci_low", 1 - (1 - alpha) * qf(0.975, df1, df2))
put("alpha.feldt.ci_high", 1 - (1 - alpha) * qf(0.025, df1, df2))

## ---------------------------------------------------------------- design-based ordinal regression (survey::svyolr)
# Placed last: it draws no random numbers, and the values above keep their order in the file.
# svyolr takes its information matrix from optim's finite-difference Hessian (step ndeps = 1e-3
# by default), which moves the SEs by about 1e-5 relative. The "svyolr.*" values are fitted with
# a tight optimiser tolerance and a step of 1e-5 (so they are the analytic sandwich to ~1e-9);
# "svyolr_default.*" are the default call, what a user of R gets.
record_olr <- function(prefix, f) {
  stopifnot(f$convergence == 0)
  b <- f$coefficients; se <- sqrt(diag(vcov(f))); k <- length(b)
  for (j in seq_len(k)) put(paste0(prefix, ".coef.", names(b)[j]), b[j])
  for (i in seq_along(f$zeta)) put(paste0(prefix, ".zeta.", i), f$zeta[i])
  for (j in seq_len(k)) put(paste0(prefix, ".se.", names(b)[j]), se[j])
  for (i in seq_along(f$zeta)) put(paste0(prefix, ".se.zeta.", i), se[k + i])
  put(paste0(prefix, ".deviance"), f$deviance)
}
tight <- function(n_par) list(reltol = 1e-15, maxit = 10000, ndeps = rep(1e-5, n_par))
# sat ~ y + grp on the stratified clustered design with fpc; y is missing for 3 respondents,
# whom na.omit drops from the fit while their strata keep all their PSUs (zero influence)
record_olr("svyolr.strclus", svyolr(sat ~ y + grp, des, control = tight(5)))
record_olr("svyolr_default.strclus", svyolr(sat ~ y + grp, des))
record_olr("svyolr.strclus.probit", svyolr(sat ~ y + grp, des, method = "probit", control = tight(5)))
# the raked design: svyolr in survey 4.1.1 fails on a calibrated design with missing values
# (its weights keep the dropped rows, the model frame does not), so on the raked design the
# predictors are complete (grp, and age3, one of the raking margins) ...
record_olr("svyolr.strclus.rake", svyolr(sat ~ grp + age3, rk, control = tight(6)))
record_olr("svyolr_default.strclus.rake", svyolr(sat ~ grp + age3, rk))
# ... and sat ~ y + grp is fitted on the complete cases' design raked to the same margins
des_cc <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, fpc = ~fpc, data = d[!is.na(d$y), ])
rk_cc <- rake(des_cc, list(~sex, ~age3), list(pop_sex, pop_age), control = list(maxit = 200, epsilon = 1e-12))
record_olr("svyolr.strclus_complete.rake", svyolr(sat ~ y + grp, rk_cc, control = tight(5)))
# standard errors of the unweighted polr thresholds (the polr fit of the ordinal section above)
se <- sqrt(diag(vcov(fit)))
for (i in 1:4) put(paste0("polr.se.zeta.", i), se[2 + i])

## ---------------------------------------------------------------- design effects (svymean/svytotal deff)
# No random draws from here on: the values above keep their order and their digits.
# survey 4.x: deff = TRUE compares with simple random sampling without replacement from a
# population of sum(weights); deff = "replace" with replacement.
for (kind in c("srswor", "replace")) {
  dff <- if (kind == "srswor") TRUE else "replace"
  put(paste0("strclus.mean_y.deff.", kind), deff(svymean(~y, des, na.rm = TRUE, deff = dff)))
  put(paste0("strclus.total_y.deff.", kind), deff(svytotal(~y, des, na.rm = TRUE, deff = dff)))
  put(paste0("strclus.rake.mean_y.deff.", kind), deff(svymean(~y, rk, na.rm = TRUE, deff = dff)))
  put(paste0("strclus.rake.total_y.deff.", kind), deff(svytotal(~y, rk, na.rm = TRUE, deff = dff)))
  m <- svymean(~sat, des, deff = dff)
  for (i in 1:4) put(paste0("strclus.share_sat.", i, ".deff.", kind), deff(m)[i])
  b <- svyby(~y, ~grp, des, svymean, na.rm = TRUE, deff = dff)
  for (g in c("agents", "usagers")) put(paste0("strclus.by_grp.mean_y.", g, ".deff.", kind), b[g, "DEff.y"])
  put(paste0("apistrat.mean_api00.deff.", kind), deff(svymean(~api00, dstrat, deff = dff)))
  put(paste0("apistrat.total_enroll.deff.", kind), deff(svytotal(~enroll, dstrat, deff = dff)))
  put(paste0("apiclus1.mean_api00.deff.", kind), deff(svymean(~api00, dclus1, deff = dff)))
  put(paste0("apiclus1.total_enroll.deff.", kind), deff(svytotal(~enroll, dclus1, deff = dff)))
  put(paste0("apiclus1.rake.mean_api00.deff.", kind), deff(svymean(~api00, rc, deff = dff)))
}

## ---------------------------------------------------------------- quantiles (svyquantile, survey 4.x defaults)
# qrule = "math", interval.type = "mean" (Woodruff), df = degf(design), ci = TRUE
record_quantiles <- function(prefix, qs) {
  for (v in names(qs)) {
    r <- qs[[v]]
    for (i in seq_len(nrow(r))) {
      key <- paste0(prefix, ".", v, ".q", rownames(r)[i])
      put(paste0(key, ".est"), r[i, "quantile"]); put(paste0(key, ".se"), r[i, "se"])
      put(paste0(key, ".ci_low"), r[i, 2]); put(paste0(key, ".ci_high"), r[i, 3])
    }
  }
}
QS <- c(0.1, 0.25, 0.5, 0.75, 0.9)
record_quantiles("apistrat.quantile", svyquantile(~api00 + enroll, dstrat, QS, ci = TRUE))
record_quantiles("apiclus1.quantile", svyquantile(~api00 + enroll, dclus1, QS, ci = TRUE))
record_quantiles("apiclus1.rake.quantile", svyquantile(~api00, rc, QS, ci = TRUE))
record_quantiles("strclus.quantile", svyquantile(~y, des, QS, ci = TRUE, na.rm = TRUE))
record_quantiles("strclus.rake.quantile", svyquantile(~y, rk, QS, ci = TRUE, na.rm = TRUE))
record_quantiles("strclus.agents.quantile", svyquantile(~y, subset(des, grp == "agents"), QS, ci = TRUE, na.rm = TRUE))

## ---------------------------------------------------------------- ratios (svyratio)
record_ratio <- function(prefix, r) {
  put(paste0(prefix, ".est"), coef(r)); put(paste0(prefix, ".se"), SE(r))
  ci <- confint(r); put(paste0(prefix, ".ci_low"), ci[1]); put(paste0(prefix, ".ci_high"), ci[2])
}
record_ratio("apistrat.ratio_api00_api99", svyratio(~api00, ~api99, dstrat))
record_ratio("apiclus1.ratio_api00_api99", svyratio(~api00, ~api99, dclus1))
record_ratio("apiclus1.rake.ratio_api00_api99", svyratio(~api00, ~api99, rc))
put("apiclus1.ratio_api00_api99.deff.srswor", deff(svyratio(~api00, ~api99, dclus1, deff = TRUE)))
put("apiclus1.ratio_api00_api99.deff.replace", deff(svyratio(~api00, ~api99, dclus1, deff = "replace")))
record_ratio("strclus.ratio_y_w", svyratio(~y, ~w, des, na.rm = TRUE))  # y has 3 missing values
record_ratio("strclus.rake.ratio_y_w", svyratio(~y, ~w, rk, na.rm = TRUE))
record_ratio("strclus.agents.ratio_y_w", svyratio(~y, ~w, subset(des, grp == "agents"), na.rm = TRUE))

## ---------------------------------------------------------------- the other svyciprop intervals
for (meth in c("likelihood", "asin", "xlogit", "mean")) {
  for (v in c("top2", "rare")) {
    p <- svyciprop(as.formula(paste0("~", v)), des, method = meth)
    put(paste0("strclus.ciprop_", v, ".", meth, ".est"), p)
    put(paste0("strclus.ciprop_", v, ".", meth, ".ci_low"), attr(p, "ci")[1])
    put(paste0("strclus.ciprop_", v, ".", meth, ".ci_high"), attr(p, "ci")[2])
  }
  p <- svyciprop(~top2, rk, method = meth)
  put(paste0("strclus.rake.ciprop_top2.", meth, ".ci_low"), attr(p, "ci")[1])
  put(paste0("strclus.rake.ciprop_top2.", meth, ".ci_high"), attr(p, "ci")[2])
  p <- svyciprop(~top2, subset(des, grp == "agents"), method = meth)
  put(paste0("strclus.agents.ciprop_top2.", meth, ".ci_low"), attr(p, "ci")[1])
  put(paste0("strclus.agents.ciprop_top2.", meth, ".ci_high"), attr(p, "ci")[2])
  p <- svyciprop(~top2, subset(rk, grp == "agents"), method = meth)
  put(paste0("strclus.rake.agents.ciprop_top2.", meth, ".ci_low"), attr(p, "ci")[1])
  put(paste0("strclus.rake.agents.ciprop_top2.", meth, ".ci_high"), attr(p, "ci")[2])
  for (nm in c("dstrat", "dclus1")) {
    p <- svyciprop(~I(sch.wide == "Yes"), get(nm), method = meth)
    key <- paste0(if (nm == "dstrat") "apistrat" else "apiclus1", ".ciprop_schwide_yes.", meth)
    put(paste0(key, ".est"), p); put(paste0(key, ".ci_low"), attr(p, "ci")[1]); put(paste0(key, ".ci_high"), attr(p, "ci")[2])
  }
}

# svyciprop(method = "likelihood") reads its bounds off a spline through a few profile points
# (MASS's profile.glm, steps of a fifth of zmax standard errors), and its lambda takes the
# model-based variance from glm's last working weights, those of the iterate before the converged
# one. The "likelihood_root" values solve the same equation exactly, with R's own deviance and
# dispersion: (D(b) - D(b_hat)) / dispersion = lambda t^2, lambda = design-based / model-based
# variance of the intercept (the latter at the fitted mean), t = qt(0.025, degf).
likelihood_root <- function(formula, design) {
  m <- svyglm(formula, design, family = quasibinomial)
  disp <- suppressWarnings(as.numeric(summary(m)$dispersion))
  mu <- fitted(m)[1]
  lambda <- m$cov.unscaled[1, 1] * sum(m$prior.weights * mu * (1 - mu))
  target <- disp * lambda * qt(0.025, degf(design))^2
  y <- m$y; pw <- m$prior.weights; b0 <- coef(m)[1]
  excess <- function(b) sum(binomial()$dev.resids(y, rep(plogis(b), length(y)), pw)) - deviance(m) - target
  se <- sqrt(m$naive.cov[1, 1])
  lo <- uniroot(excess, c(b0 - 50 * se, b0), tol = 1e-13)$root
  hi <- uniroot(excess, c(b0, b0 + 50 * se), tol = 1e-13)$root
  plogis(c(lo, hi))
}
for (case in list(list("strclus.ciprop_top2", ~top2, des), list("strclus.ciprop_rare", ~rare, des),
                  list("strclus.rake.ciprop_top2", ~top2, rk),
                  list("strclus.agents.ciprop_top2", ~top2, subset(des, grp == "agents")),
                  list("strclus.rake.agents.ciprop_top2", ~top2, subset(rk, grp == "agents")),
                  list("apistrat.ciprop_schwide_yes", ~I(sch.wide == "Yes"), dstrat),
                  list("apiclus1.ciprop_schwide_yes", ~I(sch.wide == "Yes"), dclus1))) {
  f <- update(case[[2]], paste(deparse(case[[2]][[2]]), "~ 1"))
  ci <- likelihood_root(f, case[[3]])
  put(paste0(case[[1]], ".likelihood_root.ci_low"), ci[1]); put(paste0(case[[1]], ".likelihood_root.ci_high"), ci[2])
}

## ---------------------------------------------------------------- crosstabs (svytable, svychisq)
record_chisq <- function(prefix, formula, design) {
  tab <- svytable(formula, design)
  for (i in seq_len(nrow(tab))) for (j in seq_len(ncol(tab)))
    put(paste0(prefix, ".count.", rownames(tab)[i], ".", colnames(tab)[j]), tab[i, j])
  f <- svychisq(formula, design, statistic = "F")
  put(paste0(prefix, ".F.statistic"), f$statistic); put(paste0(prefix, ".F.ndf"), f$parameter[1])
  put(paste0(prefix, ".F.ddf"), f$parameter[2]); put(paste0(prefix, ".F.p"), f$p.value)
  x <- svychisq(formula, design, statistic = "Chisq")
  put(paste0(prefix, ".Chisq.statistic"), x$statistic); put(paste0(prefix, ".Chisq.df"), x$parameter[1])
  put(paste0(prefix, ".Chisq.p"), x$p.value)
}
record_chisq("apistrat.chisq_schwide_stype", ~sch.wide + stype, dstrat)
record_chisq("apiclus1.chisq_schwide_stype", ~sch.wide + stype, dclus1)
record_chisq("apiclus1.rake.chisq_compimp_stype", ~comp.imp + stype, rc)
record_chisq("strclus.chisq_sat_grp", ~sat + grp, des)
record_chisq("strclus.chisq_age3_sat", ~age3 + sat, des)
record_chisq("strclus.rake.chisq_sat_grp", ~sat + grp, rk)
record_chisq("strclus.chisq_satna_grp", ~sat_na + grp, des)  # 5 missing answers

con <- file(file.path(out_dir, "survey_reference_values.csv"), "w")
writeLines(c(paste0("# ", R.version.string), paste0("# survey ", packageVersion("survey"), "; MASS ", packageVersion("MASS")),
             "# generated by tests/reference/make_survey_reference.R", "name,value"), con)
writeLines(sprintf("%s,%.17g", names(vals), unlist(vals)), con)
close(con)
cat("wrote", length(vals), "reference values\n")
