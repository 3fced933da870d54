export default definePageConfig({ navigationBarTitleText: '运营数据' });
