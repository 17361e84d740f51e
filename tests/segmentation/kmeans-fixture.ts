// Run by kmeans.test.ts in a child process (possibly with --disallow-code-generation-from-strings):
// prints the result of one fixed k-means fit as JSON.
import { createRng } from '../../src/data/index.js';
import { kmeans } from '../../src/segmentation/index.js';

const rng = createRng(5);
const rows = Array.from({ length: 2000 }, () => Array.from({ length: 7 }, () => rng.normal(0, 1)));
const result = kmeans(rows, { k: 6, seed: 3, nInit: 2 });
process.stdout.write(
  JSON.stringify({ inertia: result.inertia, labels: Array.from(result.labels), centroids: result.centroids }),
);
