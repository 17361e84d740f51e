/** Squared Euclidean distance between `cols` values of `a` from `aOffset` and of `b` from `bOffset`. */
export type SquaredDistance = (a: Float64Array, aOffset: number, b: Float64Array, bOffset: number) => number;

const kernels = new Map<number, SquaredDistance>();

/**
 * The squared-distance kernel for rows of `cols` values (internal). Every path (Lloyd, Hamerly,
 * k-means++, prediction, scores) takes its distances from here, so all of them see bit-identical
 * values and reach identical labels.
 *
 * Four running sums break the dependency chain of one long sum. For up to 64 columns the loop is
 * also fully unrolled into a function compiled once per column count: V8 then keeps the row in
 * registers, about twice as fast on 8 columns as the loop. Where code generation is disabled
 * (`--disallow-code-generation-from-strings`) the loop is used; both add in the same order, so the
 * results are the same either way.
 */
export function squaredDistanceFor(cols: number): SquaredDistance {
  let kernel = kernels.get(cols);
  if (kernel === undefined) {
    kernel = compiledKernel(cols) ?? loopKernel(cols);
    kernels.set(cols, kernel);
  }
  return kernel;
}

/** Also the worker threads' fallback: self-contained, so its source can be sent to a worker. */
export function loopKernel(cols: number): SquaredDistance {
  const body = cols - (cols & 3);
  return (a, aOffset, b, bOffset) => {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let c = 0;
    for (; c < body; c += 4) {
      const d0 = a[aOffset + c]! - b[bOffset + c]!;
      const d1 = a[aOffset + c + 1]! - b[bOffset + c + 1]!;
      const d2 = a[aOffset + c + 2]! - b[bOffset + c + 2]!;
      const d3 = a[aOffset + c + 3]! - b[bOffset + c + 3]!;
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    for (; c < cols; c++) {
      const d = a[aOffset + c]! - b[bOffset + c]!;
      s0 += d * d;
    }
    return s0 + s1 + (s2 + s3);
  };
}

/**
 * The unrolled kernel for up to 64 columns. Self-contained (no reference outside its body) because
 * worker threads rebuild it from its source text, so that they compute bit-identical distances.
 */
export function compiledKernel(cols: number): SquaredDistance | undefined {
  if (!Number.isInteger(cols) || cols < 1 || cols > 64) return undefined;
  const body = cols - (cols & 3);
  const lines = ['let s0 = 0, s1 = 0, s2 = 0, s3 = 0, d;'];
  for (let c = 0; c < cols; c++) {
    const sum = c < body ? `s${c & 3}` : 's0';
    lines.push(`d = a[ao + ${c}] - b[bo + ${c}]; ${sum} += d * d;`);
  }
  lines.push('return s0 + s1 + (s2 + s3);');
  try {
    // The source is built from integers only: nothing from the caller's data reaches it.
    return new Function('a', 'ao', 'b', 'bo', lines.join('\n')) as SquaredDistance;
  } catch {
    return undefined;
  }
}

/**
 * The nearest of `k` centroids (rows of `centroids` from 0) to the row of `data` at `offset`, first
 * index on ties; writes the smallest and second smallest squared distances to `out[0]` and `out[1]`.
 */
export type NearestCentroid = (
  data: Float64Array,
  offset: number,
  centroids: Float64Array,
  k: number,
  out: Float64Array,
) => number;

const nearestKernels = new Map<string, NearestCentroid>();

/**
 * The nearest-centroid kernel for rows of `cols` values and `k` centroids (internal): the row is read
 * once and kept in locals while it meets every centroid, and for up to 1,024 row x centroid terms the
 * centroid loop is unrolled too (about 25% faster at 8 x 8). Each distance adds in the order of
 * {@link squaredDistanceFor}, so every form gives bit-identical distances and labels.
 */
export function nearestCentroidFor(cols: number, k: number): NearestCentroid {
  const key = `${cols}x${k}`;
  let kernel = nearestKernels.get(key);
  if (kernel === undefined) {
    kernel = compiledNearest(cols, k) ?? loopNearest(cols);
    nearestKernels.set(key, kernel);
  }
  return kernel;
}

/** The loop form of the nearest-centroid kernel. Self-contained: worker threads rebuild it from its source. */
export function loopNearest(cols: number): NearestCentroid {
  const body = cols - (cols & 3);
  return (a, aOffset, b, k, out) => {
    let best = Number.POSITIVE_INFINITY;
    let second = Number.POSITIVE_INFINITY;
    let bestIndex = 0;
    for (let j = 0, bOffset = 0; j < k; j++, bOffset += cols) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let c = 0;
      for (; c < body; c += 4) {
        const d0 = a[aOffset + c]! - b[bOffset + c]!;
        const d1 = a[aOffset + c + 1]! - b[bOffset + c + 1]!;
        const d2 = a[aOffset + c + 2]! - b[bOffset + c + 2]!;
        const d3 = a[aOffset + c + 3]! - b[bOffset + c + 3]!;
        s0 += d0 * d0;
        s1 += d1 * d1;
        s2 += d2 * d2;
        s3 += d3 * d3;
      }
      for (; c < cols; c++) {
        const d = a[aOffset + c]! - b[bOffset + c]!;
        s0 += d * d;
      }
      const sum = s0 + s1 + (s2 + s3);
      if (sum < best) {
        second = best;
        best = sum;
        bestIndex = j;
      } else if (sum < second) {
        second = sum;
      }
    }
    out[0] = best;
    out[1] = second;
    return bestIndex;
  };
}

/**
 * The unrolled nearest-centroid kernel for up to 64 columns, the row held in locals; the centroid loop
 * is unrolled as well when `cols x k` is at most 1,024 (the kernel then serves exactly `k` centroids).
 * Self-contained: worker threads rebuild it from its source text.
 */
export function compiledNearest(cols: number, k: number): NearestCentroid | undefined {
  if (!Number.isInteger(cols) || cols < 1 || cols > 64) return undefined;
  const body = cols - (cols & 3);
  const unrolled = Number.isInteger(k) && k >= 1 && cols * k <= 1024;
  const lines: string[] = [];
  for (let c = 0; c < cols; c++) lines.push(`const x${c} = a[ao + ${c}];`);
  lines.push('let best = Infinity, second = Infinity, bestIndex = 0, s0, s1, s2, s3, d, sum;');
  // No helper functions here: worker threads rebuild this function from its source text.
  if (!unrolled) lines.push(`for (let j = 0, bo = 0; j < k; j++, bo += ${cols}) {`);
  for (let j = 0; j < (unrolled ? k : 1); j++) {
    lines.push('s0 = 0; s1 = 0; s2 = 0; s3 = 0;');
    for (let c = 0; c < cols; c++) {
      const target = c < body ? `s${c & 3}` : 's0';
      const offset = unrolled ? String(j * cols + c) : `bo + ${c}`;
      lines.push(`d = x${c} - b[${offset}]; ${target} += d * d;`);
    }
    lines.push('sum = s0 + s1 + (s2 + s3);');
    const index = unrolled ? String(j) : 'j';
    lines.push(
      `if (sum < best) { second = best; best = sum; bestIndex = ${index}; } else if (sum < second) second = sum;`,
    );
  }
  if (!unrolled) lines.push('}');
  lines.push('out[0] = best; out[1] = second; return bestIndex;');
  try {
    // The source is built from integers only: nothing from the caller's data reaches it.
    return new Function('a', 'ao', 'b', 'k', 'out', lines.join('\n')) as NearestCentroid;
  } catch {
    return undefined;
  }
}
