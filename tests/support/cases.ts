// Cases in a chosen state, made the way the core system's own workflow makes them: accepted at a
// window, moved into review, and returned for correction by the assigned approver.
import type { World } from '@onewindow/mock';
import { coreAdmin, coreCaller } from './core-client';

export interface CorrectionCase {
  acceptNo: string;
  correctionId: string;
  items: { materialCode: string; name: string; reason: string; required: boolean }[];
}

/** A new case for the resident, returned for correction of `deficiencies` of its item's materials. */
export async function caseInCorrection(
  world: World,
  idNumber: string,
  deficiencies = 2,
): Promise<CorrectionCase> {
  const call = coreCaller(world.core);
  const admin = coreAdmin(world.core);
  const { items } = (
    await call<{
      items: {
        code: string;
        promisedDays: number;
        hallIds: string[];
        materials: { code: string; required: boolean }[];
      }[];
    }>('GET', '/api/items')
  ).body;
  const item = items.find(
    (i) =>
      i.promisedDays > 0 &&
      i.materials.filter((m) => m.required).length >= deficiencies &&
      i.hallIds.length > 0,
  )!;
  const accepted = await admin<{ acceptNo: string }>('POST', '/__admin/cases', {
    idNumber,
    itemCode: item.code,
    hallId: item.hallIds[0],
  });
  await admin('POST', `/__admin/cases/${accepted.acceptNo}/review`);
  const { tasks } = await admin<{
    tasks: { id: string; acceptNo: string; approverId: string; version: number; status: string }[];
  }>('GET', '/__admin/tasks');
  const task = tasks.find((t) => t.acceptNo === accepted.acceptNo && t.status === 'open')!;
  const materials = item.materials.filter((m) => m.required).slice(0, deficiencies);
  const decided = await call('POST', `/api/tasks/${task.id}/decision`, {
    decision: 'return',
    opinion: '材料不全，请补正',
    deficiencies: materials.map((m, i) => ({
      materialCode: m.code,
      reason: i === 0 ? '照片模糊，无法辨认' : '缺少盖章页',
    })),
    version: task.version,
    approverId: task.approverId,
    idempotencyKey: `return-${accepted.acceptNo}`,
  });
  if (decided.status !== 200)
    throw new Error(`return for correction → ${decided.status} ${JSON.stringify(decided.body)}`);
  const correction = decided.body.case.correction;
  return { acceptNo: accepted.acceptNo, correctionId: correction.id, items: correction.items };
}
