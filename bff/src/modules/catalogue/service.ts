// Serves halls and items from an in-memory copy of the core system's catalogue, kept in each
// BFF process, so a catalogue read costs no database round trip. The copy of record is in
// MongoDB: refreshed on a schedule (one instance, by lease) and on demand; its state document
// names the refresh. Each process looks at that document at most once a second, in the
// background of the request that finds the last look older than that, and loads the copy again
// when another instance refreshed it. When the core system is down the copy is still served,
// marked stale, with the time it was taken.
import { randomUUID } from 'node:crypto';
import { ITEM_SUMMARY_FIELDS } from '@onewindow/shared-types';
import type { Hall, HallListQuery, Item, ItemSearchQuery, ItemSummary } from '@onewindow/shared-types';
import type { AccessClaims } from '../../plugins/auth';
import type { CoreClient } from '../../plugins/core-client';
import { AppError } from '../../errors';
import type { CatalogueModels, CatalogueState } from './model';
import { synonymsOf } from './synonyms';

export interface CacheInfo {
  cachedAt: string;
  stale: boolean;
}

/** Long enough to open the link from the guide, short enough that a shared link soon stops working. */
const SAMPLE_URL_TTL_SECONDS = 600;
/** How often a process looks at the stored copy's state (one point read; only while requests arrive). */
const CHECK_EVERY_MS = 1000;

function searchTextOf(item: Item): string {
  return [item.name, item.code, ...item.keywords, ...item.themes, item.department].join(' ').toLowerCase();
}

function summaryOf(item: Item): ItemSummary {
  const summary: Record<string, unknown> = {};
  for (const field of ITEM_SUMMARY_FIELDS) if (item[field] !== undefined) summary[field] = item[field];
  return summary as ItemSummary;
}

/** Every reader shares the copy's objects: a caller that changed one would change it for all, so it cannot. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const byKey =
  <T>(key: (t: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

interface CatalogueEntry {
  item: Item;
  summary: ItemSummary;
  /** Lower-cased name, code, keywords, themes and department: what `q` matches. */
  searchText: string;
}

/** One refresh of the catalogue, in memory: halls by id, items by code, both in their listing order. */
interface MemoryCopy {
  refreshId: string;
  refreshedAt: Date;
  halls: readonly Hall[];
  hallsById: ReadonlyMap<string, Hall>;
  entries: readonly CatalogueEntry[];
  entriesByCode: ReadonlyMap<string, CatalogueEntry>;
}

function memoryCopy(refreshId: string, refreshedAt: Date, halls: Hall[], items: Item[]): MemoryCopy {
  const sortedHalls = deepFreeze([...halls].sort(byKey((h) => h.id)));
  const entries = [...items]
    .sort(byKey((i) => i.code))
    .map((item) => deepFreeze({ item, summary: summaryOf(item), searchText: searchTextOf(item) }));
  return {
    refreshId,
    refreshedAt,
    halls: sortedHalls,
    hallsById: new Map(sortedHalls.map((h) => [h.id, h])),
    entries,
    entriesByCode: new Map(entries.map((e) => [e.item.code, e])),
  };
}

/** A supervisor's reach; absent fields do not narrow it. */
export interface Jurisdiction {
  district?: string;
  departmentCode?: string;
  hallId?: string;
}

export class CatalogueService {
  private refreshing: Promise<void> | null = null;
  private copy: MemoryCopy | null = null;
  /** Whether the last attempt to refresh an old copy failed (the core system is down). */
  private stale = false;
  private checkedAt = 0;
  private checking: Promise<void> | null = null;

  // The copy's age (refreshedAt, and the age checked against maxAgeMs) runs on the injected clock,
  // like every business time: both ends are stamped by it, so a demo clock moves them together.
  // Only the throttle on this process's own looks (checkedAt) keeps the real clock.
  constructor(
    private readonly models: CatalogueModels,
    private readonly core: CoreClient,
    private readonly maxAgeMs: number,
    private readonly now: () => Date,
    private readonly oss?: { signedUrl(key: string, ttlSeconds: number): string },
  ) {}

