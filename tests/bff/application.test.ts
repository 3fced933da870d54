// Online application (在线申报) against the core simulator's forms and e-licence library, real
// PostObject uploads to the OSS simulator and the offline database: prefill, field-by-field
// rules, the three ways a material is satisfied, one case per draft however it is submitted,
// lost answers settled by the retry and by the sweep, ownership and expiry.
import { readFileSync } from 'node:fs';
import { ObjectId } from 'mongodb';
import { join } from 'node:path';
import { startTestBff, type TestBff } from '../support/bff';
import { coreAdmin, coreCaller } from '../support/core-client';
import { ossClient } from '../support/oss';
import { bearer, boundCitizens, signIn, type ApiCall, type Citizen, injectCaller } from '../support/citizens';
import { scaled } from '../support/time-scale';
import { MovableClock } from '../support/clock';
import { until } from '../support/until';

const PNG = readFileSync(join(__dirname, '..', 'fixtures', 'id-card.png'));
const DAY_MS = 86_400_000;

let bff: TestBff;
const clock = new MovableClock();
let admin: ReturnType<typeof coreAdmin>;
let core: ReturnType<typeof coreCaller>;
const call: ApiCall = (...args) => injectCaller(bff.app)(...args);

interface CoreItem {
  code: string;
  name: string;
  visits: number;
  promisedDays: number;
  category: string;
  materials: { code: string; name: string; required: boolean }[];
}
let items: CoreItem[];

/** An online (零跑腿) item of the category whose materials are exactly these names, in order. */
function itemWith(names: string[], category?: string): CoreItem {
  const item = items.find(
    (i) =>
      i.visits === 0 &&
      i.promisedDays > 0 &&
      (!category || i.category === category) &&
      i.materials.map((m) => m.name).join('|') === names.join('|'),
  );
  if (!item) throw new Error(`no online item with ${names.join('、')}`);
  return item;
}
const ID = '申请人居民身份证';
const FORM = '申请表';
const BANK = '本人银行卡（社保卡）';

beforeAll(async () => {
  bff = await startTestBff(
    'application',
    {
      RATE_LIMIT_PER_MINUTE: '100000',
      RATE_LIMIT_SENSITIVE_PER_MINUTE: '10000',
      APPLICATION_SWEEP_MS: '200',
    },
    { now: clock.now },
  );
  admin = coreAdmin(bff.world.core);
  core = coreCaller(bff.world.core);
  items = (await core<{ items: CoreItem[] }>('GET', '/api/items')).body.items;
}, scaled(60_000));
afterAll(() => bff.stop());
afterEach(async () => {
  clock.reset();
  await admin('DELETE', '/__admin/faults');
});

async function citizen(): Promise<{ who: Citizen; auth: Record<string, string> }> {
  const [who] = await boundCitizens(call, bff.world, 1);
  return { who, auth: bearer(who.token) };
}

const start = (auth: Record<string, string>, itemCode: string) =>
  call('POST', '/api/v1/applications/drafts', { itemCode }, auth);
const save = (auth: Record<string, string>, id: string, values: Record<string, unknown>) =>
  call('PUT', `/api/v1/applications/drafts/${id}/values`, { values }, auth);
const choose = (auth: Record<string, string>, id: string, materialCode: string, body: unknown) =>
  call('PUT', `/api/v1/applications/drafts/${id}/materials/${materialCode}`, body, auth);
const submit = (auth: Record<string, string>, id: string) =>
  call('POST', `/api/v1/applications/drafts/${id}/submit`, undefined, auth);
const licencesOf = (auth: Record<string, string>, id: string, materialCode: string) =>
  call('GET', `/api/v1/applications/drafts/${id}/materials/${materialCode}/licences`, undefined, auth);

async function upload(auth: Record<string, string>, draftId: string, materialCode: string): Promise<string> {
  const policy = await call(
    'POST',
    '/api/v1/applications/uploads/policy',
    { draftId, materialCode, fileName: '身份证.png', contentType: 'image/png', size: PNG.length },
    auth,
  );
  expect(policy.status).toBe(200);
  const form = new FormData();
  for (const [k, v] of Object.entries(policy.body.formData as Record<string, string>)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'id.png');
  expect((await fetch(`${policy.body.host}/`, { method: 'POST', body: form })).status).toBe(201);
  return policy.body.key;
}

async function casesOf(idNumber: string): Promise<
  {
    acceptNo: string;
    status: string;
    itemCode: string;
    materials: { code: string; key: string; source?: string; licenceNo?: string }[];
  }[]
> {
  return (await core('POST', '/api/cases/search', { idNumber })).body.cases;
}

/** A draft of the ID-card-and-form item with the form filled and both materials chosen: the ID card from the library, the form by commitment. */
async function readyDraft(auth: Record<string, string>) {
  const item = itemWith([ID, FORM], 'SB');
  const draft = (await start(auth, item.code)).body;
  expect(
    (await save(auth, draft.id, { address: '云州市青山区青山大道1号', residentType: '城镇' })).status,
  ).toBe(200);
  const [idMaterial, formMaterial] = item.materials.map((m) => m.code);
  const licence = (await licencesOf(auth, draft.id, idMaterial)).body.licences.find(
    (l: { valid: boolean }) => l.valid,
  );
  expect(
    (await choose(auth, draft.id, idMaterial, { via: 'licence', licenceNo: licence.licenceNo })).status,
  ).toBe(200);
  const chosen = await choose(auth, draft.id, formMaterial, { via: 'commitment', agree: true });
  expect([chosen.body.problems, chosen.body.missingMaterials]).toEqual([[], []]);
  return { item, draft: chosen.body, licence };
}

