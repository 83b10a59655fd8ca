/**
 * Gate rules as data (`{ metric: 'deltaWerPp', op: '<=', threshold: 0.10 }`), parsed from JSON
 * with errors that name the file and field, and evaluated against a {@link Comparison} into a
 * verdict that lists every rule, its threshold and the measured value.
 */
import type { CandidateComparison, Comparison } from './compareSystems';
import { WerError } from './werError';

/** Comparison operators of a rule. */
export type RuleOp = '<=' | '<' | '==' | '!=' | '>=' | '>';

/** Per-candidate metrics a rule can test. */
export const ruleMetrics = {
  /** Candidate WER - reference WER, percentage points. */
  deltaWerPp: (c) => c.deltaWerPp,
  /** Candidate WER - reference WER, fraction. */
  deltaWer: (c) => c.deltaWer,
  /** Candidate errors - reference errors. */
  deltaErrors: (c) => c.deltaErrors,
  /** Number of blowup utterances. */
  blowups: (c) => c.blowups.length,
  /** Utterances whose token (or word) sequence differs from the reference system's. */
  seqDiffs: (c) => c.seqDiffs,
  /** Candidate corpus WER, percentage points. */
  werPp: (c) => 100 * c.wer,
  /** Candidate corpus WER, fraction. */
  wer: (c) => c.wer,
  /** Candidate sentence error rate, percentage points. */
  serPp: (c) => 100 * c.ser,
  /** Candidate SER - reference SER, percentage points. */
  deltaSerPp: (c) => c.deltaSerPp,
  /** Utterances where the candidate has more errors. */
  regressed: (c) => c.regressed,
  /** Largest per-utterance delta, percentage points (0 when none is positive). */
  maxDeltaPp: (c) => c.maxDeltaPp,
  /** MAPSSWE two-sided p-value. */
  mapsswePValue: (c) => c.significance.mapsswe.pValue,
  /** Per-utterance sign test, two-sided p-value. */
  utteranceSignPValue: (c) => c.significance.utteranceSign.pValue,
  /** Per-utterance Wilcoxon signed-rank test, two-sided p-value. */
  utteranceWilcoxonPValue: (c) => c.significance.utteranceWilcoxon.pValue,
  /** sclite's per-speaker sign test (needs `speakerOf`; NaN, so failing, without it). */
  speakerSignPValue: (c) => c.significance.speakerSign?.pValue ?? NaN,
  /** sclite's per-speaker Wilcoxon test (needs `speakerOf`). */
  speakerWilcoxonPValue: (c) => c.significance.speakerWilcoxon?.pValue ?? NaN,
  /** Deprecated name of `utteranceSignPValue`. */
  signPValue: (c) => c.significance.utteranceSign.pValue,
  /** Deprecated name of `utteranceWilcoxonPValue`. */
  wilcoxonPValue: (c) => c.significance.utteranceWilcoxon.pValue,
  /** McNemar (utterance correctness) two-sided p-value. */
  mcnemarPValue: (c) => c.significance.mcnemar.pValue,
  /** Upper end of the bootstrap interval of delta-WER, percentage points. */
  bootstrapHighPp: (c) => 100 * c.significance.bootstrap.high,
  /** Lower end of the bootstrap interval of delta-WER, percentage points. */
  bootstrapLowPp: (c) => 100 * c.significance.bootstrap.low,
} as const satisfies Record<string, (c: CandidateComparison) => number>;

/** Name of a metric in {@link ruleMetrics}. */
export type RuleMetric = keyof typeof ruleMetrics;

/**
 * Metrics a caller defines on top of {@link ruleMetrics} (say, a gate's end-of-utterance timing,
 * which this package knows nothing about): the value of each for a candidate, by name. Rules naming
 * one parse when its name is given to {@link parseRules} / {@link parseRuleText}, and evaluate when
 * {@link evaluateRules} gets the function.
 */
export type ExtraRuleMetrics = Readonly<Record<string, (system: string) => number>>;

