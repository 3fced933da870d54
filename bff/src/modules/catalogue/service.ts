// Serves halls and items from the MongoDB copy of the core system's catalogue. The copy is
// refreshed on a schedule and on demand; when the core system is down it is still served,
// marked stale, with the time it was taken.
import { randomUUID } from 'node:crypto';
import type { Hall, HallListQuery, Item, ItemSearchQuery, ItemSummary } from '@onewindow/shared-types';
import type { AccessClaims } from '../../plugins/auth';
import type { CoreClient } from '../../plugins/core-client';
import { AppError } from '../../errors';
import type { CatalogueModels } from './model';
import { synonymsOf } from './synonyms';

export interface CacheInfo {
  cachedAt: string;
  stale: boolean;
}

/** Long enough to open the link from the guide, short enough that a shared link soon stops working. */
const SAMPLE_URL_TTL_SECONDS = 600;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function searchTextOf(item: Item): string {
  return [item.name, item.code, ...item.keywords, ...item.themes, item.department].join(' ').toLowerCase();
}

/** A supervisor's reach; absent fields do not narrow it. */
export interface Jurisdiction {
  district?: string;
  departmentCode?: string;
  hallId?: string;
}

export class CatalogueService {
  private refreshing: Promise<void> | null = null;
  /** The copy's state, read at most once a second: every request needs it, it changes every few minutes. */
  private known: { info: CacheInfo; until: number } | null = null;

  constructor(
    private readonly models: CatalogueModels,
    private readonly core: CoreClient,
    private readonly maxAgeMs: number,
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
    this.known = null;
    return this.cache();
  }

  private async takeCopy(): Promise<void> {
    const [{ halls }, { items }] = await Promise.all([this.core.call<{ halls: Hall[] }>('GET', '/api/halls'), this.core.call<{ items: Item[] }>('GET', '/api/items')]);
    const refreshId = randomUUID();
    // Upsert everything under a new refresh id, then drop what the core system no longer lists:
    // readers see the old or the new entry for each key, never an empty catalogue.
    await this.models.Hall.bulkWrite(halls.map((hall) => ({ replaceOne: { filter: { id: hall.id }, replacement: { ...hall, refreshId }, upsert: true } })));
    await this.models.Item.bulkWrite(items.map((item) => ({ replaceOne: { filter: { code: item.code }, replacement: { ...item, searchText: searchTextOf(item), refreshId }, upsert: true } })));
    await Promise.all([this.models.Hall.deleteMany({ refreshId: { $ne: refreshId } }), this.models.Item.deleteMany({ refreshId: { $ne: refreshId } })]);
    await this.models.State.updateOne({ _id: 'catalogue' }, { $set: { refreshId, refreshedAt: new Date() } }, { upsert: true });
  }

  private async cache(): Promise<CacheInfo> {
    if (this.known && Date.now() < this.known.until) return this.known.info;
    const info = await this.checkCopy();
    this.known = { info, until: Date.now() + 1000 };
    return info;
  }

  /** Makes sure a copy exists; refreshes an old one when the core system answers, else serves it stale. */
  private async checkCopy(): Promise<CacheInfo> {
    let state = await this.models.State.findById('catalogue').lean();
    const age = state ? Date.now() - state.refreshedAt.getTime() : Infinity;
    if (age > this.maxAgeMs) {
      try {
        await this.refresh();
        state = await this.models.State.findById('catalogue').lean();
      } catch (error) {
        if (!state) throw error instanceof AppError ? error : new AppError('UPSTREAM_UNAVAILABLE');
        return { cachedAt: state.refreshedAt.toISOString(), stale: true };
      }
    }
    return { cachedAt: state!.refreshedAt.toISOString(), stale: false };
  }

  async halls(query: HallListQuery): Promise<{ halls: Hall[]; cache: CacheInfo }> {
    const cache = await this.cache();
    const filter: Record<string, string> = {};
    if (query.level) filter.level = query.level;
    if (query.parentId) filter.parentId = query.parentId;
    const halls = await this.models.Hall.find(filter, { _id: 0, refreshId: 0 }).sort({ id: 1 }).lean<Hall[]>();
    return { halls, cache };
  }

