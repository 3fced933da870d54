// The fictional city of 云州市 and its service catalogue. Names, laws and materials follow
// the way real guides are written; districts, halls and codes are invented.
import type { Material, QueueCategory } from './model';

export const CITY = '云州市';

export const DISTRICTS = [
  { name: '青山区', code: '439901', streets: ['青山街道', '桃源街道', '望湖街道'], road: '青山大道' },
  { name: '临江区', code: '439902', streets: ['临江街道', '柳岸街道', '江北镇'], road: '滨江路' },
  { name: '云溪区', code: '439903', streets: ['云溪街道', '金桥街道', '白沙镇'], road: '云溪中路' },
] as const;

export const COMMUNITY_SUFFIXES = ['东社区', '西社区'] as const;
export const VILLAGE_SUFFIXES = ['村', '新村'] as const;

export const CATEGORIES: QueueCategory[] = [
  { code: 'SB', name: '社保医保', prefix: 'A' },
  { code: 'MZ', name: '民政残联', prefix: 'B' },
  { code: 'SC', name: '市场准入', prefix: 'C' },
  { code: 'BDC', name: '不动产登记', prefix: 'D' },
  { code: 'GJJ', name: '住房公积金', prefix: 'E' },
  { code: 'WJ', name: '卫健教育', prefix: 'F' },
  { code: 'ZH', name: '综合受理', prefix: 'G' },
];

/** Queue lines each level of hall runs (三级服务网: the lower the level, the fewer lines). */
export const CATEGORIES_BY_LEVEL = {
  district: ['SB', 'MZ', 'SC', 'BDC', 'GJJ', 'WJ', 'ZH'],
  street: ['SB', 'MZ', 'WJ', 'ZH'],
  community: ['SB', 'MZ', 'ZH'],
} as const;

export const DEPARTMENTS = [
  { code: 'WJJ', name: '卫生健康局', basis: '《中华人民共和国人口与计划生育法》' },
  { code: 'CLH', name: '残疾人联合会', basis: '《中华人民共和国残疾人保障法》' },
  { code: 'YBJ', name: '医疗保障局', basis: '《中华人民共和国社会保险法》' },
  { code: 'MZJ', name: '民政局', basis: '《社会救助暂行办法》' },
  { code: 'SJJ', name: '市场监督管理局', basis: '《中华人民共和国行政许可法》' },
  { code: 'ZRJ', name: '不动产登记中心', basis: '《不动产登记暂行条例》' },
  { code: 'GJJ', name: '住房公积金管理中心', basis: '《住房公积金管理条例》' },
  { code: 'JYJ', name: '教育局', basis: '《中华人民共和国义务教育法》' },
  { code: 'RSJ', name: '人力资源和社会保障局', basis: '《中华人民共和国社会保险法》' },
] as const;

export type DepartmentCode = (typeof DEPARTMENTS)[number]['code'];

