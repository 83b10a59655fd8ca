/**
 * An English normaliser in the spirit of the Whisper / Open-ASR-leaderboard one, written here
 * from its described behaviour (docs/reference-system.md §6.1), as small transforms composed in order:
 * lower-case, bracketed spans out, fillers out, contractions and titles expanded, number
 * punctuation cleaned, symbols and diacritics removed, spelled numbers to digits, British to
 * American spellings, stray symbols out, whitespace collapsed.
 */
import { britishToAmerican } from './britishToAmerican';
import { spelledNumbersToDigits } from './englishNumbers';
import { collapseWhitespace, compose, lowercase, splitWords, type Transform } from './transforms';

/** Removes `[...]`, `<...>` and `(...)` spans (annotations such as `[noise]`, `<unk>`, `(laughs)`). */
export const removeBracketedSpans: Transform = (text) =>
  text.replace(/[<[][^>\]]*[>\]]/g, ' ').replace(/\([^)]*\)/g, ' ');

/** Removes hesitation fillers: hmm, mm, mhm, mmm, uh, um (whole words, lower-case). */
export const removeFillers: Transform = (text) => text.replace(/\b(?:hmm|mm|mhm|mmm|uh|um)\b/g, ' ');

// Spoken forms without an apostrophe, replaced in one pass.
const SLANG: Readonly<Record<string, string>> = {
  wanna: 'want to',
  gotta: 'got to',
  gonna: 'going to',
  imma: 'i am going to',
  woulda: 'would have',
  coulda: 'could have',
  shoulda: 'should have',
};
const SLANG_RE = new RegExp(`\\b(?:${Object.keys(SLANG).join('|')})\\b`, 'g');

const CONTRACTIONS: ReadonlyArray<readonly [RegExp, string]> = [
  // Whole-word forms first; their generic endings come after.
  [/\bwon't\b/g, 'will not'],
  [/\bcan't\b/g, 'can not'],
  [/\blet's\b/g, 'let us'],
  [/\bain't\b/g, 'aint'],
  [/\by'all\b/g, 'you all'],
  [/\bi'ma\b/g, 'i am going to'],
  [/\bma'am\b/g, 'madam'],
  // Perfect tenses: 's and 'd before a participle mean has/had, not is/would.
  [/'s (been|gone|got|done|had)\b/g, ' has $1'],
  [/'d (been|gone|got|done|had)\b/g, ' had $1'],
  // Generic endings.
  [/n't\b/g, ' not'],
  [/'re\b/g, ' are'],
  [/'s\b/g, ' is'],
  [/'d\b/g, ' would'],
  [/'ll\b/g, ' will'],
  [/'t\b/g, ' not'],
  [/'ve\b/g, ' have'],
  [/'m\b/g, ' am'],
];

/**
 * Expands English contractions (lower-case input): won't -> will not, can't -> can not,
 * it's been -> it has been, we're -> we are, ... Curly apostrophes count as straight ones.
 */
export const expandContractions: Transform = (text) => {
  let out = text.replace(/[\u2018\u2019\u02bc]/g, "'").replace(/\s+'/g, "'");
  out = out.replace(SLANG_RE, (w) => SLANG[w]!);
  // Every other rule needs an apostrophe.
  if (!out.includes("'")) return out;
  for (const [re, by] of CONTRACTIONS) out = out.replace(re, by);
  return out;
};

const TITLES: Readonly<Record<string, string>> = {
  mr: 'mister',
  mrs: 'missus',
  ms: 'miss',
  st: 'saint',
  dr: 'doctor',
  prof: 'professor',
  capt: 'captain',
  gov: 'governor',
  ald: 'alderman',
  gen: 'general',
  sen: 'senator',
  rep: 'representative',
  pres: 'president',
  rev: 'reverend',
  hon: 'honorable',
  asst: 'assistant',
  assoc: 'associate',
  lt: 'lieutenant',
  col: 'colonel',
  jr: 'junior',
  sr: 'senior',
  esq: 'esquire',
  sgt: 'sergeant',
  cpl: 'corporal',
  maj: 'major',
  adm: 'admiral',
  supt: 'superintendent',
};
const TITLE_RE = new RegExp(`\\b(${Object.keys(TITLES).join('|')})\\b\\.?`, 'g');

/** Expands abbreviated titles (lower-case): mr -> mister, dr -> doctor, st -> saint, jr -> junior, ... */
export const expandTitles: Transform = (text) => text.replace(TITLE_RE, (_, t: string) => TITLES[t]!);

/** Keeps digit groups together and marks sentence periods: "1,000" -> "1000", "end. next" -> "end  next". */
export const cleanNumberPunctuation: Transform = (text) =>
  text.replace(/(\d),(\d)/g, '$1$2').replace(/\.([^0-9]|$)/g, ' $1');

const KEEP_SYMBOLS = new Set(['.', '%', '$', '¢', '€', '£']);
// Letters that do not decompose under NFKD.
const LETTER_FOLDS: Readonly<Record<string, string>> = {
  œ: 'oe',
  æ: 'ae',
  ø: 'o',
  ß: 'ss',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ŋ: 'n',
  ħ: 'h',
};
const COMBINING = /\p{Mn}+/gu;
const SYMBOL_OR_FOLD = /[\p{M}\p{S}\p{P}œæøßłđðþıŋħ]/gu;

/** Removes diacritics (NFKD, combining marks dropped) and turns symbols and punctuation into spaces, keeping `.%$¢€£`. */
export const removeSymbolsAndDiacritics: Transform = (text) =>
  text
    .normalize('NFKD')
    .replace(COMBINING, '')
    .replace(SYMBOL_OR_FOLD, (ch) => (KEEP_SYMBOLS.has(ch) ? ch : (LETTER_FOLDS[ch] ?? ' ')));

/** Spelled numbers to digits (see `spelledNumbersToDigits`), on lower-case text. */
export const normalizeNumbers: Transform = (text) =>
  NUMBER_WORD.test(text) ? spelledNumbersToDigits(splitWords(text)).join(' ') : text;

// Any word the number rewriter acts on (cardinals, ordinals from third up); a cheap pre-check.
const NUMBER_WORD =
  /\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|fortieth|fiftieth|sixtieth|seventieth|eightieth|ninetieth)\b/;

/** British -> American spellings from a built-in list of several hundred words (lower-case). */
export const americanizeSpelling: Transform = (text) =>
  text.replace(/[a-z]+/g, (w) => britishToAmerican.get(w) ?? w);

/** Removes currency, period and percent signs that are not attached to a number. */
export const removeStraySymbols: Transform = (text) =>
  text.replace(/[.$¢€£]+(?![0-9])/g, ' ').replace(/(^|[^0-9])%/g, '$1 ');

/**
 * The English normaliser as one transform: {@link lowercase}, {@link removeBracketedSpans},
 * {@link removeFillers}, {@link expandContractions}, {@link expandTitles},
 * {@link cleanNumberPunctuation}, {@link removeSymbolsAndDiacritics}, {@link normalizeNumbers},
 * {@link americanizeSpelling}, {@link removeStraySymbols}, {@link collapseWhitespace}.
 */
export const normalizeEnglish: Transform = compose(
  lowercase,
  removeBracketedSpans,
  removeFillers,
  expandContractions,
  expandTitles,
  cleanNumberPunctuation,
  removeSymbolsAndDiacritics,
  normalizeNumbers,
  americanizeSpelling,
  removeStraySymbols,
  collapseWhitespace,
);