  /** Takes a fresh copy; concurrent callers share one refresh (single-flight). */
  refresh(): Promise<void> {
    this.refreshing ??= this.takeCopy().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  async refreshNow(): Promise<CacheInfo> {
    await this.refresh();
    return this.info();
  }

  private async takeCopy(): Promise<void> {
    const [{ halls }, { items }] = await Promise.all([
      this.core.call<{ halls: Hall[] }>('GET', '/api/halls'),
      this.core.call<{ items: Item[] }>('GET', '/api/items'),
    ]);
    const refreshId = randomUUID();
    // Upsert everything under a new refresh id, then drop what the core system no longer lists:
    // readers see the old or the new entry for each key, never an empty catalogue.
    await this.models.Hall.bulkWrite(
      halls.map((hall) => ({
        replaceOne: { filter: { id: hall.id }, replacement: { ...hall, refreshId }, upsert: true },
      })),
    );
    await this.models.Item.bulkWrite(
      items.map((item) => ({
        replaceOne: {
          filter: { code: item.code },
          replacement: { ...item, searchText: searchTextOf(item), refreshId },
          upsert: true,
        },
      })),
    );
    await Promise.all([
      this.models.Hall.deleteMany({ refreshId: { $ne: refreshId } }),
      this.models.Item.deleteMany({ refreshId: { $ne: refreshId } }),
    ]);
    // The state changes last: other instances load the copy when they see its new refresh id.
    const refreshedAt = this.now();
    await this.models.State.updateOne(
      { _id: 'catalogue' },
      { $set: { refreshId, refreshedAt } },
      { upsert: true },
    );
    this.copy = memoryCopy(refreshId, refreshedAt, halls, items);
    this.stale = false;
    this.checkedAt = Date.now();
  }

  /**
   * What every public answer of the catalogue is a function of (besides its URL): the copy in
   * memory, its recorded time and whether it is stale. Reading it keeps the copy current, as
   * any read does.
   */
  async version(): Promise<string> {
    const { copy, cache } = await this.current();
    return `${copy.refreshId}|${cache.cachedAt}|${cache.stale ? 1 : 0}`;
  }

  private info(): CacheInfo {
    return { cachedAt: this.copy!.refreshedAt.toISOString(), stale: this.stale };
  }

  /**
   * The copy in memory. The first read of a process waits for it; after that a read never waits:
   * when the last look at the stored state is over a second old, it starts another look behind
   * the answer (its failure is the next look's to repair).
   */
  private async current(): Promise<{ copy: MemoryCopy; cache: CacheInfo }> {
    if (!this.copy) await this.check();
    // A throttle on this process's own looks, not a business time: the real clock.
    else if (Date.now() - this.checkedAt >= CHECK_EVERY_MS) this.check().catch(() => undefined);
    return { copy: this.copy!, cache: this.info() };
  }

  private check(): Promise<void> {
    this.checking ??= this.checkNow().finally(() => {
      this.checking = null;
      this.checkedAt = Date.now();
    });
    return this.checking;
  }

  /** Makes sure a copy exists; refreshes an old one when the core system answers, else serves it stale; loads another instance's refresh. */
  private async checkNow(): Promise<void> {
    const state = await this.models.State.findById('catalogue').lean<CatalogueState>();
    const age = state ? this.now().getTime() - state.refreshedAt.getTime() : Infinity;
    if (age > this.maxAgeMs) {
      try {
        await this.refresh();
        return;
      } catch (error) {
        if (!state) throw error instanceof AppError ? error : new AppError('UPSTREAM_UNAVAILABLE');
        this.stale = true;
      }
    } else {
      this.stale = false;
    }
    if (this.copy?.refreshId === state!.refreshId) {
      // Same refresh; only its recorded time moved (an operator, or a test ageing the copy).
      this.copy = { ...this.copy, refreshedAt: state!.refreshedAt };
      return;
    }
    const [halls, items] = await Promise.all([
      this.models.Hall.find({}, { _id: 0, refreshId: 0 }).lean<Hall[]>(),
      this.models.Item.find({}, { _id: 0, refreshId: 0, searchText: 0 }).lean<Item[]>(),
    ]);
    // The stored state is the truth: a load that raced this process's own refresh is replaced at the next look.
    this.copy = memoryCopy(state!.refreshId, state!.refreshedAt, halls, items);
  }

  async halls(query: HallListQuery): Promise<{ halls: Hall[]; cache: CacheInfo }> {
    const { copy, cache } = await this.current();
    const halls = copy.halls.filter(
      (h) => (!query.level || h.level === query.level) && (!query.parentId || h.parentId === query.parentId),
    );
    return { halls, cache };
  }

  async hall(id: string): Promise<{ hall: Hall; cache: CacheInfo }> {
    const { copy, cache } = await this.current();
    const hall = copy.hallsById.get(id);
    if (!hall) throw new AppError('NOT_FOUND', '服务大厅不存在');
    return { hall, cache };
  }

  async search(query: ItemSearchQuery) {
    const { copy, cache } = await this.current();
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    // Every term must match (name, code, keyword, theme or department), one of its synonyms
    // anywhere in the text; input is matched literally, never as a pattern.
    const terms = (query.q ?? '')
      .trim()
      .toLowerCase()
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 5)
      .map(synonymsOf);
    const found = copy.entries.filter(
      ({ item, searchText }) =>
        (!query.hallId || item.hallIds.includes(query.hallId)) &&
        (!query.department || item.departmentCode === query.department) &&
        (!query.theme || item.themes.includes(query.theme)) &&
        terms.every((words) => words.some((word) => searchText.includes(word))),
    );
    const items = found.slice((page - 1) * pageSize, page * pageSize).map((e) => e.summary);
    return { items, total: found.length, page, pageSize, cache };
  }