/** Materials nearly every guide asks for; items add their own. */
const COMMON: Record<string, Omit<Material, 'code'>> = {
  id: { name: '申请人居民身份证', legalBasis: '《中华人民共和国居民身份证法》', format: '纸质/电子证照', copies: 1, original: 'original', required: true, sample: null, notes: '可通过电子证照库调取，调取成功的免于提交' },
  hukou: { name: '居民户口簿', legalBasis: '《中华人民共和国户口登记条例》', format: '纸质/电子证照', copies: 1, original: 'original', required: true, sample: null, notes: '户主页及本人页' },
  form: { name: '申请表', legalBasis: '', format: '纸质', copies: 1, original: 'original', required: true, sample: '申请表（样表）.pdf', notes: '用黑色签字笔填写，申请人签名处须本人签字' },
  photo: { name: '近期一寸免冠彩色照片', legalBasis: '', format: '纸质', copies: 2, original: 'original', required: true, sample: null, notes: '白色背景，6个月内拍摄' },
  agent: { name: '委托书及受托人身份证', legalBasis: '《中华人民共和国民法典》', format: '纸质', copies: 1, original: 'original', required: false, sample: '授权委托书（样表）.docx', notes: '委托他人代办时提交' },
  license: { name: '营业执照', legalBasis: '《中华人民共和国市场主体登记管理条例》', format: '纸质/电子证照', copies: 1, original: 'copy', required: true, sample: null, notes: '加盖公章' },
  premises: { name: '经营场所使用证明', legalBasis: '', format: '纸质', copies: 1, original: 'copy', required: true, sample: null, notes: '产权证明或租赁合同' },
  bank: { name: '本人银行卡（社保卡）', legalBasis: '', format: '纸质', copies: 1, original: 'copy', required: true, sample: null, notes: '用于发放补贴，须为申请人本人账户' },
  income: { name: '家庭收入及财产状况声明', legalBasis: '《社会救助暂行办法》', format: '纸质', copies: 1, original: 'original', required: true, sample: '家庭经济状况申报表（样表）.pdf', notes: '如实申报，并签署授权核对书' },
  marriage: { name: '结婚证', legalBasis: '《婚姻登记条例》', format: '纸质/电子证照', copies: 1, original: 'original', required: true, sample: null, notes: '' },
  birth: { name: '出生医学证明', legalBasis: '《中华人民共和国母婴保健法》', format: '纸质', copies: 1, original: 'original', required: true, sample: null, notes: '' },
  medical: { name: '二级以上医院诊断证明', legalBasis: '', format: '纸质', copies: 1, original: 'original', required: true, sample: null, notes: '6个月内出具' },
  property: { name: '不动产权证书', legalBasis: '《不动产登记暂行条例》', format: '纸质', copies: 1, original: 'original', required: true, sample: null, notes: '' },
  contract: { name: '不动产买卖合同', legalBasis: '《中华人民共和国民法典》', format: '纸质', copies: 1, original: 'original', required: true, sample: '存量房买卖合同（示范文本）.pdf', notes: '网签备案合同' },
  tax: { name: '完税凭证', legalBasis: '《中华人民共和国契税法》', format: '纸质/电子', copies: 1, original: 'copy', required: true, sample: null, notes: '可通过部门共享获取' },
  fund: { name: '住房公积金提取申请书', legalBasis: '《住房公积金管理条例》', format: '纸质', copies: 1, original: 'original', required: true, sample: '提取申请书（样表）.pdf', notes: '' },
  residence: { name: '居住证或房产证明', legalBasis: '《居住证暂行条例》', format: '纸质', copies: 1, original: 'copy', required: true, sample: null, notes: '' },
  food: { name: '食品安全管理制度文本', legalBasis: '《中华人民共和国食品安全法》', format: '纸质', copies: 1, original: 'original', required: true, sample: '食品安全管理制度（参考文本）.docx', notes: '' },
  layout: { name: '经营场所平面布局图和设备布局图', legalBasis: '《食品经营许可和备案管理办法》', format: '纸质', copies: 1, original: 'original', required: true, sample: '布局图示例.pdf', notes: '标明各功能区域' },
  device: { name: '医疗器械质量管理制度及人员资质证明', legalBasis: '《医疗器械监督管理条例》', format: '纸质', copies: 1, original: 'copy', required: true, sample: null, notes: '质量负责人学历或职称证明' },
  disability: { name: '残疾评定表', legalBasis: '《残疾人残疾分类和分级》（GB/T 26341-2010）', format: '纸质', copies: 1, original: 'original', required: true, sample: null, notes: '由指定评定机构出具' },
  school: { name: '适龄儿童预防接种证', legalBasis: '《中华人民共和国疫苗管理法》', format: '纸质', copies: 1, original: 'copy', required: true, sample: null, notes: '' },
  idform: { name: '居民身份证申领登记表', legalBasis: '《中华人民共和国居民身份证法》', format: '纸质', copies: 1, original: 'original', required: true, sample: '居民身份证申领登记表（样表）.pdf', notes: '可在大厅现场填写，也可下载样表提前填好' },
  employment: { name: '劳动合同或就业证明', legalBasis: '《中华人民共和国劳动合同法》', format: '纸质', copies: 1, original: 'copy', required: true, sample: null, notes: '' },
};

