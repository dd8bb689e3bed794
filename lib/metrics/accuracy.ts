/**
 * Accuracy of rating predictions, as defined in the Surprise documentation
 * (`surprise.accuracy`, https://surprise.readthedocs.io/en/stable/accuracy.html) and in
 * Herlocker et al. 2004, "Evaluating collaborative filtering recommender systems", ACM TOIS 22(1).
 */

/**
 * Root mean squared error: RMSE = sqrt( (1/|T|) · Σ_{(u,i)∈T} (r̂_ui − r_ui)² ).
 * Throws on empty input, on arrays of different lengths and on a NaN/infinite value.
 */
export function rmse(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  check("rmse", predicted, actual);
  let s = 0;
  for (let k = 0; k < predicted.length; k++) {
    const d = predicted[k] - actual[k];
    s += d * d;
  }
  return Math.sqrt(s / predicted.length);
}

/**
 * Mean absolute error: MAE = (1/|T|) · Σ_{(u,i)∈T} |r̂_ui − r_ui|.
 * Throws on empty input, on arrays of different lengths and on a NaN/infinite value.
 */
export function mae(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  check("mae", predicted, actual);
  let s = 0;
  for (let k = 0; k < predicted.length; k++) s += Math.abs(predicted[k] - actual[k]);
  return s / predicted.length;
}

function check(name: string, predicted: ArrayLike<number>, actual: ArrayLike<number>): void {
  if (predicted.length !== actual.length) {
    throw new Error(`${name}: ${predicted.length} predictions but ${actual.length} actual ratings`);
  }
  if (predicted.length === 0) throw new Error(`${name}: no predictions (empty input)`);
  for (let k = 0; k < predicted.length; k++) {
    if (!Number.isFinite(predicted[k])) throw new Error(`${name}: predicted[${k}] is ${predicted[k]}, not a finite number`);
    if (!Number.isFinite(actual[k])) throw new Error(`${name}: actual[${k}] is ${actual[k]}, not a finite number`);
  }
}
