// The one working-day calendar both the BFF and the core simulator count deadlines with.
import { WorkingCalendar } from '@onewindow/shared-types/working-days';

const at = (shanghai: string) => new Date(`${shanghai}+08:00`);

describe('the working-day calendar shared by the BFF and the core simulator', () => {
  const calendar = new WorkingCalendar();

  it('skips the National Day holiday and counts its make-up Saturday', () => {
    // Accepted Tue 2026-09-29: Wed 30 Sep is day 1; 1–7 Oct are off (the 3rd/4th a weekend);
    // Thu 8 Oct is day 2, Fri 9 day 3, and Sat 10 Oct, a make-up working day, day 4.
    expect(calendar.deadline(at('2026-09-29T10:00:00'), 4).toISOString()).toBe(
      at('2026-10-11T00:00:00').toISOString(),
    );
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true);
    expect(calendar.isWorkingDay('2026-10-05')).toBe(false);
    expect(calendar.isWorkingDay('2026-11-28')).toBe(false);
  });

  it('counts the working days begun between two instants', () => {
    // Fri 27 Nov → Wed 2 Dec: Mon 30 Nov, Tue 1 Dec, Wed 2 Dec.
    expect(calendar.between(at('2026-11-27T09:00:00'), at('2026-12-02T09:00:00'))).toBe(3);
  });

  it('steps back over weekends and holidays to seed a case of a given age', () => {
    // Three working days before Tue 2026-10-13 10:00: Mon 12, Sat 10 (make-up), Fri 9.
    expect(calendar.before(at('2026-10-13T10:00:00'), 3).toISOString()).toBe(
      at('2026-10-09T10:00:00').toISOString(),
    );
  });

  it('turns yellow at the share of promised days used and red once due', () => {
    const accepted = at('2026-11-23T09:00:00');
    const due = calendar.deadline(accepted, 5); // end of Mon 30 Nov
    expect(calendar.warning(accepted, due, 5, at('2026-11-25T09:00:00'), 0.8)).toBe('green');
    expect(calendar.warning(accepted, due, 5, at('2026-11-27T09:00:00'), 0.8)).toBe('yellow');
    expect(calendar.warning(accepted, due, 5, at('2026-12-01T00:00:00'), 0.8)).toBe('red');
  });

  it('follows a schedule given by configuration instead of the default', () => {
    const custom = new WorkingCalendar(['2026-12-01'], ['2026-12-05']);
    expect(custom.isWorkingDay('2026-12-01')).toBe(false);
    expect(custom.isWorkingDay('2026-12-05')).toBe(true);
  });
});