export interface ItemSpec {
  name: string;
  dept: DepartmentCode;
  category: string;
  themes: string[];
  keywords: string[];
  /** Legal basis beyond the department's main law. */
  law?: string;
  conditions: string[];
  materials: string[];
  /** 0 = 即办件 (decided on the spot). */
  promised: number;
  statutory: number;
  fee?: { amount: number; basis: string };
  /** Lowest level of hall that handles the item. */
  lowest: 'district' | 'street' | 'community';
  visits: 0 | 1;
}

export const ITEMS: ItemSpec[] = [
  { name: '生育登记', dept: 'WJJ', category: 'WJ', themes: ['生育收养'], keywords: ['生育', '一孩', '二孩', '三孩', '准生'], conditions: ['夫妻双方或一方户籍在本市', '符合法律法规规定生育子女'], materials: ['id', 'marriage', 'form'], promised: 0, statutory: 1, lowest: 'community', visits: 0 },
  { name: '出生医学证明补发', dept: 'WJJ', category: 'WJ', themes: ['生育收养'], keywords: ['出生证', '补发'], law: '《出生医学证明管理办法》', conditions: ['原证遗失且已登报声明'], materials: ['id', 'form', 'hukou'], promised: 10, statutory: 20, lowest: 'district', visits: 1 },
  { name: '计划生育家庭特别扶助金申请', dept: 'WJJ', category: 'WJ', themes: ['生育收养', '社会救助'], keywords: ['特扶', '失独', '扶助金'], conditions: ['女方年满49周岁', '独生子女死亡或伤残'], materials: ['id', 'hukou', 'form', 'bank'], promised: 20, statutory: 30, lowest: 'street', visits: 1 },
  { name: '母婴设施建设备案', dept: 'WJJ', category: 'WJ', themes: ['生育收养'], keywords: ['母婴室'], conditions: ['公共场所设置母婴室'], materials: ['license', 'layout'], promised: 5, statutory: 10, lowest: 'district', visits: 0 },
  { name: '残疾人证办理', dept: 'CLH', category: 'MZ', themes: ['残疾人服务'], keywords: ['残疾证', '残疾人证', '新办'], law: '《中华人民共和国残疾人证管理办法》', conditions: ['本市户籍', '经评定符合残疾标准'], materials: ['id', 'hukou', 'photo', 'disability', 'form'], promised: 15, statutory: 30, lowest: 'street', visits: 1 },
  { name: '残疾人证换领', dept: 'CLH', category: 'MZ', themes: ['残疾人服务'], keywords: ['残疾证', '换证', '到期'], conditions: ['残疾人证有效期届满或等级变化'], materials: ['id', 'photo', 'form'], promised: 10, statutory: 20, lowest: 'community', visits: 0 },
  { name: '困难残疾人生活补贴申请', dept: 'CLH', category: 'MZ', themes: ['残疾人服务', '社会救助'], keywords: ['两项补贴', '生活补贴'], law: '《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》', conditions: ['持有第二代残疾人证', '属于低保家庭'], materials: ['id', 'form', 'bank'], promised: 15, statutory: 30, lowest: 'community', visits: 0 },
  { name: '重度残疾人护理补贴申请', dept: 'CLH', category: 'MZ', themes: ['残疾人服务'], keywords: ['两项补贴', '护理补贴'], conditions: ['残疾等级为一级、二级'], materials: ['id', 'form', 'bank'], promised: 15, statutory: 30, lowest: 'community', visits: 0 },
  { name: '城乡居民医保参保登记', dept: 'YBJ', category: 'SB', themes: ['医疗保障'], keywords: ['医保', '居民医保', '参保'], conditions: ['未参加职工医保的城乡居民'], materials: ['id', 'hukou'], promised: 0, statutory: 1, lowest: 'community', visits: 0 },
  { name: '医保关系转移接续', dept: 'YBJ', category: 'SB', themes: ['医疗保障'], keywords: ['医保转移', '转入', '转出'], law: '《基本医疗保障关系转移接续暂行办法》', conditions: ['跨统筹区域就业或居住'], materials: ['id', 'form'], promised: 10, statutory: 15, lowest: 'street', visits: 0 },
  { name: '异地就医备案', dept: 'YBJ', category: 'SB', themes: ['医疗保障'], keywords: ['异地就医', '备案', '转诊'], conditions: ['已参加本市基本医保'], materials: ['id', 'form'], promised: 0, statutory: 1, lowest: 'community', visits: 0 },
  { name: '门诊慢特病待遇认定', dept: 'YBJ', category: 'SB', themes: ['医疗保障'], keywords: ['慢特病', '门特', '慢性病'], conditions: ['患有规定病种'], materials: ['id', 'medical', 'form'], promised: 15, statutory: 20, lowest: 'street', visits: 1 },
  { name: '医疗费用手工报销', dept: 'YBJ', category: 'SB', themes: ['医疗保障'], keywords: ['报销', '零星报销'], conditions: ['因故未能直接结算的医疗费用'], materials: ['id', 'medical', 'bank', 'form'], promised: 20, statutory: 30, lowest: 'street', visits: 1 },
  { name: '城乡低保申请', dept: 'MZJ', category: 'MZ', themes: ['社会救助'], keywords: ['低保', '最低生活保障'], conditions: ['家庭人均收入低于当地低保标准', '财产状况符合规定'], materials: ['id', 'hukou', 'income', 'form', 'bank'], promised: 30, statutory: 30, lowest: 'community', visits: 1 },
  { name: '特困人员救助供养申请', dept: 'MZJ', category: 'MZ', themes: ['社会救助', '养老服务'], keywords: ['特困', '五保'], conditions: ['无劳动能力、无生活来源、无法定赡养抚养扶养义务人'], materials: ['id', 'hukou', 'income', 'form'], promised: 30, statutory: 40, lowest: 'community', visits: 1 },
  { name: '临时救助申请', dept: 'MZJ', category: 'MZ', themes: ['社会救助'], keywords: ['临时救助', '急难'], conditions: ['因意外事件导致基本生活暂时出现严重困难'], materials: ['id', 'form', 'income'], promised: 10, statutory: 15, lowest: 'community', visits: 0 },
  { name: '敬老优待证办理', dept: 'MZJ', category: 'MZ', themes: ['养老服务'], keywords: ['老年证', '敬老卡', '优待证'], law: '《中华人民共和国老年人权益保障法》', conditions: ['年满60周岁的本市户籍或常住老年人'], materials: ['id', 'photo'], promised: 0, statutory: 1, lowest: 'community', visits: 0 },
  { name: '高龄津贴申领', dept: 'MZJ', category: 'MZ', themes: ['养老服务'], keywords: ['高龄补贴', '长寿金', '80岁'], law: '《中华人民共和国老年人权益保障法》', conditions: ['年满80周岁的本市户籍老年人'], materials: ['id', 'hukou', 'bank'], promised: 10, statutory: 20, lowest: 'community', visits: 0 },
  { name: '居家养老服务补贴申请', dept: 'MZJ', category: 'MZ', themes: ['养老服务'], keywords: ['居家养老', '助餐', '补贴'], conditions: ['经评估失能或半失能的老年人'], materials: ['id', 'form', 'medical'], promised: 15, statutory: 20, lowest: 'street', visits: 0 },
  { name: '婚姻登记预约', dept: 'MZJ', category: 'ZH', themes: ['婚姻登记'], keywords: ['结婚', '领证', '婚姻'], law: '《婚姻登记条例》', conditions: ['男女双方亲自到场', '符合法定婚龄'], materials: ['id', 'hukou', 'photo'], promised: 0, statutory: 1, lowest: 'district', visits: 1 },
  { name: '个体工商户登记', dept: 'SJJ', category: 'SC', themes: ['开办企业'], keywords: ['个体户', '营业执照', '开店'], law: '《促进个体工商户发展条例》', conditions: ['有经营能力的自然人', '有固定经营场所'], materials: ['id', 'premises', 'form'], promised: 1, statutory: 15, lowest: 'street', visits: 0 },
  { name: '企业设立登记', dept: 'SJJ', category: 'SC', themes: ['开办企业'], keywords: ['公司注册', '开办企业', '营业执照'], law: '《中华人民共和国公司法》', conditions: ['有符合章程规定的股东', '有公司名称和住所'], materials: ['id', 'premises', 'form', 'agent'], promised: 1, statutory: 15, lowest: 'district', visits: 0 },
  { name: '企业变更登记', dept: 'SJJ', category: 'SC', themes: ['开办企业'], keywords: ['变更', '法人变更', '地址变更'], conditions: ['登记事项发生变化'], materials: ['license', 'form'], promised: 3, statutory: 15, lowest: 'district', visits: 0 },
  { name: '食品经营许可', dept: 'SJJ', category: 'SC', themes: ['准营许可', '餐饮'], keywords: ['食品经营许可证', '餐饮', '食品'], law: '《食品经营许可和备案管理办法》', conditions: ['具有与经营的食品品种、数量相适应的场所', '有食品安全管理人员和管理制度'], materials: ['license', 'id', 'food', 'layout', 'form'], promised: 10, statutory: 20, lowest: 'district', visits: 1 },
  { name: '食品小作坊登记', dept: 'SJJ', category: 'SC', themes: ['准营许可', '餐饮'], keywords: ['小作坊', '食品'], conditions: ['有固定生产场所'], materials: ['license', 'id', 'layout'], promised: 10, statutory: 20, lowest: 'district', visits: 1 },
  { name: '第二类医疗器械经营备案', dept: 'SJJ', category: 'SC', themes: ['准营许可', '医药'], keywords: ['医疗器械', '二类备案'], law: '《医疗器械监督管理条例》', conditions: ['有与经营规模相适应的经营场所和贮存条件'], materials: ['license', 'device', 'premises'], promised: 0, statutory: 1, lowest: 'district', visits: 0 },
  { name: '第三类医疗器械经营许可', dept: 'SJJ', category: 'SC', themes: ['准营许可', '医药'], keywords: ['医疗器械', '三类许可'], law: '《医疗器械经营监督管理办法》', conditions: ['有与经营范围相适应的质量管理机构或人员'], materials: ['license', 'device', 'premises', 'layout', 'form'], promised: 15, statutory: 20, lowest: 'district', visits: 1 },
  { name: '药品零售企业许可', dept: 'SJJ', category: 'SC', themes: ['准营许可', '医药'], keywords: ['药店', '药品经营许可证'], law: '《中华人民共和国药品管理法》', conditions: ['有依法经过资格认定的药师'], materials: ['license', 'premises', 'layout', 'device', 'form'], promised: 15, statutory: 30, lowest: 'district', visits: 1 },
  { name: '不动产转移登记（存量房买卖）', dept: 'ZRJ', category: 'BDC', themes: ['不动产登记', '安居'], keywords: ['过户', '二手房', '转移登记'], conditions: ['买卖双方到场或委托', '已完税'], materials: ['id', 'property', 'contract', 'tax', 'form'], promised: 3, statutory: 30, fee: { amount: 80, basis: '《关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）' }, lowest: 'district', visits: 1 },
  { name: '不动产首次登记（新建商品房）', dept: 'ZRJ', category: 'BDC', themes: ['不动产登记', '安居'], keywords: ['新房', '办证', '首次登记'], conditions: ['房屋已竣工验收并交付'], materials: ['id', 'contract', 'tax', 'form'], promised: 5, statutory: 30, fee: { amount: 80, basis: '《关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）' }, lowest: 'district', visits: 1 },
  { name: '不动产抵押登记', dept: 'ZRJ', category: 'BDC', themes: ['不动产登记'], keywords: ['抵押', '按揭', '贷款'], conditions: ['抵押合同已签订'], materials: ['id', 'property', 'form'], promised: 3, statutory: 30, fee: { amount: 80, basis: '《关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）' }, lowest: 'district', visits: 1 },
  { name: '不动产登记资料查询', dept: 'ZRJ', category: 'BDC', themes: ['不动产登记'], keywords: ['房产查询', '产权查询', '无房证明'], law: '《不动产登记资料查询暂行办法》', conditions: ['权利人或利害关系人'], materials: ['id'], promised: 0, statutory: 1, lowest: 'street', visits: 0 },
  { name: '住房公积金提取（购房）', dept: 'GJJ', category: 'GJJ', themes: ['住房公积金', '安居'], keywords: ['公积金', '提取', '买房'], conditions: ['购买自住住房', '连续足额缴存3个月以上'], materials: ['id', 'contract', 'fund', 'bank'], promised: 3, statutory: 3, lowest: 'district', visits: 0 },
  { name: '住房公积金提取（租房）', dept: 'GJJ', category: 'GJJ', themes: ['住房公积金', '安居'], keywords: ['公积金', '提取', '租房'], conditions: ['本人及配偶在本市无自有住房'], materials: ['id', 'fund', 'bank'], promised: 0, statutory: 3, lowest: 'street', visits: 0 },
  { name: '住房公积金提取（离职销户）', dept: 'GJJ', category: 'GJJ', themes: ['住房公积金'], keywords: ['公积金', '销户', '离职'], conditions: ['与单位终止劳动关系满半年'], materials: ['id', 'fund', 'bank', 'employment'], promised: 3, statutory: 3, lowest: 'district', visits: 1 },
  { name: '住房公积金贷款申请', dept: 'GJJ', category: 'GJJ', themes: ['住房公积金', '安居'], keywords: ['公积金贷款', '组合贷'], conditions: ['连续足额缴存6个月以上', '购买本市自住住房'], materials: ['id', 'marriage', 'contract', 'income', 'form'], promised: 10, statutory: 15, lowest: 'district', visits: 1 },
  { name: '新生儿入学登记（小学一年级）', dept: 'JYJ', category: 'WJ', themes: ['教育'], keywords: ['入学', '小学', '学位', '新生儿入学'], conditions: ['年满6周岁的适龄儿童', '户籍或居住在学区内'], materials: ['hukou', 'birth', 'residence', 'school'], promised: 15, statutory: 20, lowest: 'street', visits: 0 },
  { name: '随迁子女入学申请', dept: 'JYJ', category: 'WJ', themes: ['教育'], keywords: ['随迁子女', '外来务工', '入学'], conditions: ['父母一方持本市居住证满1年'], materials: ['id', 'residence', 'birth', 'employment', 'school'], promised: 15, statutory: 20, lowest: 'street', visits: 1 },
  { name: '学生资助申请', dept: 'JYJ', category: 'WJ', themes: ['教育', '社会救助'], keywords: ['助学金', '资助'], conditions: ['家庭经济困难学生'], materials: ['id', 'income', 'form'], promised: 10, statutory: 20, lowest: 'street', visits: 0 },
  { name: '城乡居民养老保险参保登记', dept: 'RSJ', category: 'SB', themes: ['社会保险', '养老服务'], keywords: ['养老保险', '居民养老', '参保'], conditions: ['年满16周岁、不在校的非职工人员'], materials: ['id', 'hukou'], promised: 0, statutory: 1, lowest: 'community', visits: 0 },
  { name: '城乡居民养老保险待遇申领', dept: 'RSJ', category: 'SB', themes: ['社会保险', '养老服务'], keywords: ['养老金', '领取'], conditions: ['年满60周岁且累计缴费满15年'], materials: ['id', 'hukou', 'bank'], promised: 10, statutory: 20, lowest: 'street', visits: 0 },
  { name: '社会保障卡申领', dept: 'RSJ', category: 'SB', themes: ['社会保险'], keywords: ['社保卡', '新办', '补卡'], conditions: ['已参加社会保险'], materials: ['id', 'photo'], promised: 0, statutory: 1, lowest: 'community', visits: 1 },
  { name: '失业保险金申领', dept: 'RSJ', category: 'SB', themes: ['社会保险', '就业创业'], keywords: ['失业金', '失业'], law: '《失业保险条例》', conditions: ['非因本人意愿中断就业', '已办理失业登记'], materials: ['id', 'employment', 'bank'], promised: 5, statutory: 10, lowest: 'street', visits: 0 },
  { name: '就业创业证申领', dept: 'RSJ', category: 'SB', themes: ['就业创业'], keywords: ['就业证', '创业证', '失业登记'], law: '《就业服务与就业管理规定》', conditions: ['法定劳动年龄内'], materials: ['id', 'photo'], promised: 0, statutory: 1, lowest: 'community', visits: 0 },
];

