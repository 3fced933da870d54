export default definePageConfig({ navigationBarTitleText: '远程取号' });
