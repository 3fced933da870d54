// A material full screen in h5 (the mini-program opens PDFs with openDocument and images with
// previewImage instead). Its signed URL stops working after a few minutes: reopening the task gives a new one.
import { WebView } from '@tarojs/components';
import { EmptyState, PageShell } from '../../../components/PageShell';
import { viewing } from '../material-viewer';

export default function Material() {
  const material = viewing();
  if (!material) return <PageShell><EmptyState text='请从审批任务中打开材料' /></PageShell>;
  return <WebView src={material.url} />;
}