/**
 * Identity-card items of the public security bureau. They were added after the first seed and
 * are appended after every random draw (see seedWorld), so they leave the rest of the seeded
 * world — cases, staff, citizens — exactly as it was.
 */
export const LATE_DEPARTMENTS = [{ code: 'GAJ', name: '公安局', basis: '《中华人民共和国居民身份证法》' }] as const;

export const LATE_ITEMS: (Omit<ItemSpec, 'dept'> & { dept: (typeof LATE_DEPARTMENTS)[number]['code'] })[] = [
  { name: '居民身份证申领（首次、换领）', dept: 'GAJ', category: 'ZH', themes: ['户籍身份'], keywords: ['身份证', '居民身份证', '换证', '到期换领', '办身份证'], conditions: ['本市户籍居民', '年满16周岁应当申领，未满16周岁可以申领'], materials: ['hukou', 'photo', 'idform'], promised: 20, statutory: 60, fee: { amount: 20, basis: '《居民身份证工本费标准》' }, lowest: 'street', visits: 1 },
  { name: '居民身份证补领', dept: 'GAJ', category: 'ZH', themes: ['户籍身份'], keywords: ['身份证', '居民身份证', '丢失', '补办身份证'], conditions: ['居民身份证丢失或损坏'], materials: ['hukou', 'idform'], promised: 20, statutory: 60, fee: { amount: 40, basis: '《居民身份证工本费标准》' }, lowest: 'street', visits: 1 },
  { name: '临时居民身份证办理', dept: 'GAJ', category: 'ZH', themes: ['户籍身份'], keywords: ['身份证', '临时身份证', '临时证'], conditions: ['正在申领、换领或补领居民身份证期间急需使用'], materials: ['hukou', 'photo', 'idform'], promised: 0, statutory: 3, fee: { amount: 10, basis: '《临时居民身份证工本费标准》' }, lowest: 'district', visits: 1 },
];

export function commonMaterial(key: string): Omit<Material, 'code'> {
  const material = COMMON[key];
  if (!material) throw new Error(`unknown material ${key}`);
  return material;
}

export const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
export const GIVEN_NAMES = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞', '平', '刚', '桂英', '建华', '文', '华', '红', '玉兰', '志强', '海燕', '晓东', '雪梅', '子涵', '浩然', '欣怡', '宇轩', '思远', '佳怡', '俊杰', '婷婷'];

export const REJECT_REASONS = ['所附照片不清晰，无法辨认', '材料未加盖公章', '签名与身份证姓名不一致', '证明已超过有效期', '缺少第二页', '填写内容与系统信息不符'];
