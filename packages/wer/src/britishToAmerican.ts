/**
 * British -> American spellings as data: word families written once and expanded with their
 * inflections, plus explicit pairs. Built for this package from common spelling rules (-our/-or,
 * -ise/-ize, -yse/-yze, -re/-er, -ogue/-og, -ence/-ense, doubled l, ae/oe) and lists of frequent
 * words; over-generated forms that are not English are harmless because they never occur.
 */

/** -our words (colour -> color) and the endings they take. */
const OUR_STEMS = [
  'arbour', 'ardour', 'armour', 'behaviour', 'candour', 'clamour', 'colour', 'demeanour', 'endeavour', 'favour',
  'fervour', 'flavour', 'harbour', 'honour', 'humour', 'labour', 'misbehaviour', 'neighbour', 'odour', 'parlour',
  'rancour', 'rigour', 'rumour', 'saviour', 'savour', 'splendour', 'succour', 'tumour', 'valour', 'vapour', 'vigour',
  'discolour', 'dishonour',
];
const OUR_ENDINGS = ['', 's', 'ed', 'ing', 'ful', 'fully', 'less', 'able', 'ably', 'ite', 'ites', 'er', 'ers', 'hood', 'hoods', 'ly', 'y', 'ist', 'ists', 'ism', 'ing', 'ings', 'ous'];

/** -ise verbs (organise -> organize); only verbs spelt -ize in American English are listed. */
const ISE_STEMS = [
  'apolog', 'author', 'bapt', 'capital', 'categor', 'character', 'civil', 'colon', 'commercial', 'computer', 'critic',
  'crystall', 'custom', 'demon', 'digit', 'dramat', 'econom', 'emphas', 'energ', 'equal', 'familiar', 'fantas', 'final',
  'formal', 'fossil', 'general', 'global', 'harmon', 'hospital', 'hypnot', 'ideal', 'immun', 'industrial', 'item',
  'jeopard', 'legal', 'legitim', 'liberal', 'local', 'maxim', 'memor', 'minim', 'mobil', 'modern', 'monopol', 'moral',
  'national', 'natural', 'neutral', 'normal', 'optim', 'organ', 'patron', 'penal', 'personal', 'pasteur', 'polar',
  'popular', 'priorit', 'privat', 'public', 'real', 'recogn', 'revolution', 'romantic', 'sanit', 'scrutin',
  'sensational', 'sensit', 'special', 'stabil', 'standard', 'steril', 'stigmat', 'subsid', 'summar', 'symbol', 'sympath',
  'synchron', 'terror', 'theor', 'trivial', 'urban', 'util', 'vandal', 'vapor', 'verbal', 'victim', 'visual', 'vocal',
  'western', 'agon', 'american', 'antagon', 'british', 'catholic', 'central', 'channel', 'christian', 'critic', 'decentral',
  'democrat', 'deodor', 'desensit', 'dramat', 'eulog', 'evangel', 'external', 'fertil', 'fraternal', 'galvan', 'glamor',
  'human', 'internal', 'ironic', 'lion', 'magnet', 'marginal', 'mechan', 'mesmer', 'metabol', 'moistur', 'motor',
  'neutral', 'ostrac', 'oxid', 'plagiar', 'pressur', 'proselyt', 'rational', 'reorgan', 'satir', 'scandal', 'serial',
  'sermon', 'social', 'solemn', 'special', 'stabil', 'subsid', 'tantal', 'tender', 'tyrann', 'union', 'vital',
];
const ISE_ENDINGS: ReadonlyArray<readonly [string, string]> = [
  ['ise', 'ize'], ['ises', 'izes'], ['ised', 'ized'], ['ising', 'izing'], ['iser', 'izer'], ['isers', 'izers'],
  ['isation', 'ization'], ['isations', 'izations'], ['isable', 'izable'],
];

/** -yse verbs (analyse -> analyze). */
const YSE_STEMS = ['anal', 'breathal', 'catal', 'dial', 'electrol', 'hydrol', 'paral', 'psychoanal'];
const YSE_ENDINGS: ReadonlyArray<readonly [string, string]> = [['yse', 'yze'], ['yses', 'yzes'], ['ysed', 'yzed'], ['ysing', 'yzing'], ['yser', 'yzer'], ['ysers', 'yzers']];

