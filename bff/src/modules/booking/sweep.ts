// The booking's timed sweep: mark missed bookings (no-shows), and remind citizens the day before
// and the hour before, through the shared notifier.
import type { Notice, Notifier } from '../messages';
import { shanghaiClock } from '@onewindow/shared-types/shanghai-time';
import { thing } from '../messages';
import type { AppointmentDoc } from './model';
import type { BookingService } from './service';

export function reminderNotice(appointment: AppointmentDoc, which: 'dayBefore' | 'hourBefore'): Notice {
  const when = shanghaiClock(appointment.start);
  const lead = which === 'dayBefore' ? '明天' : '1小时后';
  return {
    userId: appointment.userId,
    kind: 'booking_reminder',
    title: `预约提醒：${lead}办理${appointment.itemName}`,
    body: `您预约了${when}在${appointment.hallName}办理「${appointment.itemName}」，预约码 ${appointment.bookingCode}。请带齐材料，开始前30分钟起可在手机上签到取号。`,
    link: `/packages/booking/detail?id=${String(appointment._id)}`,
    // The start is part of the key: a rescheduled booking is reminded again for its new time.
    dedupeKey: `booking:${String(appointment._id)}:${which}:${appointment.start.toISOString()}`,
    push: {
      template: 'bookingReminder',
      data: {
        thing1: thing(appointment.itemName),
        thing2: thing(appointment.hallName),
        time3: when,
        character_string4: appointment.bookingCode,
        thing5: thing(`${lead}办事，请带齐材料`),
      },
      page: `packages/booking/detail?id=${String(appointment._id)}`,
    },
  };
}

export async function runBookingSweep(service: BookingService, notifier: Notifier): Promise<void> {
  await service.markMissed();
  for (const which of ['dayBefore', 'hourBefore'] as const) {
    for (let due = await service.claimReminder(which); due; due = await service.claimReminder(which))
      await notifier.notify(reminderNotice(due, which));
  }
}