  async hall(id: string): Promise<{ hall: Hall; cache: CacheInfo }> {
    const cache = await this.cache();
    const hall = await this.models.Hall.findOne({ id }, { _id: 0, refreshId: 0 }).lean<Hall>();
    if (!hall) throw new AppError('NOT_FOUND', '服务大厅不存在');
    return { hall, cache };
  }

  async search(query: ItemSearchQuery) {
    const cache = await this.cache();
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const filter: Record<string, unknown> = {};
    // Every term must match (name, code, keyword, theme or department); input is escaped, never a pattern.
    const terms = (query.q ?? '').trim().toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5);
    if (terms.length > 0) filter.$and = terms.map((t) => ({ $or: synonymsOf(t).map((word) => ({ searchText: { $regex: escapeRegex(word) } })) }));
    if (query.hallId) filter.hallIds = query.hallId;
    if (query.department) filter.departmentCode = query.department;
    if (query.theme) filter.themes = query.theme;
    const [items, total] = await Promise.all([
      this.models.Item.find(filter, { _id: 0, code: 1, name: 1, department: 1, departmentCode: 1, themes: 1, category: 1, approvalType: 1, promisedDays: 1, visits: 1, bookable: 1 })
        .sort({ code: 1 })
        .skip((page - 1) * pageSize)
        .limit(pageSize)
        .lean<ItemSummary[]>(),
      this.models.Item.countDocuments(filter),
    ]);
    return { items, total, page, pageSize, cache };
  }

  /**
   * What a supervisor may oversee, as fields to match on: a district centre's supervisor the
   * district's halls, a department's supervisor the department's. A hall or department asked
   * for outside that is 403; anyone else without a hall or department is 403.
   */
  async jurisdiction(staff: AccessClaims, query: { hallId?: string; departmentCode?: string }): Promise<Jurisdiction> {
    const scope: Jurisdiction = {};
    if (staff.hallId) {
      const { hall } = await this.hall(staff.hallId);
      scope.district = hall.district;
      if (query.hallId) {
        const asked = await this.hall(query.hallId).then((h) => h.hall, () => null);
        if (!asked || asked.district !== hall.district) throw new AppError('FORBIDDEN', '只能查看本辖区的数据');
        scope.hallId = query.hallId;
      }
      if (query.departmentCode) scope.departmentCode = query.departmentCode;
    } else if (staff.departmentCode) {
      if (query.departmentCode && query.departmentCode !== staff.departmentCode) throw new AppError('FORBIDDEN', '只能查看本部门的数据');
      scope.departmentCode = staff.departmentCode;
      if (query.hallId) scope.hallId = query.hallId;
    } else {
      throw new AppError('FORBIDDEN');
    }
    return scope;
  }

  async item(code: string): Promise<{ item: Item; cache: CacheInfo }> {
    const cache = await this.cache();
    const item = await this.models.Item.findOne({ code }, { _id: 0, refreshId: 0, searchText: 0 }).lean<Item>();
    if (!item) throw new AppError('NOT_FOUND', '事项不存在');
    return { item, cache };
  }

  /**
   * A short-lived link to a material's sample form (样表) as a PDF: the core system keeps the
   * forms in object storage under `samples/<item>/<material>.pdf`; the link is signed so the
   * bucket stays private.
   */
  async sampleForm(code: string, materialCode: string): Promise<{ url: string; fileName: string; expiresInSeconds: number }> {
    const { item } = await this.item(code);
    const material = item.materials.find((m) => m.code === materialCode);
    if (!material?.sample || !this.oss) throw new AppError('NOT_FOUND', '该材料没有样表');
    const fileName = `${material.sample.replace(/\.[A-Za-z0-9]+$/, '')}.pdf`;
    return { url: this.oss.signedUrl(`samples/${item.code}/${material.code}.pdf`, SAMPLE_URL_TTL_SECONDS), fileName, expiresInSeconds: SAMPLE_URL_TTL_SECONDS };
  }
}