describe('the draft', () => {
  test('prefilled from real-name facts, kept server-side and resumed on another phone', async () => {
    const { who, auth } = await citizen();
    const item = itemWith([ID, FORM], 'SB');
    const started = await start(auth, item.code);
    expect(started.status).toBe(200);
    const field = (name: string) => started.body.fields.find((f: { name: string }) => f.name === name);
    expect(field('applicantName')).toEqual(expect.objectContaining({ value: who.name, locked: true }));
    expect(field('idNumber')).toEqual(
      expect.objectContaining({
        value: `${who.idNumber.slice(0, 3)}***********${who.idNumber.slice(-4)}`,
        locked: true,
      }),
    );
    expect(field('phone').value).toMatch(/^1\d{10}$/);
    expect(field('residentType')).toEqual(
      expect.objectContaining({ type: 'select', options: ['城镇', '农村'], value: '' }),
    );
    expect(started.body.problems.map((p: { field: string; code: string }) => `${p.field}:${p.code}`)).toEqual(
      ['address:FIELD_REQUIRED', 'residentType:FIELD_REQUIRED'],
    );
    expect(started.body.missingMaterials).toEqual(item.materials.map((m) => m.code));
    expect(Date.parse(started.body.expiresAt) - Date.now()).toBeGreaterThan(29 * DAY_MS);
    // The identity number is never stored in the draft.
    expect(
      JSON.stringify(await bff.app.db.collection('application_drafts').findOne({}, { sort: { _id: -1 } })),
    ).not.toContain(who.idNumber);
    expect((await save(auth, started.body.id, { address: '云州市临江区滨江路8号' })).status).toBe(200);

    // Another phone, the same WeChat account: the same draft, with what was typed.
    const other = await signIn(call, bff.world, who.openid);
    const resumed = await start(bearer(other.token), item.code);
    expect([
      resumed.body.id,
      resumed.body.fields.find((f: { name: string }) => f.name === 'address').value,
    ]).toEqual([started.body.id, '云州市临江区滨江路8号']);
    const mine = await call('GET', '/api/v1/applications', undefined, bearer(other.token));
    expect(mine.body.applications).toEqual([
      expect.objectContaining({ id: started.body.id, itemName: item.name, state: 'draft', acceptNo: null }),
    ]);

    const notOnline = items.find((i) => i.visits === 1)!;
    const refused = await start(auth, notOnline.code);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'APPLICATION_NOT_ONLINE']);
    const unbound = await signIn(call, bff.world);
    expect((await start(bearer(unbound.token), item.code)).body.error.code).toBe('REALNAME_REQUIRED');
  });

  test('every field rule has its own code and Chinese message; all problems are told at once', async () => {
    const { auth } = await citizen();
    const subsidy = (await start(auth, itemWith([ID, FORM, BANK], 'MZ').code)).body;
    const problems = async (id: string, values: Record<string, string>) => {
      const saved = await save(auth, id, values);
      expect(saved.status).toBe(200);
      return Object.fromEntries(
        saved.body.problems.map((p: { field: string; code: string; message: string }) => [
          p.field,
          [p.code, p.message],
        ]),
      );
    };
    expect(
      await problems(subsidy.id, {
        address: '青山',
        phone: '12345',
        householdSize: 'three',
        bankAccount: '6222-0000',
        remark: '字'.repeat(501),
      }),
    ).toEqual({
      address: ['FIELD_TOO_SHORT', '联系地址至少5个字'],
      phone: ['FIELD_PHONE', '联系电话应为11位手机号码'],
      householdSize: ['FIELD_NOT_NUMBER', '家庭人口数应填写数字'],
      bankAccount: ['FIELD_PATTERN', '请填写12至19位数字的银行账号'],
      remark: ['FIELD_TOO_LONG', '申请事由不能超过500个字'],
    });
    expect(
      await problems(subsidy.id, {
        address: '地'.repeat(121),
        householdSize: '21',
        phone: '',
        bankAccount: '6222000011112222',
        remark: '',
      }),
    ).toEqual({
      address: ['FIELD_TOO_LONG', '联系地址不能超过120个字'],
      householdSize: ['FIELD_OUT_OF_RANGE', '家庭人口数应在1到20之间'],
      phone: ['FIELD_REQUIRED', '请填写联系电话'],
    });
    const tooEarly = await submit(auth, subsidy.id);
    expect([
      tooEarly.status,
      tooEarly.body.error.code,
      tooEarly.body.error.details.problems.map((p: { field: string }) => p.field),
    ]).toEqual([400, 'APPLICATION_FORM_INVALID', ['phone', 'address', 'householdSize']]);

    const select = (await start(auth, itemWith([ID, FORM], 'SB').code)).body;
    expect((await problems(select.id, { residentType: '火星' })).residentType).toEqual([
      'FIELD_NOT_OPTION',
      '请从列出的选项中选择户籍类别',
    ]);
    const birth = items.find((i) => i.visits === 0 && i.materials.some((m) => m.name === '结婚证'))!;
    const dated = (await start(auth, birth.code)).body;
    expect((await problems(dated.id, { marriageDate: '2026-02-30' })).marriageDate).toEqual([
      'FIELD_DATE',
      '结婚登记日期应为有效日期（如 2026-01-31）',
    ]);
    expect((await problems(dated.id, { marriageDate: '2099-01-01' })).marriageDate).toEqual([
      'FIELD_DATE',
      '结婚登记日期不能晚于今天',
    ]);
    expect((await problems(dated.id, { marriageDate: '2020-05-20' })).marriageDate).toBeUndefined();

    // Fields the form does not have, or that come from the real-name binding, are refused and nothing is saved.
    for (const [values, code] of [
      [{ nickname: 'x' }, 'FIELD_UNKNOWN'],
      [{ idNumber: '110101199003070000' }, 'FIELD_LOCKED'],
      [{ applicantName: '别人' }, 'FIELD_LOCKED'],
    ] as const) {
      const refused = await save(auth, select.id, values);
      expect([refused.status, refused.body.error.code, refused.body.error.details.problems[0].code]).toEqual([
        400,
        'APPLICATION_FORM_INVALID',
        code,
      ]);
    }
    // MongoDB operators and paths in form values never reach the database.
    const before = await bff.app.db
      .collection('application_drafts')
      .findOne({ _id: new ObjectId(select.id) });
    for (const values of [
      { address: { $gt: '' } },
      { $where: 'sleep(1000)' },
      { 'values.address': 'x' },
      { address: ['a'] },
    ]) {
      const refused = await save(auth, select.id, values);
      expect([refused.status, refused.body.error.code]).toEqual([400, 'INVALID_INPUT']);
    }
    expect(await bff.app.db.collection('application_drafts').findOne({ _id: before!._id })).toEqual(before);
  });
});

