// Remote correction: the notice as a checklist; per material take a photo, pick an image or a
// PDF, watch it upload straight to OSS, preview, replace or remove it; submit once every
// required material is there.
import Taro from '@tarojs/taro';
import { Image, Progress, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { CaseProgress, CorrectionView, UploadPolicy } from '@onewindow/shared-types';
import { ApiError, request } from '../../../api/client';
import { Button, EmptyState, PageShell, PendingPage } from '../../../components/PageShell';
import { ready, useRequest } from '../../../hooks/useRequest';
import { pickFile, type PickSource } from '../../../lib/pick-file';
import { uploadToOss } from '../../../lib/upload-to-oss';
import '../progress.css';
import { shanghaiMinute } from '../../../lib/shanghai-time';

interface FileRow {
  id: number;
  name: string;
  size: number;
  path: string;
  image: boolean;
  percent: number;
  status: 'uploading' | 'done' | 'failed';
  key?: string;
  problem?: string;
}

const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)}MB`
    : `${Math.max(1, Math.round(bytes / 1024))}KB`;
let nextId = 1;

export default function Correction() {
  const acceptNo = Taro.getCurrentInstance().router?.params.acceptNo ?? '';
  const answer = useRequest(
    () =>
      request<CorrectionView>('GET', `/cases/${encodeURIComponent(acceptNo)}/corrections`, { silent: true }),
    [acceptNo],
  );
  const [files, setFiles] = useState<Record<string, FileRow[]>>({});
  const [submitting, setSubmitting] = useState(false);
  const [result, setResult] = useState<CaseProgress | null>(null);

  if (!ready(answer)) return <PendingPage state={answer} />;
  const openCase = () => void Taro.redirectTo({ url: `/packages/progress/case/index?acceptNo=${acceptNo}` });

  if (result) {
    return (
      <PageShell>
        <View className="card correction-result">
          <Text className="title">补正材料已提交</Text>
          <Text className="block">
            办件已回到「{result.statusLabel}」，补正期间不计入承诺时限。审查结果会通过消息通知您。
          </Text>
          <Button className="btn btn-primary" onClick={openCase}>
            查看办理进度
          </Button>
        </View>
      </PageShell>
    );
  }
  const { correction, maxBytes } = answer.data;
  if (!correction) {
    return (
      <PageShell>
        <EmptyState text="该办件当前没有需要补正的材料" />
        <Button className="btn btn-secondary" onClick={openCase}>
          查看办理进度
        </Button>
      </PageShell>
    );
  }

  const update = (materialCode: string, id: number, change: Partial<FileRow>) =>
    setFiles((all) => ({
      ...all,
      [materialCode]: (all[materialCode] ?? []).map((f) => (f.id === id ? { ...f, ...change } : f)),
    }));
  const remove = (materialCode: string, id: number) =>
    setFiles((all) => ({ ...all, [materialCode]: (all[materialCode] ?? []).filter((f) => f.id !== id) }));

  /** Picks and uploads one file; with `replacing`, the old file goes once the new one is up. */
  const add = async (materialCode: string, source: PickSource, replacing?: number) => {
    const picked = await pickFile(source);
    if (!picked) return;
    if (!picked.type)
      return void Taro.showToast({ title: '只能上传 JPG、PNG 图片或 PDF 文件', icon: 'none' });
    if (picked.size > maxBytes)
      return void Taro.showToast({
        title: `文件不能超过 ${Math.floor(maxBytes / 1024 / 1024)}MB`,
        icon: 'none',
      });
    const row: FileRow = {
      id: nextId++,
      name: picked.name,
      size: picked.size,
      path: picked.path,
      image: picked.type !== 'application/pdf',
      percent: 0,
      status: 'uploading',
    };
    setFiles((all) => ({ ...all, [materialCode]: [...(all[materialCode] ?? []), row] }));
    try {
      const policy = await request<UploadPolicy>('POST', '/uploads/policy', {
        body: {
          acceptNo,
          correctionId: correction.id,
          materialCode,
          fileName: picked.name,
          contentType: picked.type,
          size: picked.size,
        },
        silent: true,
      });
      await uploadToOss(policy, picked, (percent) => update(materialCode, row.id, { percent }));
      update(materialCode, row.id, { status: 'done', percent: 100, key: policy.key });
      if (replacing !== undefined) remove(materialCode, replacing);
    } catch (error) {
      update(materialCode, row.id, {
        status: 'failed',
        problem: error instanceof Error ? error.message : '上传失败，请重试',
      });
    }
  };

  const preview = (row: FileRow) => {
    if (row.image) return void Taro.previewImage({ urls: [row.path], current: row.path });
    if (process.env.TARO_ENV === 'h5') return void window.open(row.path, '_blank');
    void Taro.openDocument({ filePath: row.path, fileType: 'pdf' });
  };

  const uploaded = (code: string) => (files[code] ?? []).some((f) => f.status === 'done');
  const uploading = Object.values(files).some((list) => list.some((f) => f.status === 'uploading'));
  const missing = correction.items.filter((i) => i.required && !uploaded(i.materialCode));
  const canSubmit = !correction.expired && missing.length === 0 && !uploading && !submitting;

  const submit = async () => {
    setSubmitting(true);
    try {
      const chosen = Object.entries(files).flatMap(([materialCode, list]) =>
        list.filter((f) => f.status === 'done').map((f) => ({ materialCode, key: f.key! })),
      );
      setResult(
        await request<CaseProgress>('POST', `/cases/${acceptNo}/corrections/${correction.id}/submit`, {
          body: { files: chosen },
        }),
      );
    } catch (error) {
      // The client showed why; a file the BFF refused must be uploaded again.
      if (error instanceof ApiError && error.code.startsWith('UPLOAD_')) answer.reload();
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <PageShell>
      <View className="card correction-banner">
        <Text className="title">一次性告知：需补正 {correction.items.length} 项材料</Text>
        <Text className="block">
          {correction.expired
            ? '补正期限已过，请联系办理部门。'
            : `请于 ${shanghaiMinute(correction.deadline)} 前提交。`}
        </Text>
        <Text className="muted block">
          支持 JPG、PNG 图片或 PDF，每个文件不超过 {Math.floor(maxBytes / 1024 / 1024)}MB。
        </Text>
      </View>
      {correction.items.map((item) => (
        <View key={item.materialCode} className="card correction-item" data-material={item.materialCode}>
          <View className="row">
            <Text className="title grow">{item.name}</Text>
            <Text className={`badge ${uploaded(item.materialCode) ? 'badge-green' : 'badge-yellow'}`}>
              {uploaded(item.materialCode) ? '已上传' : item.required ? '必传' : '选传'}
            </Text>
          </View>
          <Text className="muted block">退回原因：{item.reason}</Text>
          {(files[item.materialCode] ?? []).map((row) => (
            <View key={row.id} className="upload-row">
              {row.image ? (
                <Image
                  className="upload-thumb"
                  src={row.path}
                  mode="aspectFill"
                  onClick={() => preview(row)}
                />
              ) : (
                <View className="upload-thumb upload-pdf" onClick={() => preview(row)}>
                  <Text>PDF</Text>
                </View>
              )}
              <View className="grow">
                <Text className="upload-name block">{row.name}</Text>
                <Text className="muted upload-state block">
                  {sizeText(row.size)} ·{' '}
                  {row.status === 'uploading'
                    ? `上传中 ${row.percent}%`
                    : row.status === 'done'
                      ? '上传完成'
                      : row.problem}
                </Text>
                {row.status === 'uploading' ? (
                  <Progress
                    className="upload-progress"
                    percent={row.percent}
                    strokeWidth={6}
                    activeColor="#1d4ed8"
                  />
                ) : null}
                {row.status !== 'uploading' ? (
                  <View className="row upload-actions">
                    {row.status === 'done' ? (
                      <Text className="link" onClick={() => preview(row)}>
                        预览
                      </Text>
                    ) : null}
                    <Text
                      className="link"
                      onClick={() => void add(item.materialCode, row.image ? 'album' : 'document', row.id)}
                    >
                      替换
                    </Text>
                    <Text className="link link-danger" onClick={() => remove(item.materialCode, row.id)}>
                      删除
                    </Text>
                  </View>
                ) : null}
              </View>
            </View>
          ))}
          {!correction.expired ? (
            <View className="row pick-actions">
              <Button
                className="btn btn-secondary pick-camera"
                onClick={() => void add(item.materialCode, 'camera')}
              >
                拍照
              </Button>
              <Button
                className="btn btn-secondary pick-album"
                onClick={() => void add(item.materialCode, 'album')}
              >
                相册图片
              </Button>
              <Button
                className="btn btn-secondary pick-pdf"
                onClick={() => void add(item.materialCode, 'document')}
              >
                PDF文件
              </Button>
            </View>
          ) : null}
        </View>
      ))}
      {missing.length > 0 && !correction.expired ? (
        <Text className="muted block mb-12">还需上传：{missing.map((m) => m.name).join('、')}</Text>
      ) : null}
      <Button
        className="btn btn-primary correction-submit"
        disabled={!canSubmit}
        loading={submitting}
        onClick={() => void submit()}
      >
        {uploading ? '正在上传…' : '提交补正材料'}
      </Button>
    </PageShell>
  );
}
