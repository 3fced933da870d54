export default definePageConfig({ navigationBarTitleText: '网上预审' });
