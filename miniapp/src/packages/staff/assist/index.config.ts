export default definePageConfig({ navigationBarTitleText: '帮办申报' });
