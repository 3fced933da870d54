// The material being viewed, handed from the task page to the viewer in memory: a signed URL
// must reach the viewer byte for byte, which a page query's encoding does not promise.
import Taro from '@tarojs/taro';
import type { TaskDetail } from '@onewindow/shared-types';

type Material = TaskDetail['materials'][number];

let current: Material | null = null;

export function viewing(): Material | null {
  return current;
}

/** Full screen: images in the image viewer, PDFs in WeChat's document viewer or, in h5, the viewer page. */
export function viewMaterial(material: Material): void {
  if (material.contentType.startsWith('image/'))
    return void Taro.previewImage({ urls: [material.url], current: material.url });
  if (process.env.TARO_ENV === 'weapp') {
    void Taro.downloadFile({ url: material.url }).then((file) =>
      Taro.openDocument({ filePath: file.tempFilePath, fileType: 'pdf', showMenu: false }),
    );
    return;
  }
  current = material;
  void Taro.navigateTo({ url: '/packages/staff/material/index' });
}
