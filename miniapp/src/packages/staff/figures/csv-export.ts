// The figures as a CSV file. On h5 (the supervisor's PC) the browser downloads it. On weapp a
// phone cannot open a CSV (`openDocument` takes Office and PDF files only), so the file is
// downloaded and sent to a chat (`shareFileMessage`, 文件传输助手 included) to open on a PC.
import Taro from '@tarojs/taro';
import { request } from '../../../api/client';
import { loadSession } from '../../../api/session-store';

export interface CsvQuery {
  hallId?: string;
  from: string;
  to: string;
  groupBy: string;
  bucket: string;
}

function csvUrl(query: CsvQuery): string {
  const params = Object.entries(query)
    .filter(([, v]) => v)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return `${API_BASE}/staff/queue/figures.csv?${params}`;
}

/** Resolves once the file is handed over; rejects with a Chinese message. */
export async function exportCsv(query: CsvQuery): Promise<void> {
  // The JSON answer first: the client refreshes an expired token and shows a refusal's message.
  await request('GET', '/staff/queue/figures', { query: { ...query } });
  const token = loadSession()?.accessToken ?? '';
  const name = `运营数据-${query.from}-${query.to}.csv`;
  if (process.env.TARO_ENV === 'h5') {
    const answer = await fetch(csvUrl(query), { headers: { authorization: `Bearer ${token}` } });
    if (!answer.ok) throw new Error('导出失败，请重试');
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await answer.blob());
    link.download = name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
    return;
  }
  const file = await Taro.downloadFile({ url: csvUrl(query), header: { authorization: `Bearer ${token}` } });
  if (file.statusCode !== 200) throw new Error('导出失败，请重试');
  await Taro.shareFileMessage({ filePath: file.tempFilePath, fileName: name });
}