describe('materials', () => {
  test('an e-licence from the library satisfies a material, is shown with issuer and validity, and is never uploaded', async () => {
    const { who, auth } = await citizen();
    const { item, draft, licence } = await readyDraft(auth);
    expect(licence).toEqual({
      licenceNo: expect.stringMatching(/^DZZZ/),
      type: 'id_card',
      name: '居民身份证',
      number: `${who.idNumber.slice(0, 3)}***********${who.idNumber.slice(-4)}`,
      issuer: '云州市公安局',
      validFrom: expect.any(String),
      validUntil: expect.any(String),
      valid: true,
    });
    expect(draft.materials[0].chosen).toEqual({ via: 'licence', licence });
    expect(await bff.app.db.collection('application_uploads').countDocuments({ draftId: draft.id })).toBe(0);
    // Every query of the library is logged with its purpose.
    const { queries } = await admin<{ queries: { purpose: string; type: string }[] }>(
      'GET',
      `/__admin/licence-queries?holderIdNumber=${who.idNumber}`,
    );
    expect(queries.at(-1)).toEqual(
      expect.objectContaining({ type: 'id_card', purpose: `在线申报：${item.name}（${item.code}）` }),
    );

    const submitted = await submit(auth, draft.id);
    expect([submitted.status, submitted.body.state, submitted.body.acceptNo]).toEqual([
      200,
      'submitted',
      expect.any(String),
    ]);
    const [kase] = await casesOf(who.idNumber);
    expect(kase.status).toBe('prechecking');
    expect(kase.materials).toEqual([
      expect.objectContaining({
        code: item.materials[0].code,
        source: 'licence',
        licenceNo: licence.licenceNo,
        key: `licences/${licence.licenceNo}.pdf`,
      }),
      expect.objectContaining({ code: item.materials[1].code, source: 'commitment' }),
    ]);
    const progress = await call('GET', `/api/v1/cases/${submitted.body.acceptNo}`, undefined, auth);
    expect([progress.status, progress.body.status, progress.body.statusLabel]).toEqual([
      200,
      'prechecking',
      '预审中',
    ]);
  });

  test("another person's licence, an expired licence, a material not asked for and a commitment not allowed are refused", async () => {
    const { who, auth } = await citizen();
    const { who: other } = await citizen();
    const item = itemWith([ID, FORM], 'SB');
    const draft = (await start(auth, item.code)).body;
    const [idMaterial, formMaterial] = item.materials.map((m) => m.code);
    const theirs = (
      await core('POST', '/api/licences/query', {
        holderIdNumber: other.idNumber,
        type: 'id_card',
        purpose: 'test',
        requester: 'test',
      })
    ).body.licences[0];
    const { licence: expired } = await admin<{ licence: { licenceNo: string } }>(
      'POST',
      '/__admin/licences',
      { holderIdNumber: who.idNumber, type: 'id_card', validFrom: '2005-01-01', validUntil: '2025-01-01' },
    );
    const listed = (await licencesOf(auth, draft.id, idMaterial)).body.licences;
    expect(listed.map((l: { valid: boolean }) => l.valid).sort()).toEqual([false, true]);
    const refusals: [string, unknown, number, string][] = [
      [idMaterial, { via: 'licence', licenceNo: theirs.licenceNo }, 404, 'LICENCE_NOT_HELD'],
      [idMaterial, { via: 'licence', licenceNo: expired.licenceNo }, 400, 'LICENCE_EXPIRED'],
      [`${item.code}-M99`, { via: 'commitment', agree: true }, 400, 'APPLICATION_MATERIAL_UNKNOWN'],
      [idMaterial, { via: 'commitment', agree: true }, 400, 'COMMITMENT_NOT_ALLOWED'],
      [formMaterial, { via: 'licence', licenceNo: theirs.licenceNo }, 400, 'LICENCE_NOT_AVAILABLE'],
      [
        idMaterial,
        { via: 'upload', key: `applications/${draft.id}/${formMaterial}/x.png` },
        400,
        'UPLOAD_KEY_INVALID',
      ],
      [idMaterial, { via: 'commitment', agree: false }, 400, 'INVALID_INPUT'],
    ];
    for (const [material, body, status, code] of refusals) {
      const refused = await choose(auth, draft.id, material, body);
      expect([code, refused.status, refused.body.error.code, typeof refused.body.error.message]).toEqual([
        code,
        status,
        code,
        'string',
      ]);
    }
    expect(
      (await call('GET', `/api/v1/applications/drafts/${draft.id}`, undefined, auth)).body.materials.map(
        (m: { chosen: unknown }) => m.chosen,
      ),
    ).toEqual([null, null]);
  });

  test('an upload through the OSS policy satisfies a material; submission sends its key', async () => {
    const { who, auth } = await citizen();
    const item = itemWith([ID, FORM], 'SB');
    const draft = (await start(auth, item.code)).body;
    const [idMaterial, formMaterial] = item.materials.map((m) => m.code);
    await save(auth, draft.id, { address: '云州市云溪区云溪中路9号', residentType: '农村' });
    const key = await upload(auth, draft.id, idMaterial);
    expect(key).toMatch(new RegExp(`^applications/${draft.id}/${idMaterial}/[0-9a-f]{32}\\.png$`));
    const notThere = (
      await call(
        'POST',
        '/api/v1/applications/uploads/policy',
        {
          draftId: draft.id,
          materialCode: idMaterial,
          fileName: 'a.png',
          contentType: 'image/png',
          size: 10,
        },
        auth,
      )
    ).body.key;
    expect((await choose(auth, draft.id, idMaterial, { via: 'upload', key: notThere })).body.error.code).toBe(
      'UPLOAD_MISSING',
    );
    const chosen = await choose(auth, draft.id, idMaterial, { via: 'upload', key });
    expect(chosen.body.materials[0].chosen).toEqual({
      via: 'upload',
      upload: { key, fileName: '身份证.png' },
    });
    expect(
      (await choose(auth, draft.id, formMaterial, { via: 'commitment', agree: true })).body.materials[1]
        .chosen,
    ).toEqual({ via: 'commitment', signedAt: expect.any(String) });
    const submitted = await submit(auth, draft.id);
    expect(submitted.status).toBe(200);
    const [kase] = await casesOf(who.idNumber);
    expect(kase.materials[0]).toEqual(expect.objectContaining({ source: 'upload', key }));
    expect((await bff.app.db.collection('application_uploads').findOne({ key }))!.state).toBe('submitted');
    // A submitted draft is closed for changes, and the item can be applied for afresh.
    expect((await save(auth, draft.id, { address: '云州市云溪区云溪中路10号' })).body.error.code).toBe(
      'APPLICATION_SUBMITTED',
    );
    expect((await start(auth, item.code)).body.id).not.toBe(draft.id);
  });
});

