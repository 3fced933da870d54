// 帮办: the clerk applies for a citizen standing at the window. 1) identity from the card, checked
// with the phone against the population register; 2) the citizen reads the consent statement and
// signs it on this device's pad (kept with its hash); 3) only then the application: the form
// prefilled from the register, each material from the e-licence library, by the citizen's
// 告知承诺, or — a paper copy the citizen brought — photographed or scanned on this device and
// uploaded through the same OSS policy as the citizen's own 在线办理 (the file is the clerk's:
// no other clerk's draft can take it), then submit for an acceptance number.
import Taro from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { useRef, useState } from 'react';
import type { Static } from '@sinclair/typebox';
import type {
  ApplicationDraft,
  Assisted,
  ItemPage,
  LicenceList,
  UploadPolicy,
} from '@onewindow/shared-types';
import { ApiError, request } from '../../../api/client';
import { Button, Card, ErrorState, Loading } from '../../../components/PageShell';
import { IdentityFields } from '../../../components/LabelledInput';
import { SignaturePad, type SignaturePadHandle } from '../../../components/SignaturePad';
import { useRequest } from '../../../hooks/useRequest';
import { isValidIdNumber } from '../../../lib/id-number';
import { pickFile, type PickSource } from '../../../lib/pick-file';
import { uploadToOss } from '../../../lib/upload-to-oss';
import { StaffShell } from '../shell';

/** The pad's PNG as base64: h5 gives a data URL, weapp a temporary file. */
function base64Of(path: string): string {
  if (path.startsWith('data:')) return path.slice(path.indexOf(',') + 1);
  return Taro.getFileSystemManager().readFileSync(path, 'base64') as string;
}

