// What citizens type versus what the guides say. A term matches an item when the term or any
// of its synonyms appears in the item's name, code, keywords, themes or department, so "身份证"
// finds 居民身份证 items and "社保" finds 社会保险 ones. Groups are symmetric: every word of a
// group stands for all of them.
const GROUPS: readonly (readonly string[])[] = [
  ['身份证', '居民身份证', '临时身份证'],
  ['社保', '社会保险', '社会保障', '社保卡'],
  ['医保', '医疗保险', '医疗保障'],
  ['公积金', '住房公积金'],
  ['低保', '最低生活保障', '城乡低保'],
  ['残疾证', '残疾人证'],
  ['老年证', '敬老优待证', '优待证'],
  ['营业执照', '开办企业', '设立登记'],
  ['房产证', '不动产权证书', '不动产登记'],
  ['结婚', '婚姻登记', '结婚登记'],
  ['上学', '入学'],
  ['生孩子', '生育', '生育登记'],
  ['失业', '失业保险金', '失业登记'],
  ['养老金', '养老保险'],
];

const BY_WORD = new Map<string, readonly string[]>();
for (const group of GROUPS)
  for (const word of group) BY_WORD.set(word, [...new Set([...(BY_WORD.get(word) ?? []), ...group])]);

/** The term itself and every word it stands for, lower-cased. */
export function synonymsOf(term: string): string[] {
  const t = term.toLowerCase();
  return [...new Set([t, ...(BY_WORD.get(t) ?? [])])];
}
