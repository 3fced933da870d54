// Straight from the phone to OSS with the policy the BFF signed (PostObject): the file never
// passes through the BFF.
import Taro from '@tarojs/taro';
import type { UploadPolicy } from '@onewindow/shared-types';
import type { PickedFile } from './pick-file';

const OSS_MESSAGES: Record<string, string> = {
  EntityTooLarge: '文件过大，请压缩后重新上传',
  AccessDenied: '上传凭证已过期，请重新选择文件',
  FileAlreadyExists: '文件已上传，请勿重复上传',
};

export async function uploadToOss(
  policy: UploadPolicy,
  file: PickedFile,
  onProgress: (percent: number) => void,
): Promise<void> {
  const task = Taro.uploadFile({
    url: `${policy.host}/`,
    filePath: file.path,
    name: 'file',
    fileName: file.name,
    formData: policy.formData,
    // The bucket's CORS rule admits the h5 origin without cookies.
    withCredentials: false,
    timeout: 120_000,
  });
  task.onProgressUpdate?.((update) => onProgress(update.progress));
  let result: Taro.uploadFile.SuccessCallbackResult;
  try {
    result = await task;
  } catch {
    throw new Error('网络连接失败，上传未完成，请重试');
  }
  if (result.statusCode !== 201 && result.statusCode !== 200 && result.statusCode !== 204) {
    const code = /<Code>([^<]+)<\/Code>/.exec(String(result.data))?.[1] ?? '';
    throw new Error(OSS_MESSAGES[code] ?? '上传失败，请重试');
  }
  onProgress(100);
}
