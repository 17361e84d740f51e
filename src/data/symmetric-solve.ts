// Shared by logistic regression (IRLS) and the value models' Newton optimiser. Internal to the package.

/**
 * Cholesky factorisation of a symmetric positive (semi)definite matrix after Jacobi scaling
 * (D^-1/2 A D^-1/2 with D = diag(A)), so that the pivot test below is scale-free: a squared pivot
 * under `tolerance` means that column's residual after projecting on the earlier columns has lost all
 * but `tolerance` of its norm, i.e. it is an exact linear combination of them.
 */
export interface ScaledCholesky {
  readonly size: number;
  /** Lower factor of the scaled matrix, row-major size x size. */
  readonly lower: Float64Array;
  /** 1 / sqrt(A_jj). */
  readonly inverseRootDiagonal: Float64Array;
}

/** The column that broke the factorisation and how it depends on the earlier ones. */
export interface DependentColumn {
  readonly column: number;
  /** Earlier columns with a non-negligible weight in the combination (empty when the column is all zero). */
  readonly combination: readonly { readonly column: number; readonly weight: number }[];
}

export function scaledCholesky(
  matrix: Float64Array,
  size: number,
  tolerance = 1e-10,
): ScaledCholesky | DependentColumn {
  const inverseRootDiagonal = new Float64Array(size);
  for (let j = 0; j < size; j++) {
    const diagonal = matrix[j * size + j]!;
    if (!(diagonal > 0)) return { column: j, combination: [] };
    inverseRootDiagonal[j] = 1 / Math.sqrt(diagonal);
  }
  const lower = new Float64Array(size * size);
  for (let j = 0; j < size; j++) {
    for (let i = j; i < size; i++) {
      let sum = matrix[i * size + j]! * inverseRootDiagonal[i]! * inverseRootDiagonal[j]!;
      for (let k = 0; k < j; k++) sum -= lower[i * size + k]! * lower[j * size + k]!;
      if (i === j) {
        if (!(sum > tolerance))
          return { column: j, combination: dependence(matrix, size, lower, inverseRootDiagonal, j) };
        lower[j * size + j] = Math.sqrt(sum);
      } else {
        lower[i * size + j] = sum / lower[j * size + j]!;
      }
    }
  }
  return { size, lower, inverseRootDiagonal };
}

/** Least-squares weights of column j on columns 0..j-1 (in the original scale), from the partial factor. */
function dependence(
  matrix: Float64Array,
  size: number,
  lower: Float64Array,
  inverseRootDiagonal: Float64Array,
  j: number,
): { column: number; weight: number }[] {
  // Solve L L' a = scaled A[0:j, j] with the factor of the leading j x j block.
  const a = new Float64Array(j);
  for (let i = 0; i < j; i++) {
    let sum = matrix[i * size + j]! * inverseRootDiagonal[i]! * inverseRootDiagonal[j]!;
    for (let k = 0; k < i; k++) sum -= lower[i * size + k]! * a[k]!;
    a[i] = sum / lower[i * size + i]!;
  }
  for (let i = j - 1; i >= 0; i--) {
    let sum = a[i]!;
    for (let k = i + 1; k < j; k++) sum -= lower[k * size + i]! * a[k]!;
    a[i] = sum / lower[i * size + i]!;
  }
  const result: { column: number; weight: number }[] = [];
  for (let i = 0; i < j; i++) {
    // Back to the original scale: column_j ≈ sum weight_i column_i.
    const weight = (a[i]! * inverseRootDiagonal[i]!) / inverseRootDiagonal[j]!;
    if (Math.abs(a[i]!) > 1e-6) result.push({ column: i, weight });
  }
  return result;
}

export function isDependent(result: ScaledCholesky | DependentColumn): result is DependentColumn {
  return (result as DependentColumn).combination !== undefined;
}

/** Solves A x = b with the scaled factor (b is not modified). */
export function choleskySolve(factor: ScaledCholesky, b: Float64Array): Float64Array {
  const { size, lower, inverseRootDiagonal } = factor;
  const x = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    let sum = b[i]! * inverseRootDiagonal[i]!;
    for (let k = 0; k < i; k++) sum -= lower[i * size + k]! * x[k]!;
    x[i] = sum / lower[i * size + i]!;
  }
  for (let i = size - 1; i >= 0; i--) {
    let sum = x[i]!;
    for (let k = i + 1; k < size; k++) sum -= lower[k * size + i]! * x[k]!;
    x[i] = sum / lower[i * size + i]!;
  }
  for (let i = 0; i < size; i++) x[i]! *= inverseRootDiagonal[i]!;
  return x;
}

/** The diagonal of A^-1 from the scaled factor (the squared standard errors when A is the information matrix). */
export function inverseDiagonal(factor: ScaledCholesky): Float64Array {
  const { size } = factor;
  const diagonal = new Float64Array(size);
  const unit = new Float64Array(size);
  for (let j = 0; j < size; j++) {
    unit.fill(0);
    unit[j] = 1;
    diagonal[j] = choleskySolve(factor, unit)[j]!;
  }
  return diagonal;
}