export default function Assist() {
  const online = useRequest(
    () =>
      request<Static<typeof ItemPage>>('GET', '/items', { query: { pageSize: 50 }, silent: true }).then(
        (page) => page.items.filter((i) => i.visits === 0),
      ),
    [],
  );
  const [who, setWho] = useState({ name: '', idNumber: '', phone: '', itemCode: '' });
  const [record, setRecord] = useState<Assisted | null>(null);
  const [draft, setDraft] = useState<ApplicationDraft | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [inked, setInked] = useState(false);
  const [problem, setProblem] = useState('');
  const pad = useRef<SignaturePadHandle>(null);

  const run = async (step: () => Promise<void>) => {
    setBusy(true);
    setProblem('');
    try {
      await step();
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : '网络连接失败，请重试');
    } finally {
      setBusy(false);
    }
  };
  const identify = () =>
    run(async () => {
      setRecord(
        await request<Assisted>('POST', '/staff/assisted', {
          body: { ...who, name: who.name.trim(), idNumber: who.idNumber.trim().toUpperCase() },
          silent: true,
        }),
      );
    });
  const sign = () =>
    run(async () => {
      const image = await pad.current?.exportPng();
      if (!image) throw new ApiError(400, 'INVALID_INPUT', '请办事群众在签字框内手写签名');
      setRecord(
        await request<Assisted>('POST', `/staff/assisted/${record!.id}/consent`, {
          body: { signaturePng: base64Of(image.path) },
          silent: true,
        }),
      );
    });
  const startDraft = () =>
    run(async () => {
      const started = await request<ApplicationDraft>('POST', '/applications/drafts', {
        body: { itemCode: record!.itemCode, assistedId: record!.id },
        silent: true,
      });
      setDraft(started);
      setValues(Object.fromEntries(started.fields.filter((f) => !f.locked).map((f) => [f.name, f.value])));
    });
  const fetchLicence = (materialCode: string) =>
    run(async () => {
      const { licences } = await request<LicenceList>(
        'GET',
        `/applications/drafts/${draft!.id}/materials/${materialCode}/licences`,
        { silent: true },
      );
      const valid = licences.find((l) => l.valid);
      if (!valid) throw new ApiError(404, 'NOT_FOUND', '电子证照库中没有有效证照，请收取纸质材料');
      setDraft(
        await request<ApplicationDraft>(
          'PUT',
          `/applications/drafts/${draft!.id}/materials/${materialCode}`,
          {
            body: { via: 'licence', licenceNo: valid.licenceNo },
            silent: true,
          },
        ),
      );
    });
  const commit = (materialCode: string) =>
    run(async () => {
      setDraft(
        await request<ApplicationDraft>(
          'PUT',
          `/applications/drafts/${draft!.id}/materials/${materialCode}`,
          {
            body: { via: 'commitment', agree: true },
            silent: true,
          },
        ),
      );
    });
  /** A paper copy the citizen brought: a photo (or a PDF from the scanner) straight to OSS. */
  const scan = async (materialCode: string, source: PickSource) => {
    // Picked before the page is busy: a picker left open must not block the other buttons.
    const picked = await pickFile(source);
    if (!picked) return;
    await run(async () => {
      if (!picked.type)
        throw new ApiError(400, 'UPLOAD_TYPE_NOT_ALLOWED', '只能上传 JPG、PNG 图片或 PDF 文件');
      const policy = await request<UploadPolicy>('POST', '/applications/uploads/policy', {
        body: {
          draftId: draft!.id,
          materialCode,
          fileName: picked.name,
          contentType: picked.type,
          size: picked.size,
        },
        silent: true,
      });
      await uploadToOss(policy, picked, () => undefined);
      setDraft(
        await request<ApplicationDraft>(
          'PUT',
          `/applications/drafts/${draft!.id}/materials/${materialCode}`,
          { body: { via: 'upload', key: policy.key }, silent: true },
        ),
      );
    });
  };
  const submit = () =>
    run(async () => {
      const saved = await request<ApplicationDraft>('PUT', `/applications/drafts/${draft!.id}/values`, {
        body: { values },
        silent: true,
      });
      setDraft(saved);
      if (saved.problems.length > 0 || saved.missingMaterials.length > 0)
        throw new ApiError(
          400,
          'INVALID_INPUT',
          saved.problems.map((p) => p.message).join('；') || '还有材料未办妥',
        );
      const done = await request<ApplicationDraft>('POST', `/applications/drafts/${draft!.id}/submit`, {
        silent: true,
      });
      setDraft(done);
      if (done.acceptNo) setRecord({ ...record!, acceptNo: done.acceptNo });
    });

  const canIdentify =
    who.name.trim().length >= 2 &&
    isValidIdNumber(who.idNumber.trim().toUpperCase()) &&
    /^1\d{10}$/.test(who.phone) &&
    Boolean(who.itemCode);

  return (
    <StaffShell roles={['window']} tab="home" className="assist-page">
      {!record ? (
        <Card className="assist-identify" title="帮办申报：核验办事群众身份">
          <IdentityFields
            prefix="assist"
            value={who}
            onChange={setWho}
            phoneLabel="手机号（与人口库登记一致）"
          />
          <Text className="label">申报事项</Text>
          {online.loading && !online.data ? <Loading /> : null}
          {online.error ? <ErrorState error={online.error} onRetry={online.reload} /> : null}
          <View className="chip-row assist-options">
            {(online.data ?? []).map((i) => (
              <View
                key={i.code}
                className={`chip assist-item ${who.itemCode === i.code ? 'chip-on' : ''}`}
                role="radio"
                aria-checked={who.itemCode === i.code}
                {...({ tabIndex: 0 } as object)}
                onClick={() => setWho({ ...who, itemCode: i.code })}
              >
                {i.name}
              </View>
            ))}
          </View>
          <Button
            className="assist-identify-submit"
            disabled={!canIdentify}
            loading={busy}
            onClick={() => void identify()}
          >
            核验身份
          </Button>
        </Card>
      ) : null}

      {record && !record.consent ? (
        <Card className="assist-consent" title="请办事群众阅读并签字">
          <Text className="block assist-statement">{record.statement}</Text>
          <View className="row">
            <Text className="muted">{`${record.name} ${record.idMasked} · 手机 ${record.phoneMasked}`}</Text>
            <Text className="tag" onClick={() => pad.current?.clear()}>
              清除重签
            </Text>
          </View>
          <SignaturePad ref={pad} canvasId="assist-signature" onInk={setInked} />
          <Button className="assist-sign" disabled={!inked} loading={busy} onClick={() => void sign()}>
            确认签名
          </Button>
        </Card>
      ) : null}

      {record?.consent && !draft ? (
        <Card className="assist-consented" title="已签字同意帮办">
          <Text className="muted block">{`签字时间已记录（${record.consent.at.slice(0, 16).replace('T', ' ')} UTC）`}</Text>
          <Button className="assist-start" loading={busy} onClick={() => void startDraft()}>
            {`开始申报：${record.itemName}`}
          </Button>
        </Card>
      ) : null}

      {draft && !draft.acceptNo ? (
        <Card className="assist-form" title={`${draft.itemName}（为${record!.name}帮办）`}>
          {draft.fields.map((f) => (
            <View key={f.name} className={`field-${f.name}`}>
              <Text className="label">{f.label}</Text>
              {f.locked ? (
                <Text className="block">{f.value}</Text>
              ) : f.options ? (
                <View className="chip-row assist-options">
                  {f.options.map((o) => (
                    <View
                      key={o}
                      className={`chip ${values[f.name] === o ? 'chip-on' : ''}`}
                      role="radio"
                      aria-checked={values[f.name] === o}
                      {...({ tabIndex: 0 } as object)}
                      onClick={() => setValues({ ...values, [f.name]: o })}
                    >
                      {o}
                    </View>
                  ))}
                </View>
              ) : (
                <Input
                  className="input"
                  aria-label={f.label}
                  value={values[f.name] ?? ''}
                  onInput={(e) => setValues({ ...values, [f.name]: e.detail.value })}
                />
              )}
            </View>
          ))}
          {draft.materials.map((m) => (
            <View key={m.code} className="assist-material" data-material={m.code}>
              <Text className="block">{`${m.name}${m.required ? '' : '（选交）'}`}</Text>
              {m.chosen ? (
                <Text className="muted block material-state">
                  {m.chosen.via === 'licence'
                    ? `电子证照：${m.chosen.licence?.issuer ?? ''}`
                    : m.chosen.via === 'upload'
                      ? `已上传：${m.chosen.upload?.fileName ?? ''}`
                      : '已签署告知承诺'}
                </Text>
              ) : (
                <View className="row">
                  {m.licenceType ? (
                    <Button
                      kind="secondary"
                      inline
                      className="assist-licence"
                      loading={busy}
                      onClick={() => void fetchLicence(m.code)}
                    >
                      调取电子证照
                    </Button>
                  ) : null}
                  {m.commitment ? (
                    <Button
                      kind="secondary"
                      inline
                      className="assist-commit"
                      loading={busy}
                      onClick={() => void commit(m.code)}
                    >
                      群众承诺
                    </Button>
                  ) : null}
                  <Button
                    kind="secondary"
                    inline
                    className="assist-scan"
                    loading={busy}
                    onClick={() => void scan(m.code, 'camera')}
                  >
                    拍照上传
                  </Button>
                  <Button
                    kind="secondary"
                    inline
                    className="assist-pdf"
                    loading={busy}
                    onClick={() => void scan(m.code, 'document')}
                  >
                    上传PDF
                  </Button>
                </View>
              )}
            </View>
          ))}
          <Button className="assist-submit" loading={busy} onClick={() => void submit()}>
            提交申报
          </Button>
        </Card>
      ) : null}

      {draft?.acceptNo ? (
        <Card className="assist-done" title="申报已提交">
          <Text className="block">受理编号</Text>
          <Text className="block accept-no">{draft.acceptNo}</Text>
          <Text className="muted block">请将受理编号告知办事群众，可凭编号和身份证后4位查询进度。</Text>
          <Button
            kind="secondary"
            onClick={() => void Taro.redirectTo({ url: '/packages/staff/assist/index' })}
          >
            继续帮办下一位
          </Button>
        </Card>
      ) : null}
      {problem ? <Text className="field-error assist-problem">{problem}</Text> : null}
    </StaffShell>
  );
}