/** -re nouns (centre -> center). */
const RE_STEMS = [
  'cent', 'theat', 'met', 'lit', 'fib', 'calib', 'spect', 'somb', 'lust', 'meag', 'sab', 'scept', 'mit', 'och', 'reconnoit',
  'saltpet', 'kilomet', 'centimet', 'millimet', 'nanomet', 'decilit', 'millilit', 'sepulch', 'goit', 'amphitheat',
];
const RE_ENDINGS: ReadonlyArray<readonly [string, string]> = [['re', 'er'], ['res', 'ers'], ['red', 'ered'], ['ring', 'ering']];

/** Verbs that double a final l in British English (travelled -> traveled). */
const DOUBLE_L_STEMS = [
  'travel', 'cancel', 'label', 'model', 'signal', 'fuel', 'level', 'counsel', 'jewel', 'marvel', 'quarrel', 'tunnel', 'channel',
  'dial', 'duel', 'equal', 'total', 'rival', 'shovel', 'snorkel', 'yodel', 'grovel', 'revel', 'pencil', 'panel', 'parcel',
  'pedal', 'initial', 'libel', 'bevel', 'chisel', 'cudgel', 'dishevel', 'enamel', 'funnel', 'gambol', 'gravel', 'hovel',
  'kernel', 'marshal', 'medal', 'refuel', 'ravel', 'unravel', 'spiral', 'stencil', 'swivel', 'tassel', 'towel', 'trammel',
];
const DOUBLE_L_ENDINGS: ReadonlyArray<readonly [string, string]> = [['led', 'ed'], ['ling', 'ing'], ['ler', 'er'], ['lers', 'ers'], ['lings', 'ings']];