describe('submission', () => {
  test('ten concurrent submits of one draft make one case with one acceptance number', async () => {
    const { who, auth } = await citizen();
    const { draft } = await readyDraft(auth);
    const answers = await Promise.all(Array.from({ length: 10 }, () => submit(auth, draft.id)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(new Set(answers.map((a) => a.body.acceptNo)).size).toBe(1);
    expect(await casesOf(who.idNumber)).toHaveLength(1);
  });

  test('an answer lost to a timeout is settled by the retry without a second case', async () => {
    const { who, auth } = await citizen();
    const { draft } = await readyDraft(auth);
    // The core system creates the case but answers slower than the BFF waits, twice (the call and its retry).
    await admin('POST', '/__admin/faults', { route: 'POST /api/applications', latencyMs: 1500, times: 2 });
    const lost = await submit(auth, draft.id);
    expect([lost.status, lost.body.error.code]).toEqual([503, 'UPSTREAM_UNAVAILABLE']);
    expect((await call('GET', `/api/v1/applications/drafts/${draft.id}`, undefined, auth)).body.state).toBe(
      'submitting',
    );
    expect((await save(auth, draft.id, { address: '改地址不行了' })).body.error.code).toBe(
      'APPLICATION_SUBMITTED',
    );
    await until(
      async () => (await casesOf(who.idNumber)).length === 1,
      'the core system to create the late case',
    );
    const retried = await submit(auth, draft.id);
    expect([retried.status, retried.body.state]).toEqual([200, 'submitted']);
    const cases = await casesOf(who.idNumber);
    expect(cases.map((c) => c.acceptNo)).toEqual([retried.body.acceptNo]);
  });

  test('an answer lost to a timeout is settled by the sweep when the citizen never retries', async () => {
    const { who, auth } = await citizen();
    const { draft } = await readyDraft(auth);
    await admin('POST', '/__admin/faults', { route: 'POST /api/applications', latencyMs: 1500, times: 2 });
    expect((await submit(auth, draft.id)).status).toBe(503);
    await until(
      async () => (await casesOf(who.idNumber)).length === 1,
      'the core system to create the late case',
    );
    clock.advance(61_000);
    const drafts = bff.app.db.collection('application_drafts');
    const settled = await until(async () => {
      const doc = await drafts.findOne({ _id: new ObjectId(draft.id) });
      return doc?.state === 'submitted' ? doc : null;
    }, 'the sweep to settle the submission');
    expect((await casesOf(who.idNumber)).map((c) => c.acceptNo)).toEqual([settled.acceptNo]);
  });

  test('a core outage keeps the submission pending; once the core system is back the sweep sends it with the same key: one case', async () => {
    const { who, auth } = await citizen();
    const { draft } = await readyDraft(auth);
    // Down for the call, its retries and a few sweeps: nothing is created meanwhile.
    await admin('POST', '/__admin/faults', {
      route: 'POST /api/applications',
      errorRate: 1,
      status: 503,
      times: 6,
    });
    const down = await submit(auth, draft.id);
    expect([down.status, down.body.error.code, typeof down.body.error.message]).toEqual([
      503,
      'UPSTREAM_UNAVAILABLE',
      'string',
    ]);
    const drafts = bff.app.db.collection('application_drafts');
    const pending = (await drafts.findOne({ _id: new ObjectId(draft.id) }))!;
    expect([pending.state, pending.acceptNo]).toEqual(['submitting', null]);
    expect(await casesOf(who.idNumber)).toEqual([]);
    clock.advance(61_000);
    const settled = await until(async () => {
      const doc = await drafts.findOne({ _id: new ObjectId(draft.id) });
      return doc?.state === 'submitted' ? doc : null;
    }, 'the sweep to send the pending submission once the core system answers');
    expect(settled.idempotencyKey).toBe(pending.idempotencyKey);
    expect((await casesOf(who.idNumber)).map((c) => c.acceptNo)).toEqual([settled.acceptNo]);
    const again = await submit(auth, draft.id);
    expect([again.status, again.body.acceptNo]).toEqual([200, settled.acceptNo]);
  });

  test('a draft with a material still unanswered is refused, naming it, and nothing reaches the core system', async () => {
    const { who, auth } = await citizen();
    const item = itemWith([ID, FORM], 'SB');
    const draft = (await start(auth, item.code)).body;
    await save(auth, draft.id, { address: '云州市青山区青山大道1号', residentType: '城镇' });
    const [idMaterial, formMaterial] = item.materials;
    await choose(auth, draft.id, formMaterial.code, { via: 'commitment', agree: true });
    const refused = await submit(auth, draft.id);
    expect([refused.status, refused.body.error.code, refused.body.error.details]).toEqual([
      400,
      'APPLICATION_MATERIALS_MISSING',
      { missing: [idMaterial.code] },
    ]);
    expect(refused.body.error.message).toContain(idMaterial.name);
    expect((await call('GET', `/api/v1/applications/drafts/${draft.id}`, undefined, auth)).body.state).toBe(
      'draft',
    );
    expect(await casesOf(who.idNumber)).toHaveLength(0);
  });

  test('a refusal by the core system gives the draft back unchanged', async () => {
    const { who, auth } = await citizen();
    const { draft } = await readyDraft(auth);
    await admin('POST', '/__admin/faults', {
      route: 'POST /api/applications',
      errorRate: 1,
      status: 400,
      times: 1,
    });
    const refused = await submit(auth, draft.id);
    expect([refused.status, refused.body.error.code]).toEqual([400, 'INVALID_INPUT']);
    expect((await call('GET', `/api/v1/applications/drafts/${draft.id}`, undefined, auth)).body.state).toBe(
      'draft',
    );
    expect(await casesOf(who.idNumber)).toHaveLength(0);
    expect((await submit(auth, draft.id)).body.state).toBe('submitted');
  });
});

describe('ownership and expiry', () => {
  test('another citizen cannot read, change, upload to or submit my draft', async () => {
    const { auth } = await citizen();
    const { auth: stranger } = await citizen();
    const { item, draft } = await readyDraft(auth);
    const attempts = [
      call('GET', `/api/v1/applications/drafts/${draft.id}`, undefined, stranger),
      save(stranger, draft.id, { address: '云州市青山区别人家100号' }),
      choose(stranger, draft.id, item.materials[1].code, { via: 'commitment', agree: true }),
      licencesOf(stranger, draft.id, item.materials[0].code),
      call(
        'POST',
        '/api/v1/applications/uploads/policy',
        {
          draftId: draft.id,
          materialCode: item.materials[0].code,
          fileName: 'a.png',
          contentType: 'image/png',
          size: 10,
        },
        stranger,
      ),
      submit(stranger, draft.id),
      call('DELETE', `/api/v1/applications/drafts/${draft.id}`, undefined, stranger),
    ];
    for (const answer of await Promise.all(attempts))
      expect([answer.status, answer.body.error.code]).toEqual([404, 'NOT_FOUND']);
    expect((await call('GET', '/api/v1/applications', undefined, stranger)).body.applications).toEqual([]);
    expect((await call('GET', `/api/v1/applications/drafts/${draft.id}`, undefined, auth)).body.state).toBe(
      'draft',
    );
    expect((await call('GET', `/api/v1/applications/drafts/not-an-id`, undefined, auth)).status).toBe(400);
  });

  test('a draft unchanged for 30 days is gone, and the item starts afresh', async () => {
    const { auth } = await citizen();
    const item = itemWith([ID, FORM], 'SB');
    const draft = (await start(auth, item.code)).body;
    clock.advance(29 * DAY_MS);
    expect((await save(auth, draft.id, { address: '云州市青山区青山大道2号' })).status).toBe(200);
    clock.advance(30 * DAY_MS + 60_000);
    expect((await call('GET', `/api/v1/applications/drafts/${draft.id}`, undefined, auth)).status).toBe(404);
    await until(
      async () =>
        (await bff.app.db
          .collection('application_drafts')
          .countDocuments({ _id: new ObjectId(draft.id) })) === 0,
      'the sweep to delete the expired draft',
    );
    const fresh = await start(auth, item.code);
    expect([fresh.status, fresh.body.id === draft.id]).toEqual([200, false]);
  });
});

describe('no orphaned upload', () => {
  test('uploads no draft uses — replaced, never chosen, of a discarded draft — are deleted from OSS after the grace period; the submitted one stays', async () => {
    const oss = ossClient(bff.world.oss);
    const uploads = bff.app.db.collection('application_uploads');
    const { who, auth } = await citizen();
    const { item, draft } = await readyDraft(auth);
    const formMaterial = item.materials[1].code;
    const replaced = await upload(auth, draft.id, formMaterial);
    expect((await choose(auth, draft.id, formMaterial, { via: 'upload', key: replaced })).status).toBe(200);
    const kept = await upload(auth, draft.id, formMaterial);
    expect((await choose(auth, draft.id, formMaterial, { via: 'upload', key: kept })).status).toBe(200);
    const neverChosen = await upload(auth, draft.id, formMaterial);
    expect((await submit(auth, draft.id)).body.state).toBe('submitted');
    const [kase] = await casesOf(who.idNumber);
    expect(kase.materials[1]).toEqual(expect.objectContaining({ source: 'upload', key: kept }));
    // Another item's draft, its upload chosen, then discarded.
    const other = itemWith([ID, FORM, BANK], 'MZ');
    const discarded = (await start(auth, other.code)).body;
    const ofDiscarded = await upload(auth, discarded.id, other.materials[2].code);
    await choose(auth, discarded.id, other.materials[2].code, { via: 'upload', key: ofDiscarded });
    expect(
      (await call('DELETE', `/api/v1/applications/drafts/${discarded.id}`, undefined, auth)).status,
    ).toBe(200);
    expect((await call('GET', `/api/v1/applications/drafts/${discarded.id}`, undefined, auth)).status).toBe(
      404,
    );

    // Within the grace period nothing goes: an unused upload dated past it is deleted by a sweep,
    // and that sweep left the young ones alone.
    const graceMs = bff.config.upload.orphanGraceMs;
    const old = (await start(auth, other.code)).body;
    const oldOne = await upload(auth, old.id, other.materials[2].code);
    await uploads.updateOne(
      { key: oldOne },
      { $set: { createdAt: new Date(Date.now() - graceMs - 3600_000) } },
    );
    await until(
      async () => (await uploads.findOne({ key: oldOne }))?.state === 'deleted',
      'a sweep to delete the old upload',
    );
    await expect(oss.head(oldOne)).rejects.toMatchObject({ status: 404 });
    for (const key of [replaced, neverChosen, ofDiscarded, kept])
      expect((await oss.head(key)).res.status).toBe(200);

    clock.advance(graceMs + 60_000);
    await until(
      async () =>
        (await uploads.countDocuments({
          key: { $in: [replaced, neverChosen, ofDiscarded] },
          state: 'deleted',
        })) === 3,
      'the sweep to delete the uploads no draft uses',
    );
    for (const key of [replaced, neverChosen, ofDiscarded])
      await expect(oss.head(key)).rejects.toMatchObject({ status: 404 });
    expect((await oss.head(kept)).res.status).toBe(200);
    expect((await uploads.findOne({ key: kept }))!.state).toBe('submitted');
  });
});

describe('pre-check (预审) by window staff', () => {
  interface Staff {
    id: string;
    username: string;
    role: string;
    hallId?: string;
  }
  async function clerks(hallId: string): Promise<Record<string, string>[]> {
    const { password, staff } = await admin<{ password: string; staff: Staff[] }>('GET', '/__admin/staff');
    const members = staff.filter((s) => s.role === 'window' && s.hallId === hallId).slice(0, 2);
    return Promise.all(
      members.map(async (m) => {
        const login = await call('POST', '/api/v1/auth/staff', { username: m.username, password });
        expect(login.status).toBe(200);
        return bearer(login.body.accessToken);
      }),
    );
  }
  async function submitted(auth: Record<string, string>) {
    const ready = await readyDraft(auth);
    const answer = await submit(auth, ready.draft.id);
    expect(answer.status).toBe(200);
    const kase = (await core('GET', `/api/cases/${answer.body.acceptNo}`)).body;
    return { ...ready, acceptNo: answer.body.acceptNo as string, hallId: kase.hallId as string };
  }
  const decide = (clerk: Record<string, string>, acceptNo: string, body: unknown) =>
    call('POST', `/api/v1/staff/prechecks/${acceptNo}/decision`, body, clerk);

  test('the hall sees the application with masked applicant and openable materials, and accepts it into review', async () => {
    const { who, auth } = await citizen();
    const { acceptNo, hallId, item } = await submitted(auth);
    const [clerk] = await clerks(hallId);
    const queue = await call('GET', '/api/v1/staff/prechecks', undefined, clerk);
    const mine = queue.body.cases.find((c: { acceptNo: string }) => c.acceptNo === acceptNo);
    expect(mine).toEqual(
      expect.objectContaining({
        itemCode: item.code,
        status: 'prechecking',
        applicantIdMasked: `${who.idNumber.slice(0, 3)}***********${who.idNumber.slice(-4)}`,
        corrections: 0,
        values: expect.objectContaining({ 联系地址: '云州市青山区青山大道1号' }),
      }),
    );
    expect(JSON.stringify(queue.body)).not.toContain(who.idNumber);
    expect(mine.applicantName).toMatch(/^.\*+$/);
    // The e-licence's rendering and the signed commitment are there to read.
    for (const material of mine.materials) expect((await fetch(material.url)).status).toBe(200);
    expect(mine.materials.map((m: { source: string }) => m.source)).toEqual(['licence', 'commitment']);

    // Citizens and approvers have no pre-check queue.
    expect((await call('GET', '/api/v1/staff/prechecks', undefined, auth)).status).toBe(403);
    const accepted = await decide(clerk, acceptNo, { decision: 'accept', opinion: '材料齐全' });
    expect([accepted.status, accepted.body]).toEqual([
      200,
      { acceptNo, decision: 'accept', status: 'reviewing' },
    ]);
    const { tasks } = await admin<{ tasks: { acceptNo: string; stage: string }[] }>('GET', '/__admin/tasks');
    expect(tasks.filter((t) => t.acceptNo === acceptNo && t.stage === '审查')).toHaveLength(1);
    expect((await call('GET', `/api/v1/cases/${acceptNo}`, undefined, auth)).body.statusLabel).toBe('审查中');
    expect(
      (await call('GET', '/api/v1/staff/prechecks', undefined, clerk)).body.cases.some(
        (c: { acceptNo: string }) => c.acceptNo === acceptNo,
      ),
    ).toBe(false);
  });

  test('returned with every deficiency at once, corrected through the correction flow, back to pre-check and accepted', async () => {
    const { auth } = await citizen();
    const { acceptNo, hallId, item } = await submitted(auth);
    const [clerk] = await clerks(hallId);
    const [idMaterial, formMaterial] = item.materials.map((m) => m.code);
    expect((await decide(clerk, acceptNo, { decision: 'return' })).body.error.code).toBe('INVALID_INPUT');
    expect(
      (
        await decide(clerk, acceptNo, {
          decision: 'return',
          deficiencies: [{ materialCode: 'X-M99', reason: '不属于本事项' }],
        })
      ).body.error.code,
    ).toBe('APPLICATION_MATERIAL_UNKNOWN');
    const returned = await decide(clerk, acceptNo, {
      decision: 'return',
      deficiencies: [{ materialCode: formMaterial, reason: '请上传签字的申请表' }],
    });
    expect([returned.status, returned.body.status]).toEqual([200, 'correcting']);
    const notice = (await call('GET', `/api/v1/cases/${acceptNo}/corrections`, undefined, auth)).body
      .correction;
    expect(notice.items).toEqual([
      expect.objectContaining({ materialCode: formMaterial, reason: '请上传签字的申请表' }),
    ]);

    // The citizen answers as any correction: a policy, the upload, one submission.
    const policy = await call(
      'POST',
      '/api/v1/uploads/policy',
      {
        acceptNo,
        correctionId: notice.id,
        materialCode: formMaterial,
        fileName: '申请表.png',
        contentType: 'image/png',
        size: PNG.length,
      },
      auth,
    );
    const form = new FormData();
    for (const [k, v] of Object.entries(policy.body.formData as Record<string, string>)) form.append(k, v);
    form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'form.png');
    expect((await fetch(`${policy.body.host}/`, { method: 'POST', body: form })).status).toBe(201);
    const corrected = await call(
      'POST',
      `/api/v1/cases/${acceptNo}/corrections/${notice.id}/submit`,
      { files: [{ materialCode: formMaterial, key: policy.body.key }] },
      auth,
    );
    expect([corrected.status, corrected.body.status, corrected.body.statusLabel]).toEqual([
      200,
      'prechecking',
      '预审中',
    ]);

    const again = (await call('GET', `/api/v1/staff/prechecks/${acceptNo}`, undefined, clerk)).body;
    expect([
      again.corrections,
      again.materials.find((m: { code: string }) => m.code === formMaterial).source,
    ]).toEqual([1, 'upload']);
    expect(again.materials.find((m: { code: string }) => m.code === idMaterial).source).toBe('licence');
    expect((await decide(clerk, acceptNo, { decision: 'accept' })).body.status).toBe('reviewing');
  });

  test('two clerks deciding at once: one decision, the other a conflict; a repeat by the same clerk shares the outcome; another hall sees nothing', async () => {
    const { auth } = await citizen();
    const { acceptNo, hallId, item } = await submitted(auth);
    const [first, second] = await clerks(hallId);
    const answers = await Promise.all([
      decide(first, acceptNo, { decision: 'accept' }),
      decide(second, acceptNo, {
        decision: 'return',
        deficiencies: [{ materialCode: item.materials[1].code, reason: '签名不清' }],
      }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)!.body.error.code).toBe('PRECHECK_CONFLICT');
    const winner = answers.findIndex((a) => a.status === 200);
    const repeat = await decide(
      winner === 0 ? first : second,
      acceptNo,
      winner === 0
        ? { decision: 'accept' }
        : {
            decision: 'return',
            deficiencies: [{ materialCode: item.materials[1].code, reason: '签名不清' }],
          },
    );
    expect([repeat.status, repeat.body.status]).toEqual([200, answers[winner].body.status]);
    expect(
      (await core('GET', `/api/cases/${acceptNo}`)).body.timeline.filter(
        (t: { stage: string; status: string }) => t.status === 'reviewing' || t.status === 'correcting',
      ),
    ).toHaveLength(1);

    const { staff, password } = await admin<{ password: string; staff: Staff[] }>('GET', '/__admin/staff');
    const elsewhere = staff.find((s) => s.role === 'window' && s.hallId !== hallId)!;
    const login = await call('POST', '/api/v1/auth/staff', { username: elsewhere.username, password });
    const outsider = bearer(login.body.accessToken);
    expect((await call('GET', `/api/v1/staff/prechecks/${acceptNo}`, undefined, outsider)).status).toBe(404);
    expect((await decide(outsider, acceptNo, { decision: 'accept' })).status).toBe(404);
  });

  test('a decision whose answer was lost is settled by the retry and, untried, by the sweep', async () => {
    const { auth } = await citizen();
    const first = await submitted(auth);
    const [clerk] = await clerks(first.hallId);
    await admin('POST', '/__admin/faults', {
      route: 'POST /api/cases/:acceptNo/precheck',
      latencyMs: 1500,
      times: 2,
    });
    expect((await decide(clerk, first.acceptNo, { decision: 'accept' })).status).toBe(503);
    await until(
      async () => (await core('GET', `/api/cases/${first.acceptNo}`)).body.status === 'reviewing',
      'the core system to apply the late decision',
    );
    const retried = await decide(clerk, first.acceptNo, { decision: 'accept' });
    expect([retried.status, retried.body.status]).toEqual([200, 'reviewing']);

    const { auth: other } = await citizen();
    const second = await submitted(other);
    await admin('POST', '/__admin/faults', {
      route: 'POST /api/cases/:acceptNo/precheck',
      latencyMs: 1500,
      times: 2,
    });
    expect((await decide(clerk, second.acceptNo, { decision: 'accept' })).status).toBe(503);
    await until(
      async () => (await core('GET', `/api/cases/${second.acceptNo}`)).body.status === 'reviewing',
      'the core system to apply the late decision',
    );
    clock.advance(61_000);
    await until(
      async () =>
        (await bff.app.db.collection('application_prechecks').findOne({ acceptNo: second.acceptNo }))
          ?.state === 'done',
      'the sweep to settle the decision',
    );
    const { tasks } = await admin<{ tasks: { acceptNo: string; stage: string }[] }>('GET', '/__admin/tasks');
    expect(tasks.filter((t) => [first.acceptNo, second.acceptNo].includes(t.acceptNo))).toHaveLength(2);
  });
});

describe('applying for someone else (亲友代办)', () => {
  test('a mother authorises her son for one item; he accepts and, with X-Act-As, applies in her name; out of scope and after revocation he is refused; she sees all of it', async () => {
    const [mother, son] = await boundCitizens(call, bff.world, 2);
    const { who: stranger } = await citizen();
    const mum = bearer(mother.token);
    const boy = bearer(son.token);
    const item = itemWith([ID, FORM], 'SB');
    const other = itemWith([ID, FORM, BANK], 'MZ');

    expect(
      (
        await call(
          'POST',
          '/api/v1/agency/grants',
          { agentName: mother.name, agentIdNumber: mother.idNumber, itemCodes: null, days: 30 },
          mum,
        )
      ).body.error.code,
    ).toBe('INVALID_INPUT');
    const granted = await call(
      'POST',
      '/api/v1/agency/grants',
      { agentName: son.name, agentIdNumber: son.idNumber, itemCodes: [item.code], days: 30 },
      mum,
    );
    expect([granted.status, granted.body.state, granted.body.role, granted.body.agentIdMasked]).toEqual([
      200,
      'pending',
      'principal',
      `${son.idNumber.slice(0, 3)}***********${son.idNumber.slice(-4)}`,
    ]);
    const grantId = granted.body.id;
    /** The son in 代办 mode: his own token, her grant in X-Act-As, as for booking and the rest. */
    const forHer = bearer(son.token, { 'x-act-as': grantId });
    expect((await call('GET', '/api/v1/agency/grants', undefined, boy)).body.grants).toEqual([
      expect.objectContaining({ id: grantId, role: 'agent', principalName: mother.name, state: 'pending' }),
    ]);
    // Not yet accepted: nothing can be done with it; nobody else can accept it.
    const early = await start(forHer, item.code);
    expect([early.status, early.body.error.code]).toEqual([403, 'AGENT_NOT_AUTHORISED']);
    expect(
      (await call('POST', `/api/v1/agency/grants/${grantId}/accept`, undefined, bearer(stranger.token)))
        .status,
    ).toBe(404);
    const accepted = await call('POST', `/api/v1/agency/grants/${grantId}/accept`, undefined, boy);
    expect([accepted.status, accepted.body.state]).toEqual([200, 'active']);
    expect(
      (await call('POST', `/api/v1/agency/grants/${grantId}/accept`, undefined, boy)).body.error.code,
    ).toBe('GRANT_NOT_PENDING');
    // One way to act for someone else: the grant in the body is not it.
    const inBody = await call('POST', '/api/v1/applications/drafts', { itemCode: item.code, grantId }, boy);
    expect([inBody.status, inBody.body.error.code]).toEqual([400, 'INVALID_INPUT']);
    // Someone else's token with his grant: refused before anything is done.
    const borrowed = await start(bearer(stranger.token, { 'x-act-as': grantId }), item.code);
    expect([borrowed.status, borrowed.body.error.code]).toEqual([403, 'AGENT_NOT_AUTHORISED']);

    // He applies in her name: her facts prefilled, her licences, her upload, the case hers.
    const draft = (await start(forHer, item.code)).body;
    expect([
      draft.grantId,
      draft.principalName,
      draft.fields.find((f: { name: string }) => f.name === 'applicantName').value,
    ]).toEqual([grantId, mother.name, mother.name]);
    expect(draft.fields.find((f: { name: string }) => f.name === 'idNumber').value).toBe(
      `${mother.idNumber.slice(0, 3)}***********${mother.idNumber.slice(-4)}`,
    );
    expect(
      (await save(forHer, draft.id, { address: '云州市青山区青山大道3号', residentType: '城镇' })).status,
    ).toBe(200);
    const [licence] = (await licencesOf(forHer, draft.id, item.materials[0].code)).body.licences;
    expect(licence.number).toBe(`${mother.idNumber.slice(0, 3)}***********${mother.idNumber.slice(-4)}`);
    const { queries } = await admin<{ queries: { purpose: string; requester: string }[] }>(
      'GET',
      `/__admin/licence-queries?holderIdNumber=${mother.idNumber}`,
    );
    expect(queries.at(-1)).toEqual(
      expect.objectContaining({ purpose: `在线申报（${son.name}代办）：${item.name}（${item.code}）` }),
    );
    expect(
      (
        await choose(forHer, draft.id, item.materials[0].code, {
          via: 'licence',
          licenceNo: licence.licenceNo,
        })
      ).status,
    ).toBe(200);
    const key = await upload(forHer, draft.id, item.materials[1].code);
    expect((await choose(forHer, draft.id, item.materials[1].code, { via: 'upload', key })).status).toBe(200);
    // The draft is hers, as a booking he makes for her is: she opens it (and would resume it on
    // 在线办理); without the header it is not his; a stranger neither.
    const hers = await call('GET', `/api/v1/applications/drafts/${draft.id}`, undefined, mum);
    expect([hers.status, hers.body.principalName, hers.body.grantId]).toEqual([200, null, null]);
    expect(hers.body.fields.find((f: { name: string }) => f.name === 'address').value).toBe(
      '云州市青山区青山大道3号',
    );
    expect((await start(mum, item.code)).body.id).toBe(draft.id);
    expect((await call('GET', `/api/v1/applications/drafts/${draft.id}`, undefined, boy)).status).toBe(404);
    expect(
      (await call('GET', `/api/v1/applications/drafts/${draft.id}`, undefined, bearer(stranger.token)))
        .status,
    ).toBe(404);
    // A double tap by him: one case, one submit in the log.
    const taps = await Promise.all([
      submit(forHer, draft.id),
      submit(forHer, draft.id),
      submit(forHer, draft.id),
    ]);
    expect(taps.map((t) => [t.status, t.body.state])).toEqual([
      [200, 'submitted'],
      [200, 'submitted'],
      [200, 'submitted'],
    ]);
    const acceptNo = taps[0].body.acceptNo;
    expect(new Set(taps.map((t) => t.body.acceptNo))).toEqual(new Set([acceptNo]));
    const kase = (await core('GET', `/api/cases/${acceptNo}`)).body;
    expect([kase.applicant.idNumber, kase.origin.actorIdNumber, kase.timeline[0].note]).toEqual([
      mother.idNumber,
      son.idNumber,
      '网上申报（代办），待预审',
    ]);
    expect((await casesOf(mother.idNumber)).filter((c) => c.itemCode === item.code)).toHaveLength(1);
    expect((await casesOf(son.idNumber)).map((c) => c.acceptNo)).not.toContain(acceptNo);
    const herCases = await call('GET', '/api/v1/cases', undefined, mum);
    expect(herCases.body.cases.map((c: { acceptNo: string }) => c.acceptNo)).toContain(acceptNo);
    expect((await call('GET', '/api/v1/applications', undefined, mum)).body.applications).toEqual([
      expect.objectContaining({ acceptNo, agentName: son.name, principalName: null, grantId: null }),
    ]);
    expect((await call('GET', '/api/v1/applications', undefined, boy)).body.applications).toEqual([
      expect.objectContaining({ acceptNo, principalName: mother.name, agentName: null, grantId }),
    ]);

    // Outside the grant's items: refused.
    const outside = await start(forHer, other.code);
    expect([outside.status, outside.body.error.code]).toEqual([403, 'AGENT_OUT_OF_SCOPE']);
    // Revoked: the draft he started is frozen and no new one can be started.
    const second = (await start(forHer, item.code)).body;
    expect(second.id).not.toBe(draft.id);
    expect((await call('POST', `/api/v1/agency/grants/${grantId}/revoke`, undefined, boy)).status).toBe(404);
    expect((await call('POST', `/api/v1/agency/grants/${grantId}/revoke`, undefined, mum)).body.state).toBe(
      'revoked',
    );
    for (const answer of [
      await call('GET', `/api/v1/applications/drafts/${second.id}`, undefined, forHer),
      await save(forHer, second.id, { address: '云州市青山区青山大道4号' }),
      await submit(forHer, second.id),
      await start(forHer, item.code),
    ]) {
      expect([answer.status, answer.body.error.code]).toEqual([403, 'AGENT_NOT_AUTHORISED']);
    }

    // Every step, attributed to who acted and for whom, in the log both of them read.
    const log = (await call('GET', '/api/v1/agency/actions', undefined, mum)).body.actions.reverse();
    expect(
      log.map(
        (a: { action: string; actorName: string; principalName: string }) =>
          `${a.action}:${a.actorName === son.name ? 'son' : 'mother'}:${a.principalName === mother.name}`,
      ),
    ).toEqual([
      'grant:mother:true',
      'accept:son:true',
      'start_draft:son:true',
      'submit:son:true',
      'start_draft:son:true',
      'revoke:mother:true',
    ]);
    expect(log.find((a: { action: string }) => a.action === 'submit')).toEqual(
      expect.objectContaining({ acceptNo, itemCode: item.code, forMe: true }),
    );
    expect((await call('GET', '/api/v1/agency/actions', undefined, boy)).body.actions).toHaveLength(6);
    expect(
      (await call('GET', '/api/v1/agency/actions', undefined, bearer(stranger.token))).body.actions,
    ).toEqual([]);
  });

  test('a grant names a real person: another name on the same identity cannot accept it', async () => {
    const [mother, son] = await boundCitizens(call, bff.world, 2);
    const granted = await call(
      'POST',
      '/api/v1/agency/grants',
      { agentName: '张冒名', agentIdNumber: son.idNumber, itemCodes: null, days: 7 },
      bearer(mother.token),
    );
    expect(
      (await call('POST', `/api/v1/agency/grants/${granted.body.id}/accept`, undefined, bearer(son.token)))
        .status,
    ).toBe(404);
    const bad = await call(
      'POST',
      '/api/v1/agency/grants',
      { agentName: son.name, agentIdNumber: son.idNumber, itemCodes: [{ $gt: '' }], days: 7 },
      bearer(mother.token),
    );
    expect([bad.status, bad.body.error.code]).toEqual([400, 'INVALID_INPUT']);
  });
});
