/** The interest measures of one rule X => Y (see {@link AssociationRule} for their definitions). */
export interface RuleMetrics {
  readonly antecedentSupport: number;
  readonly consequentSupport: number;
  readonly support: number;
  readonly confidence: number;
  readonly lift: number;
  readonly leverage: number;
  readonly conviction: number;
  readonly zhang: number;
  readonly jaccard: number;
  readonly certainty: number;
  readonly kulczynski: number;
}

/** Metrics from the counts of X, Y and X ∪ Y among `total` baskets (internal). */
export function ruleMetrics(
  antecedentCount: number,
  consequentCount: number,
  bothCount: number,
  total: number,
): RuleMetrics {
  const sX = antecedentCount / total;
  const sY = consequentCount / total;
  const sXY = bothCount / total;
  const confidence = bothCount / antecedentCount;
  const leverage = sXY - sX * sY;
  const zhangDenominator = Math.max(sXY * (1 - sX), sX * (sY - sXY));
  // Berzal et al. (2002): the gain in certainty over the base rate, scaled to [-1, 1].
  const certainty =
    confidence > sY ? (confidence - sY) / (1 - sY) : confidence < sY ? (confidence - sY) / sY : 0;
  return {
    antecedentSupport: sX,
    consequentSupport: sY,
    support: sXY,
    confidence,
    lift: confidence / sY,
    leverage,
    conviction: confidence === 1 ? Number.POSITIVE_INFINITY : (1 - sY) / (1 - confidence),
    zhang: zhangDenominator === 0 ? 0 : leverage / zhangDenominator,
    jaccard: bothCount / (antecedentCount + consequentCount - bothCount),
    certainty,
    kulczynski: 0.5 * (bothCount / antecedentCount + bothCount / consequentCount),
  };
}
