export default defineAppConfig({
  pages: ['pages/home/index', 'pages/catalogue/index', 'pages/me/index'],
  window: { navigationBarTitleText: '一窗通办', navigationBarBackgroundColor: '#1d4ed8', navigationBarTextStyle: 'white', backgroundColor: '#f5f6f8' },
  tabBar: {
    color: '#555555',
    selectedColor: '#1d4ed8',
    backgroundColor: '#ffffff',
    list: [
      { pagePath: 'pages/home/index', text: '首页' },
      { pagePath: 'pages/catalogue/index', text: '办事' },
      { pagePath: 'pages/me/index', text: '我的' },
    ],
  },
});
