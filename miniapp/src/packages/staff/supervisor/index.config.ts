export default definePageConfig({ navigationBarTitleText: '监察管理' });
