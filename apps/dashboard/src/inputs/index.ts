import { defineAsyncComponent, type Component } from 'vue';
import AutodateInput from './AutodateInput.vue';
import BoolInput from './BoolInput.vue';
import DateInput from './DateInput.vue';
import EmailInput from './EmailInput.vue';
import FileInput from './FileInput.vue';
import GeoPointInput from './GeoPointInput.vue';
import NumberInput from './NumberInput.vue';
import PasswordInput from './PasswordInput.vue';
import RelationInput from './RelationInput.vue';
import SelectInput from './SelectInput.vue';
import TextInput from './TextInput.vue';
import UrlInput from './UrlInput.vue';

/** The record input of each field type; the heavy editors (rich text, JSON) load on first use. */
export const FIELD_INPUTS: Record<string, Component> = {
  text: TextInput,
  editor: defineAsyncComponent(() => import('./EditorInput.vue')),
  number: NumberInput,
  bool: BoolInput,
  email: EmailInput,
  url: UrlInput,
  date: DateInput,
  autodate: AutodateInput,
  select: SelectInput,
  file: FileInput,
  relation: RelationInput,
  json: defineAsyncComponent(() => import('./JsonInput.vue')),
  geoPoint: GeoPointInput,
  password: PasswordInput,
};
