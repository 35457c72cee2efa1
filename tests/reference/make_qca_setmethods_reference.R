# Reference values for coanalysis.qca.theory_evaluation and coanalysis.qca.case_typology,
# computed once with R's SetMethods (Oana, Schneider & Thomann) on R QCA's own datasets.
#
# Run from the repository root, with QCA, SetMethods and jsonlite installed:
#   Rscript tests/reference/make_qca_setmethods_reference.R
# Writes tests/reference/qca_setmethods_reference.json (versions, the exact calls, the values).
# The test suite reads that file and never needs R. See tests/reference/qca_README.md.
#
# The data are read from the CSVs the tests use (tests/reference/qca_*.csv) and checked equal to
# R QCA's datasets LF, CVF and LC; the `declared` labels of QCA's datasets are dropped (plain
# numeric columns), since SetMethods' cases.suf.dcv cannot aggregate `declared` columns.
# Values are stored unrounded where R computes them unrounded: the memberships (theory.data,
# pimdata), the fit via QCA::pof on the same memberships. SetMethods' own printed fit (QCAfit
# rounds to 3 significant digits) and its case tables (some columns rounded to 3 decimals) are
# stored as SetMethods returns them.
suppressMessages({library(QCA); library(SetMethods); library(jsonlite)})
ref_dir <- "tests/reference"

read_ref <- function(file, r_name) {
  d <- read.csv(file.path(ref_dir, file), check.names = FALSE)
  rownames(d) <- d$case
  d$case <- NULL
  e <- new.env(); data(list = r_name, package = "QCA", envir = e)
  r <- get(r_name, envir = e)
  r <- as.data.frame(lapply(r, function(v) as.numeric(unclass(v))), row.names = rownames(r))
  stopifnot(identical(rownames(r), rownames(d)), identical(names(r), names(d)),
            max(abs(as.matrix(r) - as.matrix(d))) < 1e-12)
  d
}
datasets <- list(
  LF = list(file = "qca_lipset_fuzzy.csv", data = read_ref("qca_lipset_fuzzy.csv", "LF")),
  CVF = list(file = "qca_cebotari_vink_fuzzy.csv", data = read_ref("qca_cebotari_vink_fuzzy.csv", "CVF")),
  LC = list(file = "qca_lipset_crisp.csv", data = read_ref("qca_lipset_crisp.csv", "LC")))

col_list <- function(df) {  # a data frame as {column: {case: value}} (unrounded numbers)
  out <- list()
  for (j in names(df)) out[[j]] <- as.list(setNames(as.numeric(df[[j]]), rownames(df)))
  out
}
rows_of <- function(df) {  # a data frame as a list of rows (R's row order kept)
  if (is.null(df) || nrow(df) == 0) return(list())
  df <- as.data.frame(lapply(df, function(v) if (is.data.frame(v)) v[[1]] else v),
                      check.names = FALSE, stringsAsFactors = FALSE)
  lapply(seq_len(nrow(df)), function(i) as.list(df[i, , drop = FALSE]))
}
fit_of <- function(df) {  # a fit table (rows = sets) as {set: {measure: value}}
  out <- list()
  for (i in seq_len(nrow(df))) out[[rownames(df)[i]]] <- as.list(df[i, , drop = TRUE])
  out
}
solution_models <- function(res) {
  if (is.null(res$i.sol)) lapply(res$solution, function(s) paste(s, collapse = " + "))
  else lapply(res$i.sol$C1P1$solution, function(s) paste(s, collapse = " + "))
}

# the eight cells theory.evaluation prints: intersection x outcome above / below 0.5
cells <- list(c("TSY", "T*S", ">"), c("~TSY", "~T*S", ">"), c("T~SY", "T*~S", ">"),
              c("~T~SY", "~T*~S", ">"), c("TS~Y", "T*S", "<"), c("~TS~Y", "~T*S", "<"),
              c("T~S~Y", "T*~S", "<"), c("~T~S~Y", "~T*~S", "<"))
