export default definePageConfig({ navigationBarTitleText: '我收到的评价' });
