// Home's search hands its words to 办事 (a tab page, which switchTab cannot pass a query to).
import Taro from '@tarojs/taro';

const KEY = 'onewindow.catalogueQuery';

export function openCatalogue(query: { q?: string; audience?: 'personal' | 'legal'; theme?: string }): void {
  Taro.setStorageSync(KEY, query);
  void Taro.switchTab({ url: '/pages/catalogue/index' });
}

export function takeCatalogueQuery(): { q?: string; audience?: 'personal' | 'legal'; theme?: string } | null {
  const query = Taro.getStorageSync<{ q?: string } | ''>(KEY);
  if (!query) return null;
  Taro.removeStorageSync(KEY);
  return query;
}

/** Popular matters, by name (codes are the core system's; names are what people search for). */
export const HOT_ITEMS = [
  '居民身份证申领（首次、换领）',
  '社会保障卡申领',
  '城乡低保申请',
  '住房公积金提取（租房）',
  '残疾人证办理',
  '生育登记',
];

/** 个人/法人: themes that serve businesses; every other theme serves people. */
export const LEGAL_THEMES = ['开办企业', '准营许可', '医药', '餐饮'];
export const PERSONAL_THEMES = [
  '户籍身份',
  '社会保险',
  '医疗保障',
  '社会救助',
  '养老服务',
  '残疾人服务',
  '生育收养',
  '婚姻登记',
  '教育',
  '就业创业',
  '住房公积金',
  '不动产登记',
  '安居',
];
