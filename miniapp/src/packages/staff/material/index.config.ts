export default definePageConfig({ navigationBarTitleText: '查看材料' });
