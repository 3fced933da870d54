// A TV shows the whole screen: no navigation bar (nobody taps back on a wall display).
export default definePageConfig({ navigationBarTitleText: '叫号屏', navigationStyle: 'custom' });