/** What the rule parsers accept beyond {@link ruleMetrics}. */
export interface ParseRuleOptions {
  /** Names of caller-defined metrics ({@link ExtraRuleMetrics}). */
  readonly metrics?: readonly string[];
}

/** One gate rule. Without `system` it applies to every candidate. */
export interface GateRule {
  /** A {@link RuleMetric}, or a caller-defined metric ({@link ExtraRuleMetrics}). */
  readonly metric: RuleMetric | (string & {});
  readonly op: RuleOp;
  readonly threshold: number;
  /** Label in reports (default `"<metric> <op> <threshold>"`). */
  readonly name?: string;
  /** Only this candidate. */
  readonly system?: string;
}

/** One evaluated rule for one candidate. */
export interface RuleResult {
  readonly name: string;
  readonly system: string;
  readonly metric: RuleMetric | (string & {});
  readonly op: RuleOp;
  readonly threshold: number;
  /** Measured value; `null` when it is not a finite number (the rule then fails). */
  readonly value: number | null;
  readonly pass: boolean;
}

/** The gate decision: `pass` when every rule passes for every candidate it applies to. */
export interface Verdict {
  readonly pass: boolean;
  readonly rules: readonly RuleResult[];
}

/** The seed gate's rule, fixed before its run: delta-WER <= +0.10 pp and no blowups. */
export const defaultGateRules: readonly GateRule[] = [
  { metric: 'deltaWerPp', op: '<=', threshold: 0.1 },
  { metric: 'blowups', op: '==', threshold: 0 },
];

const OPS: Record<RuleOp, (a: number, b: number) => boolean> = {
  '<=': (a, b) => a <= b,
  '<': (a, b) => a < b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '>=': (a, b) => a >= b,
  '>': (a, b) => a > b,
};

function isOp(value: unknown): value is RuleOp {
  return typeof value === 'string' && Object.hasOwn(OPS, value);
}

function isMetric(value: unknown): value is RuleMetric {
  return typeof value === 'string' && Object.hasOwn(ruleMetrics, value);
}

function badRule(file: string, field: string, message: string): never {
  throw new WerError('E_BAD_RULES', `${file}: \`${field}\` ${message}`, { file, field });
}

/** Parses the short text form `"deltaWerPp <= 0.10"`. */
export function parseRuleText(
  text: string,
  file = 'rule',
  field = 'rule',
  options: ParseRuleOptions = {},
): GateRule {
  const m = /^\s*([A-Za-z][A-Za-z0-9]*)\s*(<=|>=|==|!=|<|>)\s*(\S+)\s*$/.exec(text);
  if (!m) badRule(file, field, `must look like "deltaWerPp <= 0.10", got ${JSON.stringify(text)}`);
  return checkRule({ metric: m[1], op: m[2], threshold: Number(m[3]) }, file, field, options);
}

function checkRule(value: unknown, file: string, field: string, options: ParseRuleOptions): GateRule {
  if (typeof value === 'string') return parseRuleText(value, file, field, options);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    badRule(file, field, `must be an object or a string, got ${JSON.stringify(value)}`);
  const r = value as Record<string, unknown>;
  const extra = options.metrics ?? [];
  if (!isMetric(r.metric) && !(typeof r.metric === 'string' && extra.includes(r.metric)))
    badRule(
      file,
      `${field}.metric`,
      `must be one of ${[...Object.keys(ruleMetrics), ...extra].join(', ')}; got ${JSON.stringify(r.metric)}`,
    );
  if (!isOp(r.op))
    badRule(file, `${field}.op`, `must be one of ${Object.keys(OPS).join(' ')}; got ${JSON.stringify(r.op)}`);
  if (typeof r.threshold !== 'number' || !Number.isFinite(r.threshold))
    badRule(file, `${field}.threshold`, `must be a finite number, got ${JSON.stringify(r.threshold)}`);
  if (r.name !== undefined && typeof r.name !== 'string')
    badRule(file, `${field}.name`, `must be a string, got ${JSON.stringify(r.name)}`);
  if (r.system !== undefined && typeof r.system !== 'string')
    badRule(file, `${field}.system`, `must be a string, got ${JSON.stringify(r.system)}`);
  const known = new Set(['metric', 'op', 'threshold', 'name', 'system']);
  for (const key of Object.keys(r))
    if (!known.has(key))
      badRule(file, `${field}.${key}`, `is not a rule field (known: ${[...known].join(', ')})`);
  return {
    metric: r.metric,
    op: r.op,
    threshold: r.threshold,
    ...(r.name !== undefined ? { name: r.name } : {}),
    ...(r.system !== undefined ? { system: r.system } : {}),
  };
}

