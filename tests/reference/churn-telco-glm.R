# Reference for tests/churn/telco-logistic.test.ts: R's glm(family = binomial) on the IBM Telco churn
# table with the feature recipe of the test (kept identical on both sides):
#   - the 11 rows with a blank TotalCharges (customers with tenure 0) are dropped;
#   - SeniorCitizen, Partner, Dependents, PhoneService, PaperlessBilling: 0/1 (1 = 1 / "Yes");
#   - MultipleLines and the six internet add-ons: 1 when "Yes", 0 for "No" / "No phone service" /
#     "No internet service" (their one-hot form is exactly collinear with InternetService);
#   - gender, Contract, InternetService, PaymentMethod: factors with levels in C-locale sorted order, the
#     first level the reference (treatment contrasts);
#   - tenure, MonthlyCharges, TotalCharges numeric as given.
# Usage: Rscript tests/reference/churn-telco-glm.R path/to/WA_Fn-UseC_-Telco-Customer-Churn.csv
# Prints one tab-separated line per coefficient (term, estimate, std error, z, p-value), then the
# deviances and AIC. The convergence tolerance is tightened (epsilon 1e-14) so that the comparison
# measures the optimum, not where R's default criterion happened to stop.
args <- commandArgs(trailingOnly = TRUE)
telco <- read.csv(args[1], stringsAsFactors = FALSE)
telco$TotalCharges <- suppressWarnings(as.numeric(telco$TotalCharges))
telco <- telco[!is.na(telco$TotalCharges), ]
yes <- function(x) as.numeric(x == "Yes")
sortedFactor <- function(x) factor(x, levels = sort(unique(x), method = "radix"))
d <- data.frame(
  Churn = yes(telco$Churn),
  SeniorCitizen = as.numeric(telco$SeniorCitizen),
  Partner = yes(telco$Partner),
  Dependents = yes(telco$Dependents),
  tenure = as.numeric(telco$tenure),
  PhoneService = yes(telco$PhoneService),
  MultipleLines = yes(telco$MultipleLines),
  OnlineSecurity = yes(telco$OnlineSecurity),
  OnlineBackup = yes(telco$OnlineBackup),
  DeviceProtection = yes(telco$DeviceProtection),
  TechSupport = yes(telco$TechSupport),
  StreamingTV = yes(telco$StreamingTV),
  StreamingMovies = yes(telco$StreamingMovies),
  PaperlessBilling = yes(telco$PaperlessBilling),
  MonthlyCharges = telco$MonthlyCharges,
  TotalCharges = telco$TotalCharges,
  gender = sortedFactor(telco$gender),
  Contract = sortedFactor(telco$Contract),
  InternetService = sortedFactor(telco$InternetService),
  PaymentMethod = sortedFactor(telco$PaymentMethod)
)
fit <- glm(Churn ~ ., data = d, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
table <- summary(fit)$coefficients
for (i in seq_len(nrow(table))) {
  cat(rownames(table)[i], sprintf("%.17g", table[i, 1]), sprintf("%.17g", table[i, 2]),
      sprintf("%.17g", table[i, 3]), sprintf("%.17g", table[i, 4]), sep = "\t")
  cat("\n")
}
cat("null.deviance", sprintf("%.17g", fit$null.deviance), sep = "\t"); cat("\n")
cat("deviance", sprintf("%.17g", fit$deviance), sep = "\t"); cat("\n")
cat("aic", sprintf("%.17g", fit$aic), sep = "\t"); cat("\n")
cat("rows", nrow(d), sep = "\t"); cat("\n")
