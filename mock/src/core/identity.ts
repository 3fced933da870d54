import type { SeededRandom } from './random';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** The GB 11643 check character (ISO 7064 MOD 11-2) of the first 17 digits. */
export function idCheckCharacter(first17: string): string {
  const sum = [...first17].reduce((acc, digit, i) => acc + Number(digit) * WEIGHTS[i], 0);
  return CHECK_CHARS[sum % 11];
}

/** A valid 18-character resident identity number for a region and birth date. */
export function makeIdNumber(random: SeededRandom, regionCode: string, birth: Date): string {
  const date = birth.toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `${regionCode}${date}${String(random.int(1, 999)).padStart(3, '0')}`;
  return first17 + idCheckCharacter(first17);
}

export function makePhone(random: SeededRandom): string {
  return `1${random.pick(['38', '39', '58', '59', '86', '87', '35', '77'])}${String(random.int(0, 99_999_999)).padStart(8, '0')}`;
}
