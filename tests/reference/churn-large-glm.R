# Reference for tests/churn/logistic.test.ts ("large inputs"): R's glm(family = binomial) on a numeric
# matrix written by the test as a headerless CSV, the 0/1 target in the first column and the features
# after it. The convergence tolerance is tightened (epsilon 1e-14) so that the comparison measures the
# optimum and the information matrix there, not where R's default criterion happened to stop.
# Usage: Rscript tests/reference/churn-large-glm.R path/to/matrix.csv
# Prints one tab-separated line per coefficient (estimate, std error, 17 significant digits), the
# intercept first, then a line `deviance<TAB>value`.
args <- commandArgs(trailingOnly = TRUE)
d <- as.matrix(read.csv(args[1], header = FALSE))
fit <- glm(d[, 1] ~ d[, -1], family = binomial, control = glm.control(epsilon = 1e-14, maxit = 50))
s <- summary(fit)$coefficients
for (i in seq_len(nrow(s))) cat(sprintf("%.17g\t%.17g\n", s[i, 1], s[i, 2]))
cat(sprintf("deviance\t%.17g\n", fit$deviance))
