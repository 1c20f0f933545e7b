/**
 * A distribution-free confidence interval for a median, from order statistics (the interval the
 * sign test gives). The router bench puts it on paired p99 ratios: one p99 moves by +-10-15%
 * from run to run on these VMs, so one median of a few rounds says little about "no worse".
 *
 * Cutting k values off each end of the sorted values leaves [x(k+1), x(n-k)], which covers the
 * true median with probability 1 - 2 P(B <= k), B ~ Binomial(n, 1/2). k is the largest cut that
 * keeps that at `level` or above (k = 0, the whole range, when even that is below it).
 * @param {number[]} xs
 * @param {number} [level]
 * @returns {{ lo: number, hi: number, coverage: number }}
 */
export function medianInterval(xs, level = 0.9) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return { lo: NaN, hi: NaN, coverage: 0 };
  let pmf = 2 ** -n; // P(B = k)
  let cdf = pmf; // P(B <= k)
  let k = 0;
  for (;;) {
    if (2 * (k + 1) > n - 1) break; // nothing left to cut
    const nextPmf = (pmf * (n - k)) / (k + 1);
    if (1 - 2 * (cdf + nextPmf) < level) break;
    pmf = nextPmf;
    cdf += nextPmf;
    k++;
  }
  return { lo: s[k], hi: s[n - 1 - k], coverage: 1 - 2 * cdf };
}