theory_block <- function(res, outcome, theory, sol) {
  te <- theory.evaluation(theory = theory, empirics = res, outcome = outcome, sol = sol)
  d <- te$data
  sets <- setdiff(names(d), "Outcome")
  pof_fit <- pof(d[, sets], d$Outcome, relation = "sufficiency")$incl.cov
  cases_sm <- list(); cases_rule <- list()
  for (cl in cells) {
    names_sm <- te$cases[[cl[1]]]$CaseNames
    cases_sm[[cl[1]]] <- if (identical(names_sm, "No cases in this intersection")) character(0) else names_sm
    x <- d[[cl[2]]]; y <- d$Outcome
    keep <- if (cl[3] == ">") (x > 0.5) & (y > 0.5) else (x > 0.5) & (y < 0.5)
    cases_rule[[cl[1]]] <- rownames(d)[keep]
  }
  list(theory = theory, sol = sol,
       call = sprintf('theory.evaluation(theory = "%s", empirics = <minimize result>, outcome = "%s", sol = %d)',
                      theory, outcome, sol),
       data = col_list(d),
       fit_setmethods = fit_of(te$fit),
       fit_pof = fit_of(pof_fit[, c("inclS", "PRI", "covS")]),
       cases_setmethods = lapply(cases_sm, I),
       cases_rule = lapply(cases_rule, I),
       boolean = list(`T*S` = te$inters$TE, `~T*S` = te$inters$tE, `T*~S` = te$inters$Te,
                      `~T*~S` = te$inters$te))
}
typology_block <- function(res, outcome, sol) {
  errors <- list()
  get_cases <- function(k) tryCatch(
    smmr(results = res, outcome = outcome, match = FALSE, cases = k, sol = sol)[[1]]$results,
    error = function(e) {  # SetMethods 4.1 stops on an empty deviant-coverage set
      errors[[as.character(k)]] <<- conditionMessage(e); NULL })
  X <- pimdata(results = res, outcome = outcome, sol = sol)
  list(call = sprintf('smmr(results = <minimize result>, outcome = "%s", match = FALSE, cases = k, sol = %d) for k = 1 (typical), 3 (deviant consistency), 4 (deviant coverage), 5 (individually irrelevant)', outcome, sol),
       pimdata = col_list(X),
       typical = rows_of(get_cases(1)),
       deviant_consistency = rows_of(get_cases(3)),
       deviant_coverage = rows_of(get_cases(4)),
       individually_irrelevant = rows_of(get_cases(5)),
       errors = errors,
       # how many cases each solution-level rule selects, from pimdata: shows that an error
       # above came from an empty set (deviant coverage: S < 0.5, Y > 0.5; IIR: S < 0.5, Y < 0.5)
       n_rule = list(deviant_coverage = sum(X$solution_formula < 0.5 & X$out > 0.5),
                     individually_irrelevant = sum(X$solution_formula < 0.5 & X$out < 0.5)))
}

specs <- list(
  list(id = "LF_SURV_parsimonious", dataset = "LF", outcome = "SURV", incl_cut = 0.8,
       solution = "parsimonious", theories = c("DEV*STB", "LIT*~IND + URB")),
  list(id = "LF_SURV_complex", dataset = "LF", outcome = "SURV", incl_cut = 0.8,
       solution = "complex", theories = c("DEV*LIT")),
  list(id = "LF_SURV_intermediate", dataset = "LF", outcome = "SURV", incl_cut = 0.8,
       solution = "intermediate", dir_exp = "DEV, URB, LIT, IND, STB", theories = c("DEV*URB + STB")),
  list(id = "LF_notSURV_parsimonious", dataset = "LF", outcome = "~SURV", incl_cut = 0.8,
       solution = "parsimonious", theories = c("~DEV + ~STB")),
  list(id = "CVF_PROTEST_parsimonious", dataset = "CVF", outcome = "PROTEST", incl_cut = 0.8,
       solution = "parsimonious", theories = c("ETHFRACT*POLDIS", "~NATPRIDE + GEOCON*DEMOC")),
  list(id = "CVF_PROTEST_complex", dataset = "CVF", outcome = "PROTEST", incl_cut = 0.8,
       solution = "complex", theories = c("ETHFRACT*~NATPRIDE")),
  # lower cut-offs let cases with a term > 0.5 and the outcome < 0.5 in (deviant consistency)
  list(id = "CVF_PROTEST_parsimonious_075", dataset = "CVF", outcome = "PROTEST", incl_cut = 0.75,
       solution = "parsimonious", theories = c("ETHFRACT")),
  list(id = "CVF_PROTEST_parsimonious_070", dataset = "CVF", outcome = "PROTEST", incl_cut = 0.7,
       solution = "parsimonious", theories = c("DEMOC*POLDIS + ~NATPRIDE")),
  list(id = "LC_SURV_parsimonious", dataset = "LC", outcome = "SURV", incl_cut = 1,
       solution = "parsimonious", theories = c("DEV*LIT*STB", "URB + ~IND")),
  list(id = "LC_SURV_complex", dataset = "LC", outcome = "SURV", incl_cut = 1,
       solution = "complex", theories = c("DEV*STB")))

