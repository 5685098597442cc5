import type { Component } from 'vue';
import AutodateOptions from './AutodateOptions.vue';
import DateOptions from './DateOptions.vue';
import DomainsOptions from './DomainsOptions.vue';
import EditorOptions from './EditorOptions.vue';
import FileOptions from './FileOptions.vue';
import JsonOptions from './JsonOptions.vue';
import NoOptions from './NoOptions.vue';
import NumberOptions from './NumberOptions.vue';
import PasswordOptions from './PasswordOptions.vue';
import RelationOptions from './RelationOptions.vue';
import SelectOptions from './SelectOptions.vue';
import TextOptions from './TextOptions.vue';

/** The options form of each field type (the UI mirror of libs/schema's field kinds). */
export const FIELD_OPTIONS: Record<string, Component> = {
  text: TextOptions,
  editor: EditorOptions,
  number: NumberOptions,
  bool: NoOptions,
  email: DomainsOptions,
  url: DomainsOptions,
  date: DateOptions,
  autodate: AutodateOptions,
  select: SelectOptions,
  file: FileOptions,
  relation: RelationOptions,
  json: JsonOptions,
  geoPoint: NoOptions,
  password: PasswordOptions,
};