/**
 * Parses a rules document: a JSON array of rules or `{ "rules": [...] }`; each rule is an object
 * (`metric`, `op`, `threshold`, optional `name`, `system`) or a string such as `"blowups == 0"`.
 *
 * @param json the document text.
 * @param file name used in error messages.
 * @throws {WerError} `E_BAD_RULES` naming the file and the field (e.g. `rules[1].op`).
 */
export function parseRules(json: string, file: string, options: ParseRuleOptions = {}): GateRule[] {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (error) {
    throw new WerError(
      'E_BAD_RULES',
      `${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`,
      { file },
    );
  }
  let list: unknown = doc;
  let prefix = '';
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
    list = (doc as Record<string, unknown>).rules;
    prefix = 'rules';
    if (!Array.isArray(list)) badRule(file, 'rules', `must be an array, got ${JSON.stringify(list)}`);
  }
  if (!Array.isArray(list))
    badRule(file, '(root)', 'must be an array of rules or an object with a `rules` array');
  return list.map((r, i) => checkRule(r, file, `${prefix}[${i}]`, options));
}

/** Default label of a rule. */
export function ruleName(rule: GateRule): string {
  return rule.name ?? `${rule.metric} ${rule.op} ${rule.threshold}`;
}

/**
 * Evaluates rules for every candidate of a comparison.
 *
 * @param extraMetrics values of caller-defined metrics; a metric that returns NaN (not measured)
 *   fails its rule, like any non-finite value.
 * @returns the verdict; with no candidates or no rules it passes with an empty list.
 * @throws {RangeError} when a rule names a `system` that is not a candidate, or a metric that is
 *   neither in {@link ruleMetrics} nor in `extraMetrics`.
 */
export function evaluateRules(
  rules: readonly GateRule[],
  comparison: Comparison,
  extraMetrics: ExtraRuleMetrics = {},
): Verdict {
  const results: RuleResult[] = [];
  for (const rule of rules) {
    const targets =
      rule.system === undefined
        ? comparison.candidates
        : comparison.candidates.filter((c) => c.name === rule.system);
    if (rule.system !== undefined && targets.length === 0) {
      throw new RangeError(
        `rule '${ruleName(rule)}' names system '${rule.system}', which is not a candidate (${comparison.candidates.map((c) => c.name).join(', ')})`,
      );
    }
    const extra = Object.hasOwn(extraMetrics, rule.metric) ? extraMetrics[rule.metric] : undefined;
    if (extra === undefined && !isMetric(rule.metric))
      throw new RangeError(
        `rule '${ruleName(rule)}' names metric '${rule.metric}', which is neither a @eou/wer rule metric nor one the caller defined (${Object.keys(extraMetrics).join(', ') || 'none'})`,
      );
    for (const c of targets) {
      const raw = extra !== undefined ? extra(c.name) : ruleMetrics[rule.metric as RuleMetric](c);
      const value = Number.isFinite(raw) ? raw : null;
      const pass = value !== null && OPS[rule.op](roundForCompare(value), rule.threshold);
      results.push({
        name: ruleName(rule),
        system: c.name,
        metric: rule.metric,
        op: rule.op,
        threshold: rule.threshold,
        value,
        pass,
      });
    }
  }
  return { pass: results.every((r) => r.pass), rules: results };
}

// 0.1 pp computed as 100 * (a/b - c/d) may come out as 0.10000000000000009; compare at 1e-9.
function roundForCompare(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}
