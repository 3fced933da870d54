export default defineAppConfig({
  // The main package holds only the first screens; every feature lives in its own subpackage.
  pages: [
    'pages/home/index',
    'pages/catalogue/index',
    'pages/me/index',
    'pages/item/index',
    'pages/messages/index',
    'pages/halls/index',
  ],
  subPackages: [
    {
      root: 'packages/staff',
      pages: [
        'login/index',
        'window/index',
        'supervisor/index',
        'tasks/index',
        'task/index',
        'material/index',
        'me/index',
        'messages/index',
        'audit/index',
        'figures/index',
        'reconciliation/index',
        'ratings/index',
        'assist/index',
      ],
    },
    { root: 'packages/progress', pages: ['lookup/index', 'mine/index', 'case/index', 'correction/index'] },
    { root: 'packages/queue', pages: ['take/index', 'ticket/index', 'display/index'] },
    { root: 'packages/rating', pages: ['rate/index', 'mine/index'] },
    { root: 'packages/application', pages: ['apply/index', 'precheck/index', 'mine/index'] },
    {
      root: 'packages/booking',
      pages: ['hall/index', 'slots/index', 'confirm/index', 'detail/index', 'mine/index'],
    },
  ],
  // Booking and queue numbers are the first taps from home: fetch them while home is read.
  preloadRule: { 'pages/home/index': { network: 'all', packages: ['packages/booking', 'packages/queue'] } },
  lazyCodeLoading: 'requiredComponents',
  style: 'v2',
  // getLocation needs a stated purpose (nearest halls); the citizen can refuse and choose by name.
  permission: { 'scope.userLocation': { desc: '用于查找离您最近的政务服务大厅' } },
  requiredPrivateInfos: ['getLocation'],
  // navigationStyle 'default' (WeChat's own default) also turns on Taro's h5 navigation bar: title and back.
  window: {
    navigationBarTitleText: '一窗通办',
    navigationBarBackgroundColor: '#1d4ed8',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f5f6f8',
    navigationStyle: 'default',
  },
  tabBar: {
    color: '#4b5563',
    selectedColor: '#1d4ed8',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      {
        pagePath: 'pages/home/index',
        text: '首页',
        iconPath: 'assets/tab/home.png',
        selectedIconPath: 'assets/tab/home-active.png',
      },
      {
        pagePath: 'pages/catalogue/index',
        text: '办事',
        iconPath: 'assets/tab/catalogue.png',
        selectedIconPath: 'assets/tab/catalogue-active.png',
      },
      {
        pagePath: 'pages/me/index',
        text: '我的',
        iconPath: 'assets/tab/me.png',
        selectedIconPath: 'assets/tab/me-active.png',
      },
    ],
  },
});
