import type { CollectionModel, RecordModel } from 'pocketbase';
import type { FieldModel } from '../lib/field-types';

/** What every record input receives; the value itself is the component's v-model. */
export interface InputProps {
  field: FieldModel;
  collection: CollectionModel;
  record: RecordModel | null;
  error?: string;
}
