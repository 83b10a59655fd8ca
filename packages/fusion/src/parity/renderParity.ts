/** Plain-text rendering of a parity report: per-file divergences, the two summaries, the verdict. */
import type { ParityReport } from './runParity';

const num = (v: number | null, digits = 3) =>
  v === null ? 'n/a' : v === 0 ? '0' : v.toExponential(digits - 1);

/**
 * A readable summary (the seed harness's layout: up to `perFile` divergences per file, then the
 * metrics table and the verdict line).
 */
export function renderParity(
  report: ParityReport,
  options: { perFile?: number; detokenize?: (tokens: readonly number[]) => string } = {},
): string {
  const perFile = options.perFile ?? 5;
  const s = report.summary;
  const t = s.teacherForced;
  const lines: string[] = [
    `parity: ${report.b} vs ${report.a} (${s.files} files, ${s.frames} frames, EOU policy ${report.config.eouPolicy}, loop ${report.runner})`,
    '',
  ];
  for (const f of report.files) {
    const fr = f.freeRunning;
    const flips = f.teacherForced.flips;
    if (fr.sequenceEqual && fr.mismatchedSteps === 0 && flips.length === 0) continue;
    const d = fr.firstDivergence;
    lines.push(
      `${f.id}: ${fr.sequenceEqual ? 'same tokens' : 'tokens differ'}, ${fr.mismatchedSteps} mismatched steps` +
        (d
          ? `, first divergence at step ${d.index} (t=${d.t}, s=${d.s}): ${report.a} ${d.tokenA ?? 'end'} vs ${report.b} ${d.tokenB ?? 'end'}`
          : ''),
    );
    for (const x of flips.slice(0, perFile)) {
      lines.push(
        `  flip t=${x.t} s=${x.s}: ${x.tokenA} (p ${x.probA.toFixed(4)}, margin ${num(x.marginA)}) vs ${x.tokenB} (p ${x.probB.toFixed(4)}, margin ${num(x.marginB)})`,
      );
    }
    if (flips.length > perFile) lines.push(`  ... ${flips.length - perFile} more flips`);
    if (!fr.sequenceEqual && options.detokenize) {
      lines.push(
        `  TEXT ${report.a}: ${options.detokenize(fr.tokensA)}`,
        `  TEXT ${report.b}: ${options.detokenize(fr.tokensB)}`,
      );
    }
  }
  if (lines.length > 2) lines.push('');
  lines.push(
    'free running (independent loops, matched steps):',
    `  token sequences identical  ${s.sequencesIdentical}/${s.files}`,
    `  mismatched steps           ${s.mismatchedSteps} of ${s.steps}`,
    `  max |Δprob|                ${num(s.maxAbsDProb)}`,
    `  max |Δh|, |Δc|             ${num(s.maxAbsDH)}, ${num(s.maxAbsDC)}`,
    `teacher forced (same inputs each step, ${report.a}'s trajectory):`,
    `  steps, argmax flips        ${t.steps}, ${t.flips}`,
    `  max |Δprob|                ${num(t.maxAbsDProb)}`,
    `  max |Δh|, |Δc|             ${num(t.maxAbsDH)}, ${num(t.maxAbsDC)}`,
    `  max |Δ top-1 logit|        ${num(t.maxAbsDTopLogit)}`,
    `  top-k id mismatch steps    ${t.topKIdMismatchSteps ?? 'n/a'}; max |Δ top-k logits| ${num(t.maxAbsDTopKLogits)}`,
    `  min margin (${report.a}), max margin at a flip   ${num(t.minMarginA)}, ${num(t.maxFlipMarginA)}`,
    '',
  );
  const v = report.verdict;
  const failed = v.checks.filter((c) => !c.pass).map((c) => c.name);
  lines.push(
    `verdict: ${v.label} (tolerance ${v.tolerance}${failed.length ? `; failed: ${failed.join(', ')}` : ''})`,
  );
  return lines.join('\n') + '\n';
}
