// The real ali-oss SDK pointed at a world's OSS simulator: how suites look into the bucket.
import OSS from 'ali-oss';
import type { OssHandle } from '@onewindow/mock/oss/server';

export function ossClient(
  handle: Pick<OssHandle, 'url' | 'bucket' | 'region' | 'accessKeyId' | 'accessKeySecret'>,
  overrides: Partial<OSS.Options> = {},
): OSS {
  return new OSS({
    endpoint: handle.url,
    cname: true,
    secure: false,
    bucket: handle.bucket,
    region: handle.region,
    accessKeyId: handle.accessKeyId,
    accessKeySecret: handle.accessKeySecret,
    ...overrides,
  });
}
