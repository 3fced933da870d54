// Identity and phone numbers at rest: AES-256-GCM ciphertext (to show masked, or hand to the
// core system) plus an HMAC-SHA256 keyed hash (to find a citizen's cases without decrypting).
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

export function encrypt(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64')).join('.');
}

export function decrypt(key: Buffer, sealed: string): string {
  const [iv, tag, data] = sealed.split('.').map((part) => Buffer.from(part, 'base64'));
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
}

export function keyedHash(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value.toUpperCase()).digest('hex');
}

/** 430***********1234: the first three and last four characters (SPEC, data rules). */
export function maskIdNumber(idNumber: string): string {
  return `${idNumber.slice(0, 3)}${'*'.repeat(Math.max(0, idNumber.length - 7))}${idNumber.slice(-4)}`;
}

/** 张三 → 张*, 欧阳娜娜 → 欧***: enough for a clerk to greet the right person, not to identify them. */
export function maskName(name: string): string {
  const chars = [...name];
  return `${chars[0] ?? ''}${'*'.repeat(Math.max(1, chars.length - 1))}`;
}

/** S-H-QS-01-W3 → ***01W3: the staff number a citizen may quote about a service, not a login name. */
export function maskStaffNumber(staffId: string): string {
  return `***${staffId.replace(/[^A-Za-z0-9]/g, '').slice(-4)}`;
}

export function maskPhone(phone: string): string {
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}
