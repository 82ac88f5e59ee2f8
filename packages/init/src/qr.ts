/**
 * The QR decomposition of a tall matrix by Householder reflections, in double precision:
 * A (m×n, m ≥ n) = Q R with Q m×n having orthonormal columns and R n×n upper triangular.
 *
 * Each step k reflects column k below the diagonal onto a multiple of the first unit vector,
 * zeroing it under R[k][k]; Q is the product of the reflections. Finally each column of Q (and row
 * of R) is multiplied by the sign of R's diagonal entry, which makes that diagonal non-negative:
 * the factorisation is then unique for a full-rank A, so any correct algorithm gives this Q, and
 * `orthogonal_` gets the same matrix PyTorch gets from LAPACK followed by the same sign fix.
 */

/** Q (m×n) and R (n×n) of a row-major m×n matrix `a`, with R's diagonal made non-negative. */
export function qr(a: ArrayLike<number>, m: number, n: number): { q: Float64Array; r: Float64Array } {
  if (m < n) throw new RangeError(`qr expects a tall matrix (m >= n), got ${m}x${n}`);
  const work = Float64Array.from(a); // becomes R in its upper triangle
  const reflectors: Float64Array[] = [];

  for (let k = 0; k < n; k++) {
    // v = x − α e₁ with x = column k from row k down and α = −sign(x₀)·‖x‖ (no cancellation);
    // x is first divided by its largest entry, so that squaring neither underflows nor overflows
    const v = new Float64Array(m - k);
    let scale = 0;
    for (let i = k; i < m; i++) scale = Math.max(scale, Math.abs(work[i * n + k]));
    if (scale === 0) {
      reflectors.push(v); // the column is already zero: nothing to reflect
      continue;
    }
    for (let i = k; i < m; i++) v[i - k] = work[i * n + k] / scale;
    const norm = Math.hypot(...v);
    v[0] -= v[0] >= 0 ? -norm : norm;
    const vNorm = Math.hypot(...v);
    for (let i = 0; i < v.length; i++) v[i] /= vNorm;
    reflectors.push(v);
    // apply H = I − 2vvᵀ to the remaining columns
    for (let j = k; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i - k] * work[i * n + j];
      for (let i = k; i < m; i++) work[i * n + j] -= 2 * v[i - k] * dot;
    }
  }

  // Q = H₀ H₁ ··· Hₙ₋₁ applied to the first n columns of the identity, last reflection first
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = reflectors[k];
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i - k] * q[i * n + j];
      for (let i = k; i < m; i++) q[i * n + j] -= 2 * v[i - k] * dot;
    }
  }

  const r = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    // (a zero diagonal entry keeps its column: torch.sign would zero it, and with it Q R = A; for
    // orthogonal_'s random matrices the entry is never exactly zero)
    const sign = work[i * n + i] < 0 ? -1 : 1;
    for (let j = i; j < n; j++) r[i * n + j] = sign * work[i * n + j];
    for (let row = 0; row < m; row++) q[row * n + i] *= sign;
  }
  return { q, r };
}
