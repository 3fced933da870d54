// The catalogue cached from the core system: one document per hall and per item, plus a
// marker saying when the last full refresh finished.
import { Schema, type Connection, type Model } from 'mongoose';
import { HALL_LEVELS, type Hall, type Item } from '@onewindow/shared-types';

export interface CachedHall extends Hall {
  refreshId: string;
}

export interface CachedItem extends Item {
  refreshId: string;
  /** Lower-cased name, code and keywords: what `q` matches. */
  searchText: string;
}

export interface CatalogueState {
  _id: 'catalogue';
  refreshId: string;
  refreshedAt: Date;
}

const hallSchema = new Schema<CachedHall>(
  {
    id: { type: String, required: true, unique: true },
    level: { type: String, enum: HALL_LEVELS, required: true, index: true },
    parentId: { type: String, index: true },
    refreshId: String,
  },
  { strict: false, versionKey: false },
);

const itemSchema = new Schema<CachedItem>(
  {
    code: { type: String, required: true, unique: true },
    name: String,
    departmentCode: { type: String, index: true },
    themes: { type: [String], index: true },
    hallIds: { type: [String], index: true },
    searchText: String,
    refreshId: String,
  },
  { strict: false, versionKey: false },
);

const stateSchema = new Schema<CatalogueState>(
  { _id: String, refreshId: String, refreshedAt: Date },
  { versionKey: false },
);

export interface CatalogueModels {
  Hall: Model<CachedHall>;
  Item: Model<CachedItem>;
  State: Model<CatalogueState>;
}

export function catalogueModels(db: Connection): CatalogueModels {
  return {
    Hall: db.model<CachedHall>('CatalogueHall', hallSchema, 'catalogue_halls'),
    Item: db.model<CachedItem>('CatalogueItem', itemSchema, 'catalogue_items'),
    State: db.model<CatalogueState>('CatalogueState', stateSchema, 'catalogue_state'),
  };
}
