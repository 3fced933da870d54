// A material full screen in h5 (the mini-program opens PDFs with openDocument and images with
// previewImage instead), under a bar with the way back to the task. Its signed URL stops working
// after a few minutes: reopening the task gives a new one.
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button, EmptyState } from '../../../components/PageShell';
import { viewing } from '../material-viewer';
import { StaffShell } from '../shell';
import '../approval.css';

const back = () =>
  void Taro.navigateBack().catch(() => Taro.redirectTo({ url: '/packages/staff/tasks/index' }));

export default function Material() {
  const material = viewing();
  return (
    <StaffShell roles={['approver']}>
      {material ? (
        <View>
          <View className="material-bar row">
            <Button inline kind="secondary" className="material-back" onClick={back}>
              ‹ 返回任务
            </Button>
            <Text className="title">{material.name}</Text>
          </View>
          {/* An iframe, not Taro's WebView: the h5 WebView covers the whole page, back bar included. */}
          {process.env.TARO_ENV === 'h5' ? (
            <iframe className="material-frame" src={material.url} title={material.name} />
          ) : null}
        </View>
      ) : (
        <EmptyState text="请从审批任务中打开材料" action="返回待办" onAction={back} />
      )}
    </StaffShell>
  );
}
