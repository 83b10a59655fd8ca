/**
 * Spelled English numbers to digits, for the English normaliser: cardinals ("two thousand and
 * twenty one" -> 2021), year-style pairs ("nineteen ninety five" -> 1995), ordinals ("twenty
 * first" -> 21st), decimals ("three point one four" -> 3.14) and the units percent, dollars,
 * pounds, euros and cents ("five percent" -> 5%, "ten dollars" -> $10). Works on a word list.
 */

const ONES: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const MULTIPLIERS: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };
const ORDINAL_ONES: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  eleventh: 11,
  twelfth: 12,
  thirteenth: 13,
  fourteenth: 14,
  fifteenth: 15,
  sixteenth: 16,
  seventeenth: 17,
  eighteenth: 18,
  nineteenth: 19,
};
const ORDINAL_TENS: Record<string, number> = {
  twentieth: 20,
  thirtieth: 30,
  fortieth: 40,
  fiftieth: 50,
  sixtieth: 60,
  seventieth: 70,
  eightieth: 80,
  ninetieth: 90,
};
const ORDINAL_MULTIPLIERS: Record<string, number> = {
  hundredth: 100,
  thousandth: 1e3,
  millionth: 1e6,
  billionth: 1e9,
};
const PREFIX_UNITS: Record<string, string> = {
  dollar: '$',
  dollars: '$',
  pound: '£',
  pounds: '£',
  euro: '€',
  euros: '€',
  cent: '¢',
  cents: '¢',
};

// Every word the rewriter may act on; anything else is copied through after one Set lookup.
const NUMBERISH = new Set([
  ...Object.keys(ONES),
  ...Object.keys(TENS),
  'hundred',
  ...Object.keys(MULTIPLIERS),
  ...Object.keys(ORDINAL_ONES),
  ...Object.keys(ORDINAL_TENS),
]);

function has(table: Record<string, number>, word: string | undefined): word is string {
  return word !== undefined && Object.hasOwn(table, word);
}

function ordinalSuffix(value: number): string {
  const mod100 = value % 100;
  if (mod100 >= 11 && mod100 <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][value % 10] ?? 'th';
}

function isNumberWord(word: string | undefined): boolean {
  return has(ONES, word) || has(TENS, word) || word === 'hundred' || has(MULTIPLIERS, word);
}

type Kind = 'none' | 'ones' | 'teens' | 'tens' | 'hundred' | 'multiplier';

/**
 * Parses the longest number phrase at `words[start]`.
 *
 * @returns the value, the index after the phrase, and the ordinal suffix when it ends in an ordinal.
 */
function parseNumber(
  words: readonly string[],
  start: number,
): { value: number; end: number; ordinal: boolean } | undefined {
  let total = 0;
  let current = 0;
  let kind: Kind = 'none';
  let i = start;
  let ordinal = false;
  let lastMultiplier = Infinity;
  // A bare decade or teen with nothing before it can start a year ("nineteen ninety", "twenty twenty").
  const yearStart = () =>
    total === 0 &&
    ((current >= 10 && current < 20) || (current >= 20 && current < 100 && current % 10 === 0));
  while (i < words.length) {
    const w = words[i]!;
    if (has(ONES, w)) {
      const v = ONES[w]!;
      if (kind === 'tens' && v >= 10 && yearStart()) {
        current = current * 100 + v; // "twenty eleven" -> 2011
        kind = 'teens';
        i++;
        continue;
      }
      if (kind === 'ones' || kind === 'teens' || (kind === 'tens' && (v >= 10 || v === 0))) break;
      current += v;
      kind = v < 10 ? 'ones' : 'teens';
    } else if (has(TENS, w)) {
      const v = TENS[w]!;
      if (kind === 'teens' || kind === 'tens') {
        if (!yearStart()) break;
        current = current * 100 + v;
        kind = 'tens';
        i++;
        continue;
      }
      if (kind === 'ones') break;
      current += v;
      kind = 'tens';
    } else if (w === 'hundred') {
      if (current === 0 || current >= 100) break;
      current *= 100;
      kind = 'hundred';
    } else if (has(MULTIPLIERS, w)) {
      const mult = MULTIPLIERS[w]!;
      if (current === 0 || kind === 'multiplier' || mult >= lastMultiplier) break;
      total += current * mult;
      current = 0;
      lastMultiplier = mult;
      kind = 'multiplier';
    } else if (
      w === 'and' &&
      (kind === 'hundred' || kind === 'multiplier') &&
      (has(ONES, words[i + 1]) || has(TENS, words[i + 1]))
    ) {
      i++;
      continue;
    } else if (
      kind !== 'none' &&
      (has(ORDINAL_ONES, w) || has(ORDINAL_TENS, w) || has(ORDINAL_MULTIPLIERS, w))
    ) {
      if (has(ORDINAL_ONES, w)) {
        const v = ORDINAL_ONES[w]!;
        if (kind === 'ones' || kind === 'teens' || (kind === 'tens' && v >= 10)) break;
        current += v;
      } else if (has(ORDINAL_TENS, w)) {
        if (kind === 'ones' || kind === 'teens' || kind === 'tens') break;
        current += ORDINAL_TENS[w]!;
      } else {
        const mult = ORDINAL_MULTIPLIERS[w]!;
        if (current === 0 || (mult > 100 && mult >= lastMultiplier)) break;
        if (mult === 100) current *= 100;
        else {
          total += current * mult;
          current = 0;
        }
      }
      ordinal = true;
      i++;
      break;
    } else break;
    i++;
  }
  if (i === start) return undefined;
  // A trailing "and" was never consumed; a phrase of only "and" cannot happen.
  return { value: total + current, end: i, ordinal };
}

/**
 * Rewrites spelled numbers in a list of lower-case words. Standalone "first" and "second" stay
 * words (too often not numbers: "at first", "a second"); other standalone ordinals become digits.
 */
export function spelledNumbersToDigits(words: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < words.length) {
    const w = words[i]!;
    if (!NUMBERISH.has(w)) {
      out.push(w);
      i++;
      continue;
    }
    if (!isNumberWord(w)) {
      if ((has(ORDINAL_ONES, w) && w !== 'first' && w !== 'second') || has(ORDINAL_TENS, w)) {
        const v = has(ORDINAL_ONES, w) ? ORDINAL_ONES[w]! : ORDINAL_TENS[w]!;
        out.push(`${v}${ordinalSuffix(v)}`);
      } else out.push(w);
      i++;
      continue;
    }
    const parsed = parseNumber(words, i);
    if (!parsed) {
      out.push(w);
      i++;
      continue;
    }
    let text = String(parsed.value);
    i = parsed.end;
    if (parsed.ordinal) {
      out.push(`${text}${ordinalSuffix(parsed.value)}`);
      continue;
    }
    // Decimals: "point" followed by single digits.
    if (words[i] === 'point' && has(ONES, words[i + 1]) && ONES[words[i + 1]!]! < 10) {
      let digits = '';
      let k = i + 1;
      while (has(ONES, words[k]) && ONES[words[k]!]! < 10) digits += String(ONES[words[k++]!]);
      text = `${text}.${digits}`;
      i = k;
    }
    const next = words[i];
    if (next === 'percent') {
      out.push(`${text}%`);
      i++;
    } else if (next === 'per' && words[i + 1] === 'cent') {
      out.push(`${text}%`);
      i += 2;
    } else if (next !== undefined && Object.hasOwn(PREFIX_UNITS, next)) {
      out.push(`${PREFIX_UNITS[next]}${text}`);
      i++;
    } else out.push(text);
  }
  return out;
}
