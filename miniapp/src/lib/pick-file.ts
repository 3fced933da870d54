// One file from the phone: a photo taken now, an image from the album, or a PDF. The
// mini-program uses WeChat's pickers (chooseMessageFile is how a PDF is picked there, from a
// chat); h5 uses a file input, which also gives the file's real name and type.
import Taro from '@tarojs/taro';
import { UPLOAD_TYPES, type UploadContentType } from '@onewindow/shared-types/constants';

export type PickSource = 'camera' | 'album' | 'document';

export interface PickedFile {
  /** A temporary path (weapp) or object URL (h5) that Taro.uploadFile and previews accept. */
  path: string;
  name: string;
  size: number;
  /** Null when the file is of a type a correction does not accept. */
  type: UploadContentType | null;
}

function typeOf(name: string, declared?: string): UploadContentType | null {
  if (declared && Object.prototype.hasOwnProperty.call(UPLOAD_TYPES, declared))
    return declared as UploadContentType;
  const extension = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  const found = Object.entries(UPLOAD_TYPES).find(([, extensions]) =>
    (extensions as readonly string[]).includes(extension ?? ''),
  );
  return found ? (found[0] as UploadContentType) : null;
}

function pickInBrowser(source: PickSource): Promise<PickedFile | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = source === 'document' ? 'application/pdf' : 'image/jpeg,image/png';
    if (source === 'camera') input.setAttribute('capture', 'environment');
    input.style.cssText = 'position:fixed;left:-9999px;top:-9999px;';
    const done = (file: PickedFile | null) => {
      input.remove();
      resolve(file);
    };
    input.onchange = () => {
      const file = input.files?.[0];
      done(
        file
          ? {
              path: URL.createObjectURL(file),
              name: file.name,
              size: file.size,
              type: typeOf(file.name, file.type),
            }
          : null,
      );
    };
    input.addEventListener('cancel', () => done(null));
    document.body.appendChild(input);
    input.click();
  });
}

/** Resolves null when the citizen cancels. */
export async function pickFile(source: PickSource): Promise<PickedFile | null> {
  if (process.env.TARO_ENV === 'h5') return pickInBrowser(source);
  try {
    if (source === 'document') {
      const { tempFiles } = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['pdf'] });
      const file = tempFiles[0];
      return { path: file.path, name: file.name, size: file.size, type: typeOf(file.name) };
    }
    const { tempFiles } = await Taro.chooseMedia({
      count: 1,
      mediaType: ['image'],
      sourceType: [source],
      sizeType: ['compressed'],
    });
    const file = tempFiles[0];
    const name = file.tempFilePath.split('/').pop() ?? 'photo.jpg';
    return { path: file.tempFilePath, name, size: file.size, type: typeOf(name) };
  } catch {
    return null; // cancelled
  }
}
