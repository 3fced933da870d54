export default definePageConfig({ navigationBarTitleText: '省好差评对账' });
