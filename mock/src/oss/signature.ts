// OSS V1 signatures, the simulator's reading of Aliyun's documentation: HMAC-SHA1 over
// VERB, Content-MD5, Content-Type, Date (or Expires for signed URLs), the canonicalized
// x-oss- headers and the canonicalized resource `/bucket/key?subresources`.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Query parameters that are part of the signed resource (OSS's sub-resource list). */
const SUB_RESOURCES = new Set([
  'acl',
  'uploads',
  'location',
  'cors',
  'logging',
  'website',
  'referer',
  'lifecycle',
  'delete',
  'append',
  'tagging',
  'objectMeta',
  'uploadId',
  'partNumber',
  'security-token',
  'position',
  'img',
  'style',
  'styleName',
  'replication',
  'replicationProgress',
  'replicationLocation',
  'cname',
  'bucketInfo',
  'comp',
  'qos',
  'live',
  'status',
  'vod',
  'startTime',
  'endTime',
  'symlink',
  'x-oss-process',
  'response-content-type',
  'response-content-language',
  'response-expires',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'udf',
  'udfName',
  'udfImage',
  'udfId',
  'udfImageDesc',
  'udfApplication',
  'udfApplicationLog',
  'restore',
  'callback',
  'callback-var',
  'x-oss-traffic-limit',
  'versionId',
  'sequential',
]);

export function hmacSha1(secret: string, text: string): string {
  return createHmac('sha1', secret).update(text, 'utf8').digest('base64');
}

export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function canonicalResource(bucket: string, key: string, query: URLSearchParams): string {
  const subs = [...query.entries()]
    .filter(([k]) => SUB_RESOURCES.has(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const suffix = subs.map(([k, v]) => (v === '' ? k : `${k}=${v}`)).join('&');
  return `/${bucket}/${key}${suffix ? `?${suffix}` : ''}`;
}

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

export function stringToSign(
  method: string,
  headers: IncomingHttpHeaders,
  dateOrExpires: string,
  resource: string,
): string {
  const ossHeaders = Object.keys(headers)
    .filter((name) => name.startsWith('x-oss-'))
    .sort()
    .map((name) => `${name}:${header(headers, name).trim()}`);
  return [
    method.toUpperCase(),
    header(headers, 'content-md5'),
    header(headers, 'content-type'),
    dateOrExpires,
    ...ossHeaders,
    resource,
  ].join('\n');
}

/** The date a header-signed request claims: `x-oss-date` when present (as the SDK sends it), else `Date`. */
export function requestDate(headers: IncomingHttpHeaders): string {
  return header(headers, 'x-oss-date') || header(headers, 'date');
}
