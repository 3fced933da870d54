// Remote correction through the real ali-oss SDK and real PostObject uploads to the OSS
// simulator: the notice, upload policies, the checks on every submitted object, one
// submission to the core system however it is retried, and the sweep of orphaned uploads.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import OSS from 'ali-oss';
import { startTestBff, type TestBff } from '../support/bff';
import { caseInCorrection, type CorrectionCase } from '../support/cases';
import { coreAdmin, coreCaller } from '../support/core-client';
import { bearer, boundCitizens, signIn, type ApiCall, type Citizen, injectCaller } from '../support/citizens';
import { ossClient } from '../support/oss';
import { scaled } from '../support/time-scale';
import { MovableClock } from '../support/clock';
import { until } from '../support/until';

const PNG = readFileSync(join(__dirname, '..', 'fixtures', 'id-card.png'));
const PDF = readFileSync(join(__dirname, '..', 'fixtures', 'household-register.pdf'));
const EXE = Buffer.concat([
  Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'),
  Buffer.alloc(200, 0x41),
]);
const MAX_BYTES = 100_000;

let bff: TestBff;
const clock = new MovableClock();
let admin: ReturnType<typeof coreAdmin>;
let core: ReturnType<typeof coreCaller>;
let oss: OSS;

const POLICIES_PER_NOTICE = 8;
const call: ApiCall = (...args) => injectCaller(bff.app)(...args);

beforeAll(async () => {
  bff = await startTestBff(
    'correction',
    {
      RATE_LIMIT_PER_MINUTE: '100000',
      RATE_LIMIT_SENSITIVE_PER_MINUTE: '10000',
      UPLOAD_MAX_BYTES: String(MAX_BYTES),
      UPLOAD_POLICIES_PER_NOTICE: String(POLICIES_PER_NOTICE),
      UPLOAD_SWEEP_MS: '200',
      UPLOAD_ORPHAN_GRACE_MS: String(3600_000),
    },
    { now: clock.now },
  );
  admin = coreAdmin(bff.world.core);
  core = coreCaller(bff.world.core);
  oss = ossClient(bff.world.oss);
}, scaled(60_000));
afterAll(() => bff.stop());
afterEach(async () => {
  clock.reset();
  await admin('DELETE', '/__admin/faults');
});

/** A bound citizen with a fresh case returned for correction of two materials. */
async function citizenInCorrection(): Promise<{
  citizen: Citizen;
  kase: CorrectionCase;
  auth: Record<string, string>;
}> {
  const [citizen] = await boundCitizens(call, bff.world, 1);
  const kase = await caseInCorrection(bff.world, citizen.idNumber, 2);
  return { citizen, kase, auth: bearer(citizen.token) };
}

async function policyFor(
  auth: Record<string, string>,
  kase: CorrectionCase,
  materialCode: string,
  file: { name: string; type: string; size: number },
) {
  return call(
    'POST',
    '/api/v1/uploads/policy',
    {
      acceptNo: kase.acceptNo,
      correctionId: kase.correctionId,
      materialCode,
      fileName: file.name,
      contentType: file.type,
      size: file.size,
    },
    auth,
  );
}

/** PostObject exactly as the phone does it: the policy's form fields, then the file. */
async function postObject(
  policy: { host: string; formData: Record<string, string> },
  bytes: Buffer,
  fileName: string,
  type: string,
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(policy.formData)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), fileName);
  const response = await fetch(`${policy.host}/`, { method: 'POST', body: form });
  return { status: response.status, text: await response.text() };
}

/** Policy and upload for one file; returns the key to submit. */
async function upload(
  auth: Record<string, string>,
  kase: CorrectionCase,
  materialCode: string,
  bytes: Buffer,
  name: string,
  type: string,
): Promise<string> {
  const policy = await policyFor(auth, kase, materialCode, { name, type, size: bytes.length });
  expect(policy.status).toBe(200);
  expect((await postObject(policy.body, bytes, name, type)).status).toBe(201);
  return policy.body.key;
}

const submit = (
  auth: Record<string, string>,
  kase: CorrectionCase,
  files: { materialCode: string; key: string }[],
) => call('POST', `/api/v1/cases/${kase.acceptNo}/corrections/${kase.correctionId}/submit`, { files }, auth);

async function coreCase(acceptNo: string) {
  return (await core('GET', `/api/cases/${acceptNo}`)).body;
}
async function reviewTasks(acceptNo: string) {
  const { tasks } = await admin<{ tasks: { acceptNo: string; stage: string }[] }>('GET', '/__admin/tasks');
  return tasks.filter((t) => t.acceptNo === acceptNo && t.stage === '审查');
}