analyses <- list()
for (sp in specs) {
  ds <- datasets[[sp$dataset]]
  d <- ds$data
  tt_call <- sprintf('truthTable(%s, outcome = "%s", incl.cut = %s)', sp$dataset, sp$outcome, sp$incl_cut)
  tt <- truthTable(d, outcome = sp$outcome, incl.cut = sp$incl_cut)
  if (sp$solution == "complex") {
    res <- minimize(tt); min_call <- "minimize(tt)"
  } else if (sp$solution == "parsimonious") {
    res <- minimize(tt, include = "?"); min_call <- 'minimize(tt, include = "?")'
  } else {
    res <- minimize(tt, include = "?", dir.exp = sp$dir_exp)
    min_call <- sprintf('minimize(tt, include = "?", dir.exp = "%s")', sp$dir_exp)
  }
  conds <- setdiff(names(d), sub("~", "", sp$outcome))
  cat(sp$id, ":", unlist(solution_models(res)), "\n")
  analyses[[length(analyses) + 1]] <- list(
    id = sp$id, dataset = sp$dataset, csv = ds$file, outcome = sp$outcome, conditions = conds,
    consistency_cutoff = sp$incl_cut, solution = sp$solution,
    directional = if (is.null(sp$dir_exp)) NULL else as.list(setNames(rep(1, length(conds)), conds)),
    calls = list(truth_table = tt_call, minimize = min_call),
    models = solution_models(res), sol = 1,
    theory_evaluation = lapply(sp$theories, function(t) theory_block(res, sp$outcome, t, 1)),
    typology = typology_block(res, sp$outcome, 1))
}

# ------------------------------------------------------------------ robustness: rob.fit
# Oana & Schneider's fit-oriented robustness measures of an initial solution (IS) against test
# solutions (TS) made with changed cut-offs. SetMethods' QCAfit rounds the fit it divides to 3
# significant digits, so rob.fit's RF_cov and RF_cons are ratios of rounded numbers; the
# unrounded measures are computed here too, with QCA::pof on the same pimdata memberships.
# SetMethods 4.1 builds the minimum and maximum of the test solutions with
# `for (i in length(test_sol))`, i.e. from the first and the last test solution only: with at
# most two test solutions (as here) that is every one; the three-solution case records both.
rob_specs <- list(
  list(id = "LF_SURV_parsimonious_cutoffs", dataset = "LF", outcome = "SURV", solution = "parsimonious",
       initial = list(incl_cut = 0.8, n_cut = 1), tests = list(list(incl_cut = 0.75, n_cut = 1),
                                                             list(incl_cut = 0.85, n_cut = 1))),
  list(id = "LF_SURV_complex_cutoffs", dataset = "LF", outcome = "SURV", solution = "complex",
       initial = list(incl_cut = 0.8, n_cut = 1), tests = list(list(incl_cut = 0.7, n_cut = 1))),
  list(id = "CVF_PROTEST_parsimonious_cutoffs", dataset = "CVF", outcome = "PROTEST", solution = "parsimonious",
       initial = list(incl_cut = 0.8, n_cut = 1), tests = list(list(incl_cut = 0.75, n_cut = 1),
                                                             list(incl_cut = 0.85, n_cut = 2))),
  list(id = "CVF_PROTEST_parsimonious_three_tests", dataset = "CVF", outcome = "PROTEST",
       solution = "parsimonious", initial = list(incl_cut = 0.8, n_cut = 1),
       tests = list(list(incl_cut = 0.75, n_cut = 1), list(incl_cut = 0.7, n_cut = 1),
                    list(incl_cut = 0.85, n_cut = 1))))