  /**
   * What a supervisor may oversee, as fields to match on: a district centre's supervisor the
   * district's halls, a department's supervisor the department's. A hall or department asked
   * for outside that is 403; anyone else without a hall or department is 403.
   */
  async jurisdiction(
    staff: AccessClaims,
    query: { hallId?: string; departmentCode?: string },
  ): Promise<Jurisdiction> {
    const scope: Jurisdiction = {};
    if (staff.hallId) {
      const { hall } = await this.hall(staff.hallId);
      scope.district = hall.district;
      if (query.hallId) {
        const asked = await this.hall(query.hallId).then(
          (h) => h.hall,
          () => null,
        );
        if (!asked || asked.district !== hall.district)
          throw new AppError('FORBIDDEN', '只能查看本辖区的数据');
        scope.hallId = query.hallId;
      }
      if (query.departmentCode) scope.departmentCode = query.departmentCode;
    } else if (staff.departmentCode) {
      if (query.departmentCode && query.departmentCode !== staff.departmentCode)
        throw new AppError('FORBIDDEN', '只能查看本部门的数据');
      scope.departmentCode = staff.departmentCode;
      if (query.hallId) scope.hallId = query.hallId;
    } else {
      throw new AppError('FORBIDDEN');
    }
    return scope;
  }

  async item(code: string): Promise<{ item: Item; cache: CacheInfo }> {
    const { copy, cache } = await this.current();
    const entry = copy.entriesByCode.get(code);
    if (!entry) throw new AppError('NOT_FOUND', '事项不存在');
    return { item: entry.item, cache };
  }

  /**
   * A short-lived link to a material's sample form (样表) as a PDF: the core system keeps the
   * forms in object storage under `samples/<item>/<material>.pdf`; the link is signed so the
   * bucket stays private.
   */
  async sampleForm(
    code: string,
    materialCode: string,
  ): Promise<{ url: string; fileName: string; expiresInSeconds: number }> {
    const { item } = await this.item(code);
    const material = item.materials.find((m) => m.code === materialCode);
    if (!material?.sample || !this.oss) throw new AppError('NOT_FOUND', '该材料没有样表');
    const fileName = `${material.sample.replace(/\.[A-Za-z0-9]+$/, '')}.pdf`;
    return {
      url: this.oss.signedUrl(`samples/${item.code}/${material.code}.pdf`, SAMPLE_URL_TTL_SECONDS),
      fileName,
      expiresInSeconds: SAMPLE_URL_TTL_SECONDS,
    };
  }
}
