export default definePageConfig({ navigationBarTitleText: '审批留痕' });