/** Explicit pairs. */
const PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['acknowledgement', 'acknowledgment'], ['acknowledgements', 'acknowledgments'], ['aeroplane', 'airplane'], ['aeroplanes', 'airplanes'],
  ['ageing', 'aging'], ['aluminium', 'aluminum'], ['anaemia', 'anemia'], ['anaemic', 'anemic'], ['anaesthesia', 'anesthesia'],
  ['anaesthetic', 'anesthetic'], ['anaesthetics', 'anesthetics'], ['anaesthetist', 'anesthetist'], ['analogue', 'analog'], ['analogues', 'analogs'],
  ['artefact', 'artifact'], ['artefacts', 'artifacts'], ['behove', 'behoove'], ['behoves', 'behooves'], ['catalogue', 'catalog'],
  ['catalogues', 'catalogs'], ['catalogued', 'cataloged'], ['cataloguing', 'cataloging'], ['cheque', 'check'], ['cheques', 'checks'],
  ['chequebook', 'checkbook'], ['chequered', 'checkered'], ['cosy', 'cozy'], ['cosier', 'cozier'], ['cosiest', 'coziest'], ['cosily', 'cozily'],
  ['councillor', 'councilor'], ['councillors', 'councilors'], ['counsellor', 'counselor'], ['counsellors', 'counselors'],
  ['defence', 'defense'], ['defences', 'defenses'], ['defenceless', 'defenseless'], ['dialogue', 'dialog'], ['dialogues', 'dialogs'],
  ['diarrhoea', 'diarrhea'], ['distil', 'distill'], ['distils', 'distills'], ['draught', 'draft'], ['draughts', 'drafts'],
  ['draughty', 'drafty'], ['draughtsman', 'draftsman'], ['encyclopaedia', 'encyclopedia'], ['encyclopaedias', 'encyclopedias'],
  ['enrol', 'enroll'], ['enrols', 'enrolls'], ['enrolment', 'enrollment'], ['enrolments', 'enrollments'], ['foetal', 'fetal'],
  ['foetus', 'fetus'], ['foetuses', 'fetuses'], ['fulfil', 'fulfill'], ['fulfils', 'fulfills'], ['fulfilment', 'fulfillment'],
  ['gaol', 'jail'], ['gaols', 'jails'], ['gaoler', 'jailer'], ['gramme', 'gram'], ['grammes', 'grams'], ['grey', 'gray'], ['greys', 'grays'],
  ['greyed', 'grayed'], ['greying', 'graying'], ['greyish', 'grayish'], ['greyer', 'grayer'], ['greyest', 'grayest'], ['greyness', 'grayness'],
  ['haemoglobin', 'hemoglobin'], ['haemophilia', 'hemophilia'], ['haemorrhage', 'hemorrhage'], ['haemorrhoids', 'hemorrhoids'],
  ['instalment', 'installment'], ['instalments', 'installments'], ['instil', 'instill'], ['instils', 'instills'],
  ['jewellery', 'jewelry'], ['judgement', 'judgment'], ['judgements', 'judgments'], ['kerb', 'curb'], ['kerbs', 'curbs'],
  ['kilogramme', 'kilogram'], ['kilogrammes', 'kilograms'], ['leukaemia', 'leukemia'], ['licence', 'license'], ['licences', 'licenses'],
  ['liquorice', 'licorice'], ['manoeuvre', 'maneuver'], ['manoeuvres', 'maneuvers'], ['manoeuvred', 'maneuvered'],
  ['manoeuvring', 'maneuvering'], ['manoeuvrable', 'maneuverable'], ['marvellous', 'marvelous'], ['marvellously', 'marvelously'],
  ['mediaeval', 'medieval'], ['mould', 'mold'], ['moulds', 'molds'], ['moulded', 'molded'], ['moulding', 'molding'], ['mouldy', 'moldy'],
  ['moult', 'molt'], ['moulted', 'molted'], ['moulting', 'molting'], ['moustache', 'mustache'], ['moustaches', 'mustaches'],
  ['oesophagus', 'esophagus'], ['oestrogen', 'estrogen'], ['offence', 'offense'], ['offences', 'offenses'], ['orthopaedic', 'orthopedic'],
  ['paediatric', 'pediatric'], ['paediatrician', 'pediatrician'], ['paediatricians', 'pediatricians'], ['pedlar', 'peddler'], ['pedlars', 'peddlers'],
  ['plough', 'plow'], ['ploughs', 'plows'], ['ploughed', 'plowed'], ['ploughing', 'plowing'], ['ploughman', 'plowman'],
  ['practise', 'practice'], ['practises', 'practices'], ['practised', 'practiced'], ['practising', 'practicing'], ['pretence', 'pretense'],
  ['pretences', 'pretenses'], ['programme', 'program'], ['programmes', 'programs'], ['pyjamas', 'pajamas'], ['sceptic', 'skeptic'],
  ['sceptics', 'skeptics'], ['sceptical', 'skeptical'], ['sceptically', 'skeptically'], ['scepticism', 'skepticism'], ['skilful', 'skillful'],
  ['skilfully', 'skillfully'], ['smoulder', 'smolder'], ['smoulders', 'smolders'], ['smouldered', 'smoldered'], ['smouldering', 'smoldering'],
  ['speciality', 'specialty'], ['specialities', 'specialties'], ['storey', 'story'], ['storeys', 'stories'], ['sulphur', 'sulfur'],
  ['sulphuric', 'sulfuric'], ['titbit', 'tidbit'], ['titbits', 'tidbits'], ['tyre', 'tire'], ['tyres', 'tires'], ['waggon', 'wagon'],
  ['waggons', 'wagons'], ['wilful', 'willful'], ['wilfully', 'willfully'], ['woollen', 'woolen'], ['woollens', 'woolens'],
  ['yoghurt', 'yogurt'], ['yoghurts', 'yogurts'], ['jeweller', 'jeweler'], ['jewellers', 'jewelers'], ['counselling', 'counseling'],
  ['travelogue', 'travelog'], ['tranquillity', 'tranquility'], ['tranquilliser', 'tranquilizer'], ['tranquillisers', 'tranquilizers'],
  ['storeyed', 'storied'],
];

function build(): Map<string, string> {
  const map = new Map<string, string>();
  const add = (gb: string, us: string) => {
    if (gb !== us) map.set(gb, us);
  };
  for (const stem of OUR_STEMS) {
    const us = `${stem.slice(0, -3)}or`;
    for (const end of OUR_ENDINGS) add(stem + end, us + end);
  }
  for (const stem of ISE_STEMS) for (const [gb, us] of ISE_ENDINGS) add(stem + gb, stem + us);
  for (const stem of YSE_STEMS) for (const [gb, us] of YSE_ENDINGS) add(stem + gb, stem + us);
  for (const stem of RE_STEMS) for (const [gb, us] of RE_ENDINGS) add(stem + gb, stem + us);
  for (const stem of DOUBLE_L_STEMS) for (const [gb, us] of DOUBLE_L_ENDINGS) add(stem + gb, stem + us);
  for (const [gb, us] of PAIRS) add(gb, us);
  return map;
}

/** British spelling -> American spelling, lower-case whole words. */
export const britishToAmerican: ReadonlyMap<string, string> = build();
