export default defineAppConfig({
  // The main package holds only the first screens; every feature lives in its own subpackage.
  pages: ['pages/home/index', 'pages/catalogue/index', 'pages/me/index', 'pages/item/index', 'pages/messages/index'],
  subPackages: [
    { root: 'packages/staff', pages: ['login/index', 'window/index', 'supervisor/index', 'tasks/index', 'task/index', 'material/index'] },
    { root: 'packages/progress', pages: ['lookup/index', 'mine/index', 'case/index', 'correction/index'] },
    { root: 'packages/queue', pages: ['take/index', 'ticket/index', 'display/index'] },
    { root: 'packages/rating', pages: ['rate/index', 'mine/index'] },
    { root: 'packages/booking', pages: ['hall/index', 'slots/index', 'confirm/index', 'detail/index', 'mine/index'] },
  ],
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
