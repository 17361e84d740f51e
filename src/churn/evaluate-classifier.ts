import { OptionError } from '../data/errors.js';
import { readTarget } from './target.js';

/** The money side of a retention campaign, for choosing a threshold by expected profit. */
export interface RetentionEconomics {
  /** Cost of making the offer to one subscriber. */
  readonly offerCost: number;
  /** Value kept when a would-be churner is retained. */
  readonly customerValue: number;
  /** Share of targeted churners who accept the offer and stay. */
  readonly acceptRate: number;
}

/** Options of {@link evaluateClassifier}. */
export interface EvaluateClassifierOptions {
  /** Probabilities at or above it count as predicted churn. @defaultValue 0.5 */
  readonly threshold?: number;
  /** When given, `bestThreshold` maximises expected profit instead of F1. @defaultValue undefined (choose by F1) */
  readonly profit?: RetentionEconomics;
}

/** A threshold chosen by {@link bestThreshold}. */
export interface ThresholdChoice {
  readonly threshold: number;
  readonly by: 'f1' | 'profit';
  /** F1 at the threshold (by F1) or expected profit of targeting everyone at or above it (by profit). */
  readonly value: number;
  readonly targeted: number;
}

/** Counts at a threshold. */
export interface ConfusionMatrix {
  readonly truePositive: number;
  readonly falsePositive: number;
  readonly trueNegative: number;
  readonly falseNegative: number;
}

/** One decile of the ranking (decile 1 = the highest scores). */
export interface DecileRow {
  readonly decile: number;
  readonly count: number;
  readonly churners: number;
  readonly churnRate: number;
  /** churnRate / overall churn rate. */
  readonly lift: number;
  /** Share of all churners found in deciles 1..decile. */
  readonly cumulativeGain: number;
  readonly cumulativeLift: number;
}

/** One bin of [0, 0.1), [0.1, 0.2), ... [0.9, 1]. */
export interface CalibrationBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly meanPredicted: number;
  readonly observedRate: number;
}

/** Everything {@link evaluateClassifier} measures. */
export interface ClassifierEvaluation {
  readonly count: number;
  readonly churners: number;
  /** Area under the ROC curve; tied scores count one half (Mann–Whitney). */
  readonly rocAuc: number;
  /** Average precision, Σ (R_k − R_{k−1}) P_k over distinct thresholds (scikit-learn's definition). */
  readonly averagePrecision: number;
  /** Mean negative log-likelihood, probabilities clipped to [ε, 1 − ε] with ε = 2.2e-16. */
  readonly logLoss: number;
  /** Mean squared error of the probabilities. */
  readonly brier: number;
  readonly threshold: number;
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly confusion: ConfusionMatrix;
  /** ROC points from (0, 0), one per distinct score (descending), with the score as threshold. */
  readonly roc: readonly {
    readonly threshold: number;
    readonly falsePositiveRate: number;
    readonly truePositiveRate: number;
  }[];
  /** Precision-recall points, one per distinct score (descending). */
  readonly precisionRecall: readonly {
    readonly threshold: number;
    readonly recall: number;
    readonly precision: number;
  }[];
  readonly deciles: readonly DecileRow[];
  readonly calibration: readonly CalibrationBin[];
  readonly bestThreshold: ThresholdChoice;
}

const epsilon = 2.220446049250313e-16;

function checkInputs(
  yTrue: ArrayLike<number | boolean>,
  probabilities: ArrayLike<number>,
  context: string,
): Uint8Array {
  if (probabilities.length !== yTrue.length) {
    throw new OptionError(
      context,
      'probabilities',
      `has ${probabilities.length} values for ${yTrue.length} labels`,
    );
  }
  const labels = readTarget(yTrue, yTrue.length, context, 'yTrue');
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    if (!(p >= 0 && p <= 1))
      throw new OptionError(context, `probabilities[${i}]`, `must be a probability in [0, 1], received ${p}`);
  }
  return labels;
}

/** Row indices by descending score (ties by index, so results never depend on sort stability). */
function descendingOrder(probabilities: ArrayLike<number>): Int32Array {
  const order = Int32Array.from({ length: probabilities.length }, (_, i) => i);
  order.sort((a, b) => probabilities[b]! - probabilities[a]! || a - b);
  return order;
}

