export default definePageConfig({ navigationBarTitleText: '申报与代办' });
