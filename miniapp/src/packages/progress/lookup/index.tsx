// Look up a case by its acceptance number and a second factor, without signing in.
import { Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { CaseProgress } from '@onewindow/shared-types';
import { ApiError, request } from '../../../api/client';
import { PageShell, Button } from '../../../components/PageShell';
import { CaseView } from '../CaseView';

export default function Lookup() {
  const [acceptNo, setAcceptNo] = useState('');
  const [verifier, setVerifier] = useState('');
  const [problem, setProblem] = useState('');
  const [result, setResult] = useState<CaseProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setProblem('');
    if (!/^[A-Za-z0-9-]{6,32}$/.test(acceptNo.trim())) return setProblem('请输入受理单上的受理编号');
    if (!/^(\d{3}[\dXx]|1\d{10})$/.test(verifier.trim()))
      return setProblem('请输入身份证号后4位，或登记的手机号');
    setBusy(true);
    try {
      setResult(
        await request<CaseProgress>('POST', '/cases/lookup', {
          body: { acceptNo: acceptNo.trim(), verifier: verifier.trim() },
          auth: false,
          silent: true,
        }),
      );
    } catch (error) {
      setResult(null);
      setProblem(error instanceof ApiError ? error.message : '网络连接失败，请检查网络后重试');
    } finally {
      setBusy(false);
    }
  };
  return (
    <PageShell>
      <View className="card">
        <Input
          className="input lookup-number"
          placeholder="受理编号"
          value={acceptNo}
          onInput={(e) => setAcceptNo(e.detail.value)}
        />
        <Input
          className="input lookup-verifier"
          placeholder="身份证号后4位 或 手机号"
          maxlength={11}
          value={verifier}
          onInput={(e) => setVerifier(e.detail.value)}
        />
        {problem ? <Text className="field-error">{problem}</Text> : null}
        <Button className="btn btn-primary lookup-submit" loading={busy} onClick={() => void submit()}>
          查询
        </Button>
      </View>
      {result ? <CaseView progress={result} /> : null}
    </PageShell>
  );
}
