# Independent reference for tests/rfm/rfm-r-package.test.ts: aggregates rfm_data_orders.csv per
# customer with base R and prints R's own type-7 quintile breakpoints (stats::quantile, the call
# R's rfm package makes in its bins() helper) of recency days, order count and revenue, one
# measure per line. Usage: Rscript rfm-r-quantiles.R path/to/rfm_data_orders.csv
args <- commandArgs(trailingOnly = TRUE)
orders <- read.csv(args[1], stringsAsFactors = FALSE)
day <- as.numeric(as.Date(orders$order_date))
analysis <- as.numeric(as.Date("2006-12-31"))
recency <- analysis - tapply(day, orders$customer_id, max)
frequency <- tapply(orders$revenue, orders$customer_id, length)
monetary <- tapply(orders$revenue, orders$customer_id, sum)
probs <- (1:4) / 5
for (values in list(recency, frequency, monetary)) {
  cat(sprintf("%.10f", quantile(as.numeric(values), probs, type = 7, names = FALSE)), "\n")
}