run_min <- function(d, outcome, solution, st) {
  tt <- truthTable(d, outcome = outcome, incl.cut = st$incl_cut, n.cut = st$n_cut)
  if (solution == "complex") minimize(tt) else minimize(tt, include = "?")
}
rob_fit <- list()
for (sp in rob_specs) {
  d <- datasets[[sp$dataset]]$data
  IS <- run_min(d, sp$outcome, sp$solution, sp$initial)
  TS <- lapply(sp$tests, function(st) run_min(d, sp$outcome, sp$solution, st))
  rf <- rob.fit(test_sol = TS, initial_sol = IS, outcome = sp$outcome)
  is_m <- pimdata(IS, sp$outcome)
  ts_m <- lapply(TS, function(r) pimdata(r, sp$outcome)$solution_formula)
  y <- is_m$out; s1 <- is_m$solution_formula
  tmin <- Reduce(pmin, ts_m); tmax <- Reduce(pmax, ts_m)
  core <- pmin(s1, tmin)
  fit <- pof(data.frame(IS = s1, core = core), y, relation = "sufficiency")$incl.cov
  rc <- tryCatch(rob.cases(test_sol = TS, initial_sol = IS, outcome = sp$outcome),
                 error = function(e) list(error = conditionMessage(e)))
  rob_cases <- if (!is.null(rc$error)) list(error = rc$error) else list(
    parameters = as.list(rc$CaseParameters[1, ]),
    cases = lapply(rc$CaseTypes, function(ct) I(if (identical(ct$CaseNames, "No cases in this intersection"))
      character(0) else ct$CaseNames)))
  rob_fit[[length(rob_fit) + 1]] <- list(
    rob_cases = rob_cases,
    id = sp$id, dataset = sp$dataset, csv = datasets[[sp$dataset]]$file, outcome = sp$outcome,
    conditions = setdiff(names(d), sp$outcome), solution = sp$solution,
    initial = sp$initial, tests = sp$tests,
    calls = list(truth_table = 'truthTable(<data>, outcome = <outcome>, incl.cut = <incl_cut>, n.cut = <n_cut>)',
                 minimize = if (sp$solution == "complex") "minimize(tt)" else 'minimize(tt, include = "?")',
                 rob.fit = sprintf('rob.fit(test_sol = list(<%d test solutions>), initial_sol = <initial>, outcome = "%s")',
                                   length(TS), sp$outcome)),
    initial_model = paste(IS$solution[[1]], collapse = " + "),
    test_models = lapply(TS, function(r) paste(r$solution[[1]], collapse = " + ")),
    rob_fit_setmethods = as.list(rf[1, ]),
    unrounded = list(RF_cov = fit["core", "covS"] / fit["IS", "covS"],
                     RF_cons = fit["IS", "inclS"] / fit["core", "inclS"],
                     RF_SC_minTS = sum(pmin(s1, tmin)) / sum(pmax(s1, tmin)),
                     RF_SC_maxTS = sum(pmin(s1, tmax)) / sum(pmax(s1, tmax)),
                     IS_consistency = fit["IS", "inclS"], IS_coverage = fit["IS", "covS"],
                     core_consistency = fit["core", "inclS"], core_coverage = fit["core", "covS"]),
    memberships = list(initial = as.list(setNames(s1, rownames(is_m))),
                       tests = lapply(ts_m, function(v) as.list(setNames(v, rownames(is_m)))),
                       outcome = as.list(setNames(y, rownames(is_m)))))
  cat(sp$id, ":", unlist(rf[1, ]), "\n")
}

# ------------------------------------------------------------------ robustness: ranges
# rob.inclrange / rob.ncutrange: from the initial cut-off, step down and up while the first
# model keeps the same terms; the bounds are the last cut-offs where it does. Their quirks (the
# consistency cut-off 1 and the frequency cut-off 0 are never tried; NA as soon as max.runs
# steps are taken, even when the last one changed the solution) do not bite in these specs: each
# range ends inside (0, 1) and within max.runs steps (checked by the tests' `inside` flag).
range_specs <- list(
  list(id = "LF_SURV_parsimonious_incl", dataset = "LF", outcome = "SURV", include = "?",
       parameter = "consistency", incl_cut = 0.8, n_cut = 1, step = 0.01, max_runs = 40),
  list(id = "LF_SURV_complex_incl", dataset = "LF", outcome = "SURV", include = "",
       parameter = "consistency", incl_cut = 0.8, n_cut = 1, step = 0.02, max_runs = 20),
  list(id = "CVF_PROTEST_parsimonious_incl", dataset = "CVF", outcome = "PROTEST", include = "?",
       parameter = "consistency", incl_cut = 0.8, n_cut = 1, step = 0.01, max_runs = 40),
  list(id = "CVF_PROTEST_parsimonious_ncut", dataset = "CVF", outcome = "PROTEST", include = "?",
       parameter = "n", incl_cut = 0.8, n_cut = 2, step = 1, max_runs = 10),
  list(id = "LF_SURV_parsimonious_ncut", dataset = "LF", outcome = "SURV", include = "?",
       parameter = "n", incl_cut = 0.8, n_cut = 1, step = 1, max_runs = 10))
