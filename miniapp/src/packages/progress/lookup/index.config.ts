export default definePageConfig({ navigationBarTitleText: '进度查询' });