interface Sweep {
  readonly thresholds: number[];
  readonly truePositives: number[];
  readonly falsePositives: number[];
}

/** Cumulative counts at each distinct score, from the highest down. */
function sweep(labels: Uint8Array, probabilities: ArrayLike<number>, order: Int32Array): Sweep {
  const thresholds: number[] = [];
  const truePositives: number[] = [];
  const falsePositives: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (labels[i] === 1) tp++;
    else fp++;
    const next = order[k + 1];
    if (next === undefined || probabilities[next]! !== probabilities[i]!) {
      thresholds.push(probabilities[i]!);
      truePositives.push(tp);
      falsePositives.push(fp);
    }
  }
  return { thresholds, truePositives, falsePositives };
}

function f1Of(tp: number, fp: number, positives: number): number {
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + (positives - tp));
}

function chooseThreshold(
  curve: Sweep,
  positives: number,
  profit: RetentionEconomics | undefined,
): ThresholdChoice {
  let best: ThresholdChoice = {
    threshold: 1,
    by: profit ? 'profit' : 'f1',
    value: profit ? 0 : 0,
    targeted: 0,
  };
  for (let k = 0; k < curve.thresholds.length; k++) {
    const tp = curve.truePositives[k]!;
    const fp = curve.falsePositives[k]!;
    const value = profit
      ? tp * profit.acceptRate * profit.customerValue - (tp + fp) * profit.offerCost
      : f1Of(tp, fp, positives);
    if (value > best.value) best = { threshold: curve.thresholds[k]!, by: best.by, value, targeted: tp + fp };
  }
  return best;
}

function checkEconomics(profit: RetentionEconomics, context: string): void {
  for (const key of ['offerCost', 'customerValue', 'acceptRate'] as const) {
    const value = profit[key];
    if (!Number.isFinite(value) || value < 0)
      throw new OptionError(
        context,
        `profit.${key}`,
        `must be a finite non-negative number, received ${value}`,
      );
  }
  if (profit.acceptRate > 1)
    throw new OptionError(context, 'profit.acceptRate', `must be at most 1, received ${profit.acceptRate}`);
}

/**
 * The threshold that maximises F1, or, given the economics, the expected profit of a retention
 * campaign that targets every subscriber scored at or above it: Σ over targeted of
 * (churner ? acceptRate·customerValue : 0) − offerCost. Only observed scores are candidates.
 *
 * @example
 * bestThreshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // => { threshold: 0.35, by: 'f1', value: 0.8, targeted: 3 }
 */
export function bestThreshold(
  yTrue: ArrayLike<number | boolean>,
  probabilities: ArrayLike<number>,
  profit?: RetentionEconomics,
): ThresholdChoice {
  const labels = checkInputs(yTrue, probabilities, 'bestThreshold');
  if (profit) checkEconomics(profit, 'bestThreshold');
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i]!;
  return chooseThreshold(sweep(labels, probabilities, descendingOrder(probabilities)), positives, profit);
}

/**
 * Scores churn probabilities against the truth: ROC AUC (exact, ties counted as half), average
 * precision, log loss and Brier score (the definitions of scikit-learn's `roc_auc_score`,
 * `average_precision_score`, `log_loss`, `brier_score_loss`), the confusion matrix and
 * accuracy/precision/recall/F1 at `threshold`, ROC and precision-recall points, lift and cumulative
 * gains by decile, a 10-bin calibration table and the best threshold (by F1, or by profit).
 *
 * @example
 * const evaluation = evaluateClassifier([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * evaluation.rocAuc; // => 0.75
 * evaluation.averagePrecision; // => 0.8333333333333333
 */
