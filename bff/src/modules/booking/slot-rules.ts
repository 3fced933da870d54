// How each queue category's day is cut into bookable slots. Configuration in a real centre;
// here defaults with per-category overrides (不动产 cases take longer, so fewer, longer slots).
import type { Static } from '@sinclair/typebox';
import type { Hall, SlotKind } from '@onewindow/shared-types';
import { LUNCH_BREAK, minutes } from '@onewindow/shared-types/hall-hours';

export type Kind = Static<typeof SlotKind>;

export interface SlotRules {
  slotMinutes: number;
  capacity: Record<Kind, number>;
  /** How many days ahead can be booked, today included. */
  horizonDays: number;
  /** No booking, cancelling or rescheduling closer than this to the start. */
  cutoffMinutes: number;
}

export const DEFAULT_RULES: SlotRules = {
  slotMinutes: 30,
  capacity: { regular: 10, lunch: 4, evening: 6, weekend: 8 },
  horizonDays: 7,
  cutoffMinutes: 30,
};

const CATEGORY_RULES: Record<string, Partial<SlotRules>> = {
  BDC: { slotMinutes: 60, capacity: { regular: 6, lunch: 2, evening: 3, weekend: 4 } },
};

export function rulesFor(category: string): SlotRules {
  return { ...DEFAULT_RULES, ...CATEGORY_RULES[category] };
}

export interface SlotTemplate {
  start: string; // HH:mm
  end: string;
  kind: Kind;
}

function hhmm(total: number): string {
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

function cut(from: string, to: string, length: number, kind: Kind): SlotTemplate[] {
  const slots: SlotTemplate[] = [];
  for (let t = minutes(from); t + length <= minutes(to); t += length)
    slots.push({ start: hhmm(t), end: hhmm(t + length), kind });
  return slots;
}

/** The slots a hall offers on a day of the week (1 = Monday), before capacity and cut-off. */
export function daySlots(hall: Hall, isoWeekday: number, rules: SlotRules): SlotTemplate[] {
  const { hours } = hall;
  const slots: SlotTemplate[] = [];
  if (isoWeekday <= 5) {
    const lunchStart = minutes(LUNCH_BREAK.start);
    const lunchEnd = minutes(LUNCH_BREAK.end);
    for (const slot of cut(hours.weekday.open, hours.weekday.close, rules.slotMinutes, 'regular')) {
      const inLunch = minutes(slot.start) < lunchEnd && minutes(slot.end) > lunchStart;
      if (!inLunch) slots.push(slot);
      else if (hours.weekday.lunch) slots.push({ ...slot, kind: 'lunch' });
    }
    if (hours.evening?.days.includes(isoWeekday))
      slots.push(...cut(hours.evening.start, hours.evening.end, rules.slotMinutes, 'evening'));
  }
  if (hours.weekend?.days.includes(isoWeekday))
    slots.push(...cut(hours.weekend.open, hours.weekend.close, rules.slotMinutes, 'weekend'));
  return slots;
}
