export default definePageConfig({ navigationBarTitleText: '好差评监管' });
