// A material's sample form (样表) as a PDF file: the BFF signs a short-lived link; h5 opens it
// (the browser downloads or shows the PDF), weapp downloads it and opens it with the system
// viewer, from where it can be saved or forwarded.
import Taro from '@tarojs/taro';
import type { SampleFormLink } from '@onewindow/shared-types';
import { request } from '../api/client';

export async function openSampleForm(itemCode: string, materialCode: string): Promise<void> {
  const link = await request<SampleFormLink>(
    'GET',
    `/items/${encodeURIComponent(itemCode)}/materials/${encodeURIComponent(materialCode)}/sample`,
  );
  if (process.env.TARO_ENV === 'h5') {
    const a = document.createElement('a');
    a.href = link.url;
    a.download = link.fileName;
    a.target = '_blank';
    a.rel = 'noopener';
    document.body.appendChild(a);
    a.click();
    a.remove();
    return;
  }
  void Taro.showLoading({ title: '正在下载样表' });
  try {
    const { tempFilePath, statusCode } = await Taro.downloadFile({ url: link.url });
    if (statusCode !== 200) throw new Error(String(statusCode));
    await Taro.openDocument({ filePath: tempFilePath, fileType: 'pdf', showMenu: true });
  } catch {
    void Taro.showToast({ title: '样表下载失败，请稍后重试', icon: 'none' });
  } finally {
    Taro.hideLoading();
  }
}
