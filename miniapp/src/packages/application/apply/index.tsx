// 在线办理: the item's form prefilled from the real-name binding, the materials (an e-licence
// from the library, an upload straight to OSS, or a signed commitment), a review of everything,
// and one submission that yields the acceptance number. The draft lives on the server, so
// leaving and coming back — on this phone or another — resumes it.
import Taro from '@tarojs/taro';
import { Input, Text, Textarea, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type {
  ApplicationDraft,
  FieldProblem,
  FormFieldView,
  LicenceList,
  LicenceView,
  MaterialView,
  UploadPolicy,
} from '@onewindow/shared-types';
import { ACT_AS_HEADER } from '@onewindow/shared-types/constants';
import { ApiError, request } from '../../../api/client';
import { Button, Card, ErrorState, Loading, PageShell, Tag } from '../../../components/PageShell';
import { useRequest } from '../../../hooks/useRequest';
import { acting } from '../../../lib/acting';
import { pickFile, type PickSource } from '../../../lib/pick-file';
import { uploadToOss } from '../../../lib/upload-to-oss';
import '../application.css';

type Step = 'form' | 'materials' | 'review';
const STEPS: { step: Step; label: string }[] = [
  { step: 'form', label: '填写信息' },
  { step: 'materials', label: '提交材料' },
  { step: 'review', label: '核对提交' },
];

function validity(l: LicenceView): string {
  return `${l.validFrom} 至 ${l.validUntil ?? '长期'}`;
}

function chosenText(m: MaterialView): string {
  if (!m.chosen) return m.required ? '未提交' : '选交';
  if (m.chosen.via === 'licence') return `电子证照：${m.chosen.licence?.name ?? ''}`;
  if (m.chosen.via === 'upload') return `已上传：${m.chosen.upload?.fileName ?? ''}`;
  return '已签署告知承诺';
}

function FieldInput({
  field,
  value,
  onChange,
}: {
  field: FormFieldView;
  value: string;
  onChange: (value: string) => void;
}) {
  const id = `label-${field.name}`;
  if (field.type === 'select') {
    return (
      <View className="chip-row apply-options" role="radiogroup" aria-labelledby={id}>
        {(field.options ?? []).map((option) => (
          <View
            key={option}
            className={`chip ${value === option ? 'chip-on' : ''}`}
            role="radio"
            aria-checked={value === option}
            {...({ tabIndex: 0 } as object)}
            onClick={() => onChange(option)}
          >
            {option}
          </View>
        ))}
      </View>
    );
  }
  // The placeholder names it for screen readers too: Taro's h5 Textarea does not pass aria attributes on.
  if (field.type === 'textarea')
    return (
      <Textarea
        className={`apply-textarea field-${field.name}`}
        placeholder={`请填写${field.label}`}
        maxlength={field.maxLength ?? 500}
        value={value}
        onInput={(e) => onChange(e.detail.value)}
      />
    );
  const type =
    field.type === 'number' || field.type === 'phone'
      ? 'number'
      : field.type === 'idNumber'
        ? 'idcard'
        : 'text';
  const placeholder =
    field.type === 'date' ? '如 2020-05-20' : field.type === 'phone' ? '11位手机号' : `请填写${field.label}`;
  return (
    <Input
      className={`input field-${field.name}`}
      type={type}
      aria-labelledby={id}
      placeholder={placeholder}
      maxlength={field.maxLength ?? 140}
      value={value}
      onInput={(e) => onChange(e.detail.value)}
    />
  );
}

export default function Apply() {
  const params = Taro.getCurrentInstance().router?.params ?? {};
  const itemCode = params.itemCode ?? '';
  // 代办: applying for the principal of this grant (代为申报), or of the 代办 mode the agent turned
  // on (then 在线办理 from a guide is for her too, as booking and numbers are). Every call of the
  // page carries X-Act-As: the draft is hers, and the BFF checks the grant each time.
  const [grantId] = useState(() => params.grantId ?? acting()?.grantId);
  const headers: Record<string, string> = grantId ? { [ACT_AS_HEADER]: grantId } : {};
  const answer = useRequest(
    () =>
      request<ApplicationDraft>('POST', '/applications/drafts', {
        body: { itemCode },
        headers,
        silent: true,
      }),
    [itemCode, grantId],
  );
  const [draft, setDraft] = useState<ApplicationDraft | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [step, setStep] = useState<Step>('form');
  const [shownProblems, setShownProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [licences, setLicences] = useState<Record<string, LicenceView[]>>({});
  const [uploading, setUploading] = useState<Record<string, number>>({});
  const [unsettled, setUnsettled] = useState(false);

  useEffect(() => {
    if (!answer.data) return;
    setDraft(answer.data);
    setValues(Object.fromEntries(answer.data.fields.filter((f) => !f.locked).map((f) => [f.name, f.value])));
    // A submission whose answer never came: it can only be sent again, not changed.
    if (answer.data.state === 'submitting') {
      setStep('review');
      setUnsettled(true);
    }
  }, [answer.data]);

  if (answer.error && !draft)
    return (
      <PageShell>
        <ErrorState error={answer.error} onRetry={answer.reload} />
      </PageShell>
    );
  // Until the loaded draft is taken into the page's own state.
  if (!draft)
    return (
      <PageShell>
        <Loading />
      </PageShell>
    );

  const openCase = () =>
    void Taro.redirectTo({ url: `/packages/progress/case/index?acceptNo=${draft.acceptNo}` });
  const openMine = () => void Taro.navigateTo({ url: '/packages/application/mine/index' });
  if (draft.state === 'submitted' && draft.acceptNo) {
    return (
      <PageShell>
        <Card className="apply-result">
          <Text className="title">申报已提交</Text>
          <Text className="muted block">{draft.itemName} · 受理单号</Text>
          <Text className="accept-no">{draft.acceptNo}</Text>
          <Text className="block">
            {draft.principalName ? `已为 ${draft.principalName} 提交，本人可在“我的办件”中查看进度。` : ''}
            窗口工作人员将进行预审，结果会通过消息通知您；材料如需补正，会一次性告知。
          </Text>
          {/* The principal follows a case applied in their name; the agent finds it under 我的申报. */}
          {draft.principalName ? null : (
            <Button className="open-case" onClick={openCase}>
              查看办理进度
            </Button>
          )}
          <Button kind="secondary" className="open-mine" onClick={openMine}>
            我的申报与代办
          </Button>
        </Card>
      </PageShell>
    );
  }

  const saveValues = async () => {
    setBusy('values');
    try {
      const saved = await request<ApplicationDraft>('PUT', `/applications/drafts/${draft.id}/values`, {
        body: { values },
        headers,
      });
      setDraft(saved);
      setShownProblems(saved.problems);
      if (saved.problems.length === 0) setStep('materials');
    } catch {
      // The client showed why.
    } finally {
      setBusy(null);
    }
  };

  const choose = async (material: MaterialView, body: unknown) => {
    setBusy(material.code);
    try {
      setDraft(
        await request<ApplicationDraft>(
          'PUT',
          `/applications/drafts/${draft.id}/materials/${material.code}`,
          { body, headers },
        ),
      );
    } catch {
      // The client showed why.
    } finally {
      setBusy(null);
    }
  };

  const fetchLicences = async (material: MaterialView) => {
    setBusy(material.code);
    try {
      const list = await request<LicenceList>(
        'GET',
        `/applications/drafts/${draft.id}/materials/${material.code}/licences`,
        { headers },
      );
      setLicences((all) => ({ ...all, [material.code]: list.licences }));
      if (list.licences.length === 0)
        void Taro.showToast({ title: '电子证照库中没有您的这份证照，请上传', icon: 'none' });
    } catch {
      // The client showed why.
    } finally {
      setBusy(null);
    }
  };

  const upload = async (material: MaterialView, source: PickSource) => {
    const picked = await pickFile(source);
    if (!picked) return;
    if (!picked.type)
      return void Taro.showToast({ title: '只能上传 JPG、PNG 图片或 PDF 文件', icon: 'none' });
    setUploading((all) => ({ ...all, [material.code]: 0 }));
    try {
      const policy = await request<UploadPolicy>('POST', '/applications/uploads/policy', {
        body: {
          draftId: draft.id,
          materialCode: material.code,
          fileName: picked.name,
          contentType: picked.type,
          size: picked.size,
        },
        headers,
      });
      await uploadToOss(policy, picked, (percent) =>
        setUploading((all) => ({ ...all, [material.code]: percent })),
      );
      await choose(material, { via: 'upload', key: policy.key });
    } catch (error) {
      if (!(error instanceof ApiError))
        void Taro.showToast({
          title: error instanceof Error ? error.message : '上传失败，请重试',
          icon: 'none',
        });
    } finally {
      setUploading(({ [material.code]: _done, ...rest }) => rest);
    }
  };

  const submit = async () => {
    setBusy('submit');
    try {
      setDraft(
        await request<ApplicationDraft>('POST', `/applications/drafts/${draft.id}/submit`, {
          headers,
          silent: true,
        }),
      );
      setUnsettled(false);
    } catch (error) {
      // Unknown outcome: the draft keeps its one key, so trying again cannot apply twice.
      if (error instanceof ApiError && (error.status >= 500 || error.code === 'NETWORK')) setUnsettled(true);
      else
        void Taro.showToast({
          title: error instanceof ApiError ? error.message : '提交失败，请重试',
          icon: 'none',
          duration: 2500,
        });
    } finally {
      setBusy(null);
    }
  };

  const problemOf = (name: string) => shownProblems.find((p) => p.field === name);
  const missing = draft.materials.filter((m) => draft.missingMaterials.includes(m.code));

  return (
    <PageShell>
      <Card>
        <Text className="title">{draft.itemName}</Text>
        {draft.principalName ? (
          <Text className="block agent-banner">{`为 ${draft.principalName} 代办：信息取自其实名认证，办件属于本人`}</Text>
        ) : null}
        <Text className="link open-mine" onClick={openMine}>
          我的申报与代办 ›
        </Text>
        <Text className="muted block">
          草稿自动保存在云端，换手机登录也能继续填写
          {draft.expiresAt ? `，${draft.expiresAt.slice(0, 10)} 前有效` : ''}。
        </Text>
      </Card>
      {/* Where the citizen is, not a control: the steps change by the buttons below. */}
      <View className="apply-steps" role="list">
        {STEPS.map((s, i) => (
          <View
            key={s.step}
            className={`apply-step ${step === s.step ? 'apply-step-on' : ''}`}
            role="listitem"
            aria-current={step === s.step ? 'step' : undefined}
          >
            {/* The number on its own line: four characters of 18 px fit a third of a 320 px screen. */}
            <Text className="apply-step-no">{i + 1}</Text>
            {s.label}
          </View>
        ))}
      </View>

      {step === 'form' ? (
        <Card className="apply-form" title="申请信息">
          {draft.fields.map((field) => (
            <View key={field.name} className="apply-field" data-field={field.name}>
              <Text className="label" id={`label-${field.name}`}>
                {field.required ? field.label : `${field.label}（选填）`}
              </Text>
              {field.locked ? (
                <Text className={`apply-locked field-${field.name}`}>{field.value}（取自实名认证）</Text>
              ) : (
                <FieldInput
                  field={field}
                  value={values[field.name] ?? ''}
                  onChange={(value) => setValues((all) => ({ ...all, [field.name]: value }))}
                />
              )}
              {problemOf(field.name) ? (
                <Text className="field-error">{problemOf(field.name)!.message}</Text>
              ) : null}
            </View>
          ))}
          <Button className="next-materials" loading={busy === 'values'} onClick={() => void saveValues()}>
            保存，下一步
          </Button>
        </Card>
      ) : null}

      {step === 'materials' ? (
        <View>
          {draft.materials.map((m) => (
            <Card
              key={m.code}
              className="apply-material"
              title={m.name}
              extra={
                <Tag tone={m.chosen ? 'success' : m.required ? 'warning' : 'neutral'}>
                  {m.chosen ? '已提交' : m.required ? '必交' : '选交'}
                </Tag>
              }
            >
              <View data-material={m.code}>
                <Text className="muted block material-state">{chosenText(m)}</Text>
                {m.chosen?.licence ? (
                  <View className="licence-card licence-chosen">
                    <Text className="block">
                      {m.chosen.licence.name} {m.chosen.licence.number}
                    </Text>
                    <Text className="muted block">发证机关：{m.chosen.licence.issuer}</Text>
                    <Text className="muted block">有效期：{validity(m.chosen.licence)}</Text>
                  </View>
                ) : null}
                {(licences[m.code] ?? [])
                  .filter((l) => l.licenceNo !== m.chosen?.licence?.licenceNo)
                  .map((l) => (
                    <View
                      key={l.licenceNo}
                      className={`licence-card ${l.valid ? '' : 'licence-card-expired'}`}
                    >
                      <View className="row">
                        <Text className="title mb-0">{l.name}</Text>
                        <Tag tone={l.valid ? 'success' : 'danger'}>{l.valid ? '有效' : '已过期'}</Tag>
                      </View>
                      <Text className="block">证照编号：{l.number}</Text>
                      <Text className="muted block">发证机关：{l.issuer}</Text>
                      <Text className="muted block">有效期：{validity(l)}</Text>
                      {l.valid ? (
                        <Button
                          kind="secondary"
                          className="use-licence"
                          loading={busy === m.code}
                          onClick={() => void choose(m, { via: 'licence', licenceNo: l.licenceNo })}
                        >
                          使用此电子证照
                        </Button>
                      ) : null}
                    </View>
                  ))}
                {m.commitment ? <Text className="commitment-text">告知承诺：{m.commitment}</Text> : null}
                {uploading[m.code] !== undefined ? (
                  <Text className="muted block upload-progress-text">上传中 {uploading[m.code]}%</Text>
                ) : null}
                <View className="row material-actions">
                  {m.licenceType ? (
                    <Button
                      kind="secondary"
                      className="fetch-licence"
                      loading={busy === m.code}
                      onClick={() => void fetchLicences(m)}
                    >
                      调取电子证照
                    </Button>
                  ) : null}
                  <Button
                    kind="secondary"
                    className="pick-album"
                    disabled={uploading[m.code] !== undefined}
                    onClick={() => void upload(m, 'album')}
                  >
                    上传图片
                  </Button>
                  <Button
                    kind="secondary"
                    className="pick-pdf"
                    disabled={uploading[m.code] !== undefined}
                    onClick={() => void upload(m, 'document')}
                  >
                    上传PDF
                  </Button>
                  {m.commitment && m.chosen?.via !== 'commitment' ? (
                    <Button
                      kind="secondary"
                      className="sign-commitment"
                      loading={busy === m.code}
                      onClick={() => void choose(m, { via: 'commitment', agree: true })}
                    >
                      签署承诺
                    </Button>
                  ) : null}
                </View>
              </View>
            </Card>
          ))}
          {missing.length > 0 ? (
            <Text className="muted block">还需提交：{missing.map((m) => m.name).join('、')}</Text>
          ) : null}
          <View className="row material-actions">
            <Button kind="secondary" onClick={() => setStep('form')}>
              上一步
            </Button>
            <Button className="next-review" disabled={missing.length > 0} onClick={() => setStep('review')}>
              下一步
            </Button>
          </View>
        </View>
      ) : null}

      {step === 'review' ? (
        <Card className="apply-review" title="核对申报内容">
          {draft.fields.map((f) => (
            <View key={f.name} className="review-row">
              <Text className="muted">{f.label}</Text>
              <Text>{f.value || '—'}</Text>
            </View>
          ))}
          {draft.materials.map((m) => (
            <View key={m.code} className="review-row">
              <Text className="muted">{m.name}</Text>
              <Text>{chosenText(m)}</Text>
            </View>
          ))}
          {unsettled ? (
            <Text className="field-error submit-unsettled">
              提交结果暂未确认，请稍后再点一次“提交申报”，不会重复提交。
            </Text>
          ) : null}
          <View className="row material-actions">
            <Button kind="secondary" onClick={() => setStep('materials')}>
              上一步
            </Button>
            <Button className="submit-application" loading={busy === 'submit'} onClick={() => void submit()}>
              提交申报
            </Button>
          </View>
        </Card>
      ) : null}
    </PageShell>
  );
}
