export default definePageConfig({ navigationBarTitleText: '材料补正' });