export function evaluateClassifier(
  yTrue: ArrayLike<number | boolean>,
  probabilities: ArrayLike<number>,
  options: EvaluateClassifierOptions = {},
): ClassifierEvaluation {
  const context = 'evaluateClassifier';
  const labels = checkInputs(yTrue, probabilities, context);
  const threshold = options.threshold ?? 0.5;
  if (!(threshold >= 0 && threshold <= 1))
    throw new OptionError(context, 'threshold', `must be in [0, 1], received ${threshold}`);
  if (options.profit) checkEconomics(options.profit, context);
  const n = labels.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i]!;
  const negatives = n - positives;
  const order = descendingOrder(probabilities);
  const curve = sweep(labels, probabilities, order);

  // Trapezoids between distinct thresholds: each tied block contributes half its positive-negative pairs.
  let area = 0;
  let averagePrecision = 0;
  let previousTp = 0;
  let previousFp = 0;
  const roc = [{ threshold: Number.POSITIVE_INFINITY, falsePositiveRate: 0, truePositiveRate: 0 }];
  const precisionRecall: { threshold: number; recall: number; precision: number }[] = [];
  for (let k = 0; k < curve.thresholds.length; k++) {
    const tp = curve.truePositives[k]!;
    const fp = curve.falsePositives[k]!;
    area += (fp - previousFp) * (tp + previousTp);
    averagePrecision += ((tp - previousTp) / positives) * (tp / (tp + fp));
    roc.push({
      threshold: curve.thresholds[k]!,
      falsePositiveRate: fp / negatives,
      truePositiveRate: tp / positives,
    });
    precisionRecall.push({
      threshold: curve.thresholds[k]!,
      recall: tp / positives,
      precision: tp / (tp + fp),
    });
    previousTp = tp;
    previousFp = fp;
  }
  const rocAuc = area / (2 * positives * negatives);

  let logLoss = 0;
  let brier = 0;
  const confusion = { truePositive: 0, falsePositive: 0, trueNegative: 0, falseNegative: 0 };
  const calibrationCount = new Float64Array(10);
  const calibrationSum = new Float64Array(10);
  const calibrationPositives = new Float64Array(10);
  for (let i = 0; i < n; i++) {
    const p = probabilities[i]!;
    const y = labels[i]!;
    const clipped = Math.min(1 - epsilon, Math.max(epsilon, p));
    logLoss -= y === 1 ? Math.log(clipped) : Math.log1p(-clipped);
    brier += (p - y) ** 2;
    const predicted = p >= threshold;
    if (predicted && y === 1) confusion.truePositive++;
    else if (predicted) confusion.falsePositive++;
    else if (y === 1) confusion.falseNegative++;
    else confusion.trueNegative++;
    const bin = Math.min(9, Math.floor(p * 10));
    calibrationCount[bin]!++;
    calibrationSum[bin]! += p;
    calibrationPositives[bin]! += y;
  }
  const { truePositive: tp, falsePositive: fp } = confusion;
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp / positives;

  const baseRate = positives / n;
  const deciles: DecileRow[] = [];
  let cumulative = 0;
  let cumulativeCount = 0;
  for (let d = 0; d < 10; d++) {
    const from = Math.floor((d * n) / 10);
    const to = Math.floor(((d + 1) * n) / 10);
    let churners = 0;
    for (let k = from; k < to; k++) churners += labels[order[k]!]!;
    cumulative += churners;
    cumulativeCount += to - from;
    const rate = to > from ? churners / (to - from) : 0;
    deciles.push({
      decile: d + 1,
      count: to - from,
      churners,
      churnRate: rate,
      lift: rate / baseRate,
      cumulativeGain: cumulative / positives,
      cumulativeLift: cumulativeCount > 0 ? cumulative / cumulativeCount / baseRate : 0,
    });
  }
  const calibration: CalibrationBin[] = [];
  for (let b = 0; b < 10; b++) {
    const count = calibrationCount[b]!;
    calibration.push({
      from: b / 10,
      to: (b + 1) / 10,
      count,
      meanPredicted: count > 0 ? calibrationSum[b]! / count : Number.NaN,
      observedRate: count > 0 ? calibrationPositives[b]! / count : Number.NaN,
    });
  }
  return {
    count: n,
    churners: positives,
    rocAuc,
    averagePrecision,
    logLoss: logLoss / n,
    brier: brier / n,
    threshold,
    accuracy: (confusion.truePositive + confusion.trueNegative) / n,
    precision,
    recall,
    f1: f1Of(tp, fp, positives),
    confusion,
    roc,
    precisionRecall,
    deciles,
    calibration,
    bestThreshold: chooseThreshold(curve, positives, options.profit),
  };
}