ranges <- list()
for (sp in range_specs) {
  d <- datasets[[sp$dataset]]$data
  conds <- setdiff(names(d), sp$outcome)
  f <- if (sp$parameter == "consistency") rob.inclrange else rob.ncutrange
  out <- capture.output(th <- f(data = d, step = sp$step, max.runs = sp$max_runs, outcome = sp$outcome,
                                conditions = conds, incl.cut = sp$incl_cut, n.cut = sp$n_cut,
                                include = sp$include))
  ranges[[length(ranges) + 1]] <- list(
    id = sp$id, dataset = sp$dataset, csv = datasets[[sp$dataset]]$file, outcome = sp$outcome,
    conditions = conds, solution = if (sp$include == "?") "parsimonious" else "complex",
    parameter = sp$parameter, consistency_cutoff = sp$incl_cut, n_cutoff = sp$n_cut,
    step = sp$step, max_runs = sp$max_runs,
    call = sprintf('%s(data = %s, step = %s, max.runs = %s, outcome = "%s", conditions = <all others>, incl.cut = %s, n.cut = %s, include = "%s")',
                   if (sp$parameter == "consistency") "rob.inclrange" else "rob.ncutrange",
                   sp$dataset, sp$step, sp$max_runs, sp$outcome, sp$incl_cut, sp$n_cut, sp$include),
    lower = th["Lower bound", 1], upper = th["Upper bound", 1])
  cat(sp$id, ":", th[, 1], "\n")
}

# ------------------------------------------------------------------ robustness: calibration
# rob.calibrange: one anchor of one condition moved by `step` down and up (the others fixed),
# recalibrated from the raw data (R QCA's LR), while the first model keeps its terms. Quirks:
# a move that makes the anchors unordered (e.g. crossover = inclusion) is not refused by R QCA's
# calibrate (it gives NaN or a non-monotone set) and the search goes on; the crossover stops at
# the raw data's range; NA once max.runs steps are taken. The tests skip bounds at such a collision.
LR <- read_ref("qca_lipset_raw.csv", "LR")
calib_specs <- list(
  list(id = "LF_SURV_parsimonious_DEV", raw = "DEV", anchors = c(400, 550, 900), step = 10, max_runs = 40),
  list(id = "LF_SURV_parsimonious_URB", raw = "URB", anchors = c(25, 50, 65), step = 1, max_runs = 40),
  list(id = "LF_SURV_parsimonious_STB", raw = "STB", anchors = c(10, 7.5, 5), step = 0.5, max_runs = 20))
calib <- list()
for (sp in calib_specs) {
  lf <- datasets$LF$data
  conds <- c("DEV", "URB", "LIT", "IND", "STB")
  out <- capture.output(th <- rob.calibrange(
    raw.data = LR, calib.data = lf, test.cond.raw = sp$raw, test.cond.calib = sp$raw,
    test.thresholds = sp$anchors, step = sp$step, max.runs = sp$max_runs, outcome = "SURV",
    conditions = conds, incl.cut = 0.8, include = "?"))
  calib[[length(calib) + 1]] <- list(
    id = sp$id, raw_csv = "qca_lipset_raw.csv", csv = "qca_lipset_fuzzy.csv", column = sp$raw,
    anchors = sp$anchors, step = sp$step, max_runs = sp$max_runs, outcome = "SURV",
    conditions = conds, consistency_cutoff = 0.8, solution = "parsimonious",
    call = sprintf('rob.calibrange(raw.data = LR, calib.data = LF, test.cond.raw = "%s", test.cond.calib = "%s", test.thresholds = c(%s), step = %s, max.runs = %s, outcome = "SURV", conditions = <DEV URB LIT IND STB>, incl.cut = 0.8, include = "?")',
                   sp$raw, sp$raw, paste(sp$anchors, collapse = ", "), sp$step, sp$max_runs),
    exclusion = list(lower = th["Lower bound", "E"], upper = th["Upper bound", "E"]),
    crossover = list(lower = th["Lower bound", "C"], upper = th["Upper bound", "C"]),
    inclusion = list(lower = th["Lower bound", "I"], upper = th["Upper bound", "I"]))
  cat(sp$id, ":", unlist(th), "\n")
}

ver <- function(p) as.character(packageVersion(p))
out <- list(
  generated_by = "tests/reference/make_qca_setmethods_reference.R",
  versions = list(R = R.version.string, QCA = ver("QCA"), SetMethods = ver("SetMethods"),
                  admisc = ver("admisc"), declared = ver("declared"), venn = ver("venn"),
                  jsonlite = ver("jsonlite")),
  cells = lapply(cells, function(cl) list(key = cl[1], intersection = cl[2], outcome = cl[3])),
  analyses = analyses,
  robustness_fit = rob_fit,
  robustness_ranges = ranges,
  calibration_ranges = calib)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null", na = "null"),
           file.path(ref_dir, "qca_setmethods_reference.json"))
cat("wrote", file.path(ref_dir, "qca_setmethods_reference.json"), "\n")
