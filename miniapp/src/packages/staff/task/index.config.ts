export default definePageConfig({ navigationBarTitleText: '审批办理' });