describe('the notice and upload policies', () => {
  test('the owner sees every deficiency with its reason and the deadline; others cannot', async () => {
    const { kase, auth } = await citizenInCorrection();
    const view = await call('GET', `/api/v1/cases/${kase.acceptNo}/corrections`, undefined, auth);
    expect(view.status).toBe(200);
    expect(view.body).toEqual({
      correction: expect.objectContaining({
        id: kase.correctionId,
        acceptNo: kase.acceptNo,
        status: 'open',
        expired: false,
        deadline: expect.any(String),
        items: kase.items,
      }),
      maxBytes: MAX_BYTES,
      contentTypes: ['image/jpeg', 'image/png', 'application/pdf'],
    });
    expect(kase.items.map((i) => i.reason)).toEqual(['照片模糊，无法辨认', '缺少盖章页']);
    const [stranger] = await boundCitizens(call, bff.world, 1);
    const foreign = await call(
      'GET',
      `/api/v1/cases/${kase.acceptNo}/corrections`,
      undefined,
      bearer(stranger.token),
    );
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'NOT_FOUND']);
    const unbound = await signIn(call, bff.world);
    expect(
      (await call('GET', `/api/v1/cases/${kase.acceptNo}/corrections`, undefined, bearer(unbound.token))).body
        .error.code,
    ).toBe('REALNAME_REQUIRED');
    const foreignPolicy = await policyFor(bearer(stranger.token), kase, kase.items[0].materialCode, {
      name: 'a.png',
      type: 'image/png',
      size: 100,
    });
    expect([foreignPolicy.status, foreignPolicy.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  test('a policy is bound to case, notice and material, with the size limit, the type and a short expiry', async () => {
    const { kase, auth, citizen } = await citizenInCorrection();
    const material = kase.items[0].materialCode;
    const answer = await policyFor(auth, kase, material, {
      name: '身份证正面.png',
      type: 'image/png',
      size: PNG.length,
    });
    expect(answer.status).toBe(200);
    const policy = answer.body;
    expect(policy.key).toMatch(
      new RegExp(`^corrections/${kase.acceptNo}/${kase.correctionId}/${material}/[0-9a-f]{32}\\.png$`),
    );
    expect(policy.key).not.toContain('身份证');
    const document = JSON.parse(Buffer.from(policy.policy, 'base64').toString());
    expect(document.conditions).toEqual(
      expect.arrayContaining([
        ['eq', '$key', policy.key],
        ['content-length-range', 1, MAX_BYTES],
        ['eq', '$Content-Type', 'image/png'],
        ['eq', '$x-oss-forbid-overwrite', 'true'],
      ]),
    );
    const ttl = Date.parse(document.expiration) - Date.now();
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(600_000);
    expect(await bff.app.db.collection('correction_uploads').findOne({ key: policy.key })).toEqual(
      expect.objectContaining({ userId: citizen.id, state: 'issued', materialCode: material }),
    );

    // OSS itself holds the upload to the policy: another key, another type, too big.
    expect(
      (
        await postObject(
          { ...policy, formData: { ...policy.formData, key: `${policy.key}.html` } },
          PNG,
          'x.png',
          'image/png',
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await postObject(
          { ...policy, formData: { ...policy.formData, 'Content-Type': 'text/html' } },
          PNG,
          'x.png',
          'text/html',
        )
      ).status,
    ).toBe(403);
    const tooBig = await postObject(policy, Buffer.alloc(MAX_BYTES + 1, 1), 'big.png', 'image/png');
    expect([tooBig.status, tooBig.text.includes('EntityTooLarge')]).toEqual([400, true]);
    expect(await oss.head(policy.key).catch((e: { status: number }) => e.status)).toBe(404);

    const refusals: [object, number, string][] = [
      [{ materialCode: 'NOT-ON-NOTICE' }, 400, 'MATERIAL_NOT_REQUESTED'],
      [{ size: MAX_BYTES + 1 }, 413, 'UPLOAD_TOO_LARGE'],
      [{ contentType: 'text/html' }, 400, 'INVALID_INPUT'],
      [{ fileName: 'setup.exe' }, 400, 'UPLOAD_TYPE_NOT_ALLOWED'],
      [{ correctionId: 'BZ0000000000000099' }, 409, 'CORRECTION_NOT_OPEN'],
      [{ acceptNo: { $gt: '' } }, 400, 'INVALID_INPUT'],
    ];
    for (const [change, status, code] of refusals) {
      const refused = await call(
        'POST',
        '/api/v1/uploads/policy',
        {
          acceptNo: kase.acceptNo,
          correctionId: kase.correctionId,
          materialCode: material,
          fileName: 'a.png',
          contentType: 'image/png',
          size: 100,
          ...change,
        },
        auth,
      );
      expect([refused.status, refused.body.error.code, typeof refused.body.error.message]).toEqual([
        status,
        code,
        'string',
      ]);
    }
  });
});

describe('upload policies per notice', () => {
  test('a notice gets at most UPLOAD_POLICIES_PER_NOTICE policies; the next is 429 UPLOAD_LIMIT and leaves no upload record', async () => {
    const { kase, auth, citizen } = await citizenInCorrection();
    const png = { name: '证明.png', type: 'image/png', size: PNG.length };
    for (let i = 0; i < POLICIES_PER_NOTICE; i += 1)
      expect((await policyFor(auth, kase, kase.items[i % 2].materialCode, png)).status).toBe(200);
    const refused = await policyFor(auth, kase, kase.items[0].materialCode, png);
    expect([refused.status, refused.body.error.code]).toEqual([429, 'UPLOAD_LIMIT']);
    expect(
      await bff.app.db
        .collection('correction_uploads')
        .countDocuments({ userId: citizen.id, correctionId: kase.correctionId }),
    ).toBe(POLICIES_PER_NOTICE);
  });
});

describe('submission', () => {
  test('a PNG and a PDF, uploaded to OSS, reach the core system in one submission: the case is back in 审查', async () => {
    const { kase, auth } = await citizenInCorrection();
    const [first, second] = kase.items.map((i) => i.materialCode);
    const files = [
      { materialCode: first, key: await upload(auth, kase, first, PNG, 'id-card.png', 'image/png') },
      {
        materialCode: second,
        key: await upload(auth, kase, second, PDF, 'household-register.pdf', 'application/pdf'),
      },
    ];
    await admin('DELETE', '/__admin/stats');
    const answer = await submit(auth, kase, files);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(
      expect.objectContaining({
        acceptNo: kase.acceptNo,
        status: 'reviewing',
        statusLabel: '审查中',
        correction: null,
      }),
    );
    const { requests } = await admin<{ requests: Record<string, number> }>('GET', '/__admin/stats');
    expect(requests[`POST /api/cases/${kase.acceptNo}/corrections/${kase.correctionId}/submission`]).toBe(1);
    const after = await coreCase(kase.acceptNo);
    expect(after.status).toBe('reviewing');
    expect(after.timeline.at(-1)).toEqual(expect.objectContaining({ stage: '审查', note: '补正材料已提交' }));
    expect(await reviewTasks(kase.acceptNo)).toHaveLength(2);
    expect(
      (await call('GET', `/api/v1/cases/${kase.acceptNo}/corrections`, undefined, auth)).body.correction,
    ).toBeNull();
    const states = await bff.app.db
      .collection('correction_uploads')
      .find({ key: { $in: files.map((f) => f.key) } })
      .toArray();
    expect(states.map((s) => s.state)).toEqual(['submitted', 'submitted']);

    // Approvers read the submitted files through short-lived signed URLs.
    const signed = bff.app.oss.signedUrl(files[1].key, 1);
    const read = await fetch(signed);
    expect(read.status).toBe(200);
    expect(Buffer.from(await read.arrayBuffer()).equals(PDF)).toBe(true);
    // The URL was good for one second: past it, OSS refuses it.
    await until(async () => (await fetch(signed)).status === 403, 'the signed URL to expire');
    // A second submit of the same files answers as the first did, without asking the core system again.
    const again = await submit(auth, kase, files);
    expect([again.status, again.body.status]).toEqual([200, 'reviewing']);
    expect(
      (await admin<{ requests: Record<string, number> }>('GET', '/__admin/stats')).requests[
        `POST /api/cases/${kase.acceptNo}/corrections/${kase.correctionId}/submission`
      ],
    ).toBe(1);
    expect(await reviewTasks(kase.acceptNo)).toHaveLength(2);
  });

  test('every bad submission gets its own code and nothing reaches the core system', async () => {
    const { citizen, kase, auth } = await citizenInCorrection();
    const [first, second] = kase.items.map((i) => i.materialCode);
    const pdfKey = await upload(auth, kase, second, PDF, 'register.pdf', 'application/pdf');
    const pngKey = await upload(auth, kase, first, PNG, 'id.png', 'image/png');
    // A policy taken, nothing uploaded.
    const unused = (
      await policyFor(auth, kase, first, { name: 'later.png', type: 'image/png', size: PNG.length })
    ).body.key;
    // An executable uploaded as a PDF: the policy's checks pass, the bytes do not.
    const exeKey = await upload(auth, kase, first, EXE, 'scan.pdf', 'application/pdf');
    // Objects that got past the policy anyway (written with the SDK): too big, the wrong type.
    const bigKey = (await policyFor(auth, kase, first, { name: 'big.png', type: 'image/png', size: 1000 }))
      .body.key;
    await oss.put(bigKey, Buffer.concat([PNG, Buffer.alloc(MAX_BYTES)]), { mime: 'image/png' });
    const htmlKey = (await policyFor(auth, kase, first, { name: 'x.png', type: 'image/png', size: 1000 }))
      .body.key;
    await oss.put(htmlKey, Buffer.from('<html><script>alert(1)</script></html>'), { mime: 'text/html' });
    // The same person on a second WeChat account took a policy and uploaded: not this account's key.
    const secondAccount = await signIn(call, bff.world);
    const resident = (
      await admin<{ citizens: { idNumber: string; name: string; phone: string }[] }>(
        'GET',
        '/__admin/citizens',
      )
    ).citizens.find((c) => c.idNumber === citizen.idNumber);
    expect(
      (
        await call(
          'PUT',
          '/api/v1/me/realname',
          { name: resident!.name, idNumber: resident!.idNumber, phone: resident!.phone },
          bearer(secondAccount.token),
        )
      ).status,
    ).toBe(200);
    const otherAccountKey = await upload(
      bearer(secondAccount.token),
      kase,
      first,
      PNG,
      'id.png',
      'image/png',
    );
    // Another case's correction: keys outside this notice's prefix.
    const { kase: otherCase, auth: otherAuth } = await citizenInCorrection();
    const otherCaseKey = await upload(
      otherAuth,
      otherCase,
      otherCase.items[0].materialCode,
      PNG,
      'id.png',
      'image/png',
    );

    await admin('DELETE', '/__admin/stats');
    const cases: [{ materialCode: string; key: string }[], number, string][] = [
      [
        [
          { materialCode: first, key: otherCaseKey },
          { materialCode: second, key: pdfKey },
        ],
        400,
        'UPLOAD_KEY_INVALID',
      ],
      [
        [
          { materialCode: first, key: pdfKey.replace(second, first) },
          { materialCode: second, key: pdfKey },
        ],
        400,
        'UPLOAD_KEY_INVALID',
      ],
      [
        [
          {
            materialCode: first,
            key: `corrections/${kase.acceptNo}/${kase.correctionId}/${first}/../${second}/x.pdf`,
          },
          { materialCode: second, key: pdfKey },
        ],
        400,
        'UPLOAD_KEY_INVALID',
      ],
      [
        [
          {
            materialCode: first,
            key: `corrections/${kase.acceptNo}/${kase.correctionId}/${first}/never-issued.png`,
          },
          { materialCode: second, key: pdfKey },
        ],
        400,
        'UPLOAD_KEY_INVALID',
      ],
      [
        [
          { materialCode: first, key: otherAccountKey },
          { materialCode: second, key: pdfKey },
        ],
        403,
        'UPLOAD_NOT_YOURS',
      ],
      [
        [
          { materialCode: first, key: unused },
          { materialCode: second, key: pdfKey },
        ],
        400,
        'UPLOAD_MISSING',
      ],
      [
        [
          { materialCode: first, key: bigKey },
          { materialCode: second, key: pdfKey },
        ],
        413,
        'UPLOAD_TOO_LARGE',
      ],
      [
        [
          { materialCode: first, key: htmlKey },
          { materialCode: second, key: pdfKey },
        ],
        400,
        'UPLOAD_TYPE_NOT_ALLOWED',
      ],
      [
        [
          { materialCode: first, key: exeKey },
          { materialCode: second, key: pdfKey },
        ],
        400,
        'UPLOAD_CONTENT_MISMATCH',
      ],
      [[{ materialCode: second, key: pdfKey }], 400, 'CORRECTION_INCOMPLETE'],
      [
        [
          { materialCode: first, key: pngKey },
          { materialCode: first, key: pngKey },
          { materialCode: second, key: pdfKey },
        ],
        400,
        'INVALID_INPUT',
      ],
    ];
    for (const [files, status, code] of cases) {
      const refused = await submit(auth, kase, files);
      expect([files.map((f) => f.key.split('/').at(-1)), refused.status, refused.body.error?.code]).toEqual([
        files.map((f) => f.key.split('/').at(-1)),
        status,
        code,
      ]);
      expect(refused.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    const incomplete = await submit(auth, kase, [{ materialCode: second, key: pdfKey }]);
    expect(incomplete.body.error.details).toEqual({ missing: [first] });
    expect(
      (await admin<{ requests: Record<string, number> }>('GET', '/__admin/stats')).requests,
    ).not.toHaveProperty(`POST /api/cases/${kase.acceptNo}/corrections/${kase.correctionId}/submission`);
    expect((await coreCase(kase.acceptNo)).status).toBe('correcting');
    expect(
      await bff.app.db.collection('correction_submissions').countDocuments({ acceptNo: kase.acceptNo }),
    ).toBe(0);
    // A stranger cannot submit to it at all; the owner's right files still go through.
    const [stranger] = await boundCitizens(call, bff.world, 1);
    expect(
      (
        await submit(bearer(stranger.token), kase, [
          { materialCode: first, key: pngKey },
          { materialCode: second, key: pdfKey },
        ])
      ).status,
    ).toBe(404);
    expect(
      (
        await submit(auth, kase, [
          { materialCode: first, key: pngKey },
          { materialCode: second, key: pdfKey },
        ])
      ).body.status,
    ).toBe('reviewing');
  });

  test('after the deadline the notice is expired: no policy, no submission', async () => {
    const { kase, auth } = await citizenInCorrection();
    const [first, second] = kase.items.map((i) => i.materialCode);
    const files = [
      { materialCode: first, key: await upload(auth, kase, first, PNG, 'id.png', 'image/png') },
      { materialCode: second, key: await upload(auth, kase, second, PDF, 'r.pdf', 'application/pdf') },
    ];
    const deadline = Date.parse((await coreCase(kase.acceptNo)).correction.deadline);
    clock.set(deadline + 60_000);
    const view = await call('GET', `/api/v1/cases/${kase.acceptNo}/corrections`, undefined, auth);
    expect(view.body.correction.expired).toBe(true);
    const policy = await policyFor(auth, kase, first, { name: 'a.png', type: 'image/png', size: 10 });
    expect([policy.status, policy.body.error.code]).toEqual([409, 'CORRECTION_EXPIRED']);
    const refused = await submit(auth, kase, files);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'CORRECTION_EXPIRED']);
    expect((await coreCase(kase.acceptNo)).status).toBe('correcting');
  });

  test('concurrent and retried submits give one submission; an answer lost to a timeout is settled by the retry', async () => {
    const { kase, auth } = await citizenInCorrection();
    const [first, second] = kase.items.map((i) => i.materialCode);
    const files = [
      { materialCode: first, key: await upload(auth, kase, first, PNG, 'id.png', 'image/png') },
      { materialCode: second, key: await upload(auth, kase, second, PDF, 'r.pdf', 'application/pdf') },
    ];
    const answers = await Promise.all(Array.from({ length: 10 }, () => submit(auth, kase, files)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(new Set(answers.map((a) => a.body.status))).toEqual(new Set(['reviewing']));
    expect(await reviewTasks(kase.acceptNo)).toHaveLength(2);
    expect(
      (await coreCase(kase.acceptNo)).timeline.filter((t: { note?: string }) => t.note === '补正材料已提交'),
    ).toHaveLength(1);

    // The core system applies the submission but the answer never arrives (slower than the BFF waits, twice).
    const late = await citizenInCorrection();
    const lateFiles = [
      {
        materialCode: late.kase.items[0].materialCode,
        key: await upload(late.auth, late.kase, late.kase.items[0].materialCode, PNG, 'id.png', 'image/png'),
      },
      {
        materialCode: late.kase.items[1].materialCode,
        key: await upload(
          late.auth,
          late.kase,
          late.kase.items[1].materialCode,
          PDF,
          'r.pdf',
          'application/pdf',
        ),
      },
    ];
    await admin('POST', '/__admin/faults', {
      route: 'POST /api/cases/:acceptNo/corrections/:correctionId/submission',
      latencyMs: 1500,
      times: 2,
    });
    const lost = await submit(late.auth, late.kase, lateFiles);
    expect([lost.status, lost.body.error.code]).toEqual([503, 'UPSTREAM_UNAVAILABLE']);
    // The core system applied it after the BFF stopped waiting.
    await until(
      async () => (await coreCase(late.kase.acceptNo)).status === 'reviewing',
      'the core system to apply the late submission',
    );
    const retried = await submit(late.auth, late.kase, lateFiles);
    expect([retried.status, retried.body.status]).toEqual([200, 'reviewing']);
    expect(await reviewTasks(late.kase.acceptNo)).toHaveLength(2);
    expect(
      (await coreCase(late.kase.acceptNo)).timeline.filter(
        (t: { note?: string }) => t.note === '补正材料已提交',
      ),
    ).toHaveLength(1);
  });
});

describe('sweeps', () => {
  test('a submission whose answer was lost is settled by the sweep when the citizen never retries', async () => {
    const { kase, auth } = await citizenInCorrection();
    const files = await Promise.all(
      kase.items.map(async (item, i) => ({
        materialCode: item.materialCode,
        key: await upload(
          auth,
          kase,
          item.materialCode,
          i === 0 ? PNG : PDF,
          i === 0 ? 'a.png' : 'b.pdf',
          i === 0 ? 'image/png' : 'application/pdf',
        ),
      })),
    );
    await admin('POST', '/__admin/faults', {
      route: 'POST /api/cases/:acceptNo/corrections/:correctionId/submission',
      latencyMs: 1500,
      times: 2,
    });
    expect((await submit(auth, kase, files)).status).toBe(503);
    const submissions = bff.app.db.collection('correction_submissions');
    expect(await submissions.findOne({ acceptNo: kase.acceptNo })).toEqual(
      expect.objectContaining({ state: 'sending' }),
    );
    await until(
      async () => (await coreCase(kase.acceptNo)).status === 'reviewing',
      'the core system to apply the unanswered submission',
    );
    clock.advance(61_000);
    await until(
      async () => (await submissions.findOne({ acceptNo: kase.acceptNo }))?.state === 'submitted',
      'the sweep to settle the submission',
    );
    expect(await reviewTasks(kase.acceptNo)).toHaveLength(2);
    expect(
      (
        await bff.app.db
          .collection('correction_uploads')
          .find({ key: { $in: files.map((f) => f.key) } })
          .toArray()
      ).map((u) => u.state),
    ).toEqual(['submitted', 'submitted']);
  });

  test('uploads never submitted are deleted from OSS after the grace period; submitted ones stay', async () => {
    const { kase, auth } = await citizenInCorrection();
    const [first, second] = kase.items.map((i) => i.materialCode);
    const replaced = await upload(auth, kase, first, PNG, 'blurry.png', 'image/png');
    const files = [
      { materialCode: first, key: await upload(auth, kase, first, PNG, 'sharp.png', 'image/png') },
      { materialCode: second, key: await upload(auth, kase, second, PDF, 'r.pdf', 'application/pdf') },
    ];
    const neverUploaded = (
      await policyFor(auth, kase, second, { name: 'x.pdf', type: 'application/pdf', size: 100 })
    ).body.key;
    const sentinel = await upload(auth, kase, second, PDF, 'old.pdf', 'application/pdf');
    expect((await submit(auth, kase, files)).status).toBe(200);
    // Within the grace period nothing goes: a sentinel upload dated past the grace period is
    // deleted by a sweep, and that same sweep left the young orphan alone.
    const uploads = bff.app.db.collection('correction_uploads');
    await uploads.updateOne({ key: sentinel }, { $set: { createdAt: new Date(Date.now() - 2 * 3600_000) } });
    await until(
      async () => (await uploads.findOne({ key: sentinel }))?.state === 'deleted',
      'a sweep to delete the old sentinel',
    );
    expect((await oss.head(replaced)).res.status).toBe(200);
    clock.advance(3600_000 + 60_000);
    await until(
      async () =>
        (await uploads.countDocuments({ key: { $in: [replaced, neverUploaded] }, state: 'deleted' })) === 2,
      'the sweep to delete the orphans',
    );
    await expect(oss.head(replaced)).rejects.toMatchObject({ status: 404 });
    for (const file of files) expect((await oss.head(file.key)).res.status).toBe(200);
    expect(
      (await uploads.find({ key: { $in: files.map((f) => f.key) } }).toArray()).map((u) => u.state),
    ).toEqual(['submitted', 'submitted']);
  });
});
