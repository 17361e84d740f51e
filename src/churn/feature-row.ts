/** A value in a feature row: what CSV readers and record arrays hold. `null`/`undefined`/`''` count as missing. */
export type FeatureValue = string | number | boolean | null | undefined;

/** One subscriber's raw attributes, keyed by column name. */
export type FeatureRow = Readonly<Record<string, FeatureValue>>;

/** The missing-value policy of one feature: raise a `DataError` (default) or impute a value recorded in the encoder. */
export type MissingValuePolicy = 'error' | 'impute';

/** A numeric feature. */
export interface NumericFeatureSpec {
  readonly name: string;
  readonly type: 'numeric';
  /** `log1p` maps x to ln(1 + x) before standardising (x must be > -1). @defaultValue 'none' */
  readonly transform?: 'none' | 'log1p';
  /** Subtract the training mean and divide by the training standard deviation. @defaultValue false */
  readonly standardise?: boolean;
  /** @defaultValue 'error' (impute: the training mean, after the transform) */
  readonly missing?: MissingValuePolicy;
}

/** A categorical feature, one-hot encoded with its reference level dropped (as R's treatment contrasts). */
export interface CategoricalFeatureSpec {
  readonly name: string;
  readonly type: 'categorical';
  /** The level whose column is dropped. @defaultValue the first level in sorted order, as R's `factor()` */
  readonly reference?: string;
  /** @defaultValue 'error' (impute: the most frequent training level) */
  readonly missing?: MissingValuePolicy;
  /**
   * What scoring does with a level not seen in training: raise a `DataError` naming row and
   * column, or encode it as the reference level (all dummies 0). @defaultValue 'error'
   */
  readonly unseen?: 'error' | 'reference';
}

/** A boolean feature: `true`/`false`, 1/0, or the strings yes/no, true/false, 1/0 (any case). */
export interface BooleanFeatureSpec {
  readonly name: string;
  readonly type: 'boolean';
  /** @defaultValue 'error' (impute: the training majority) */
  readonly missing?: MissingValuePolicy;
}

/** How one input column becomes model columns. */
export type FeatureSpec = NumericFeatureSpec | CategoricalFeatureSpec | BooleanFeatureSpec;
