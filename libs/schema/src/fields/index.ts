import type { FieldType } from '../collection.model';
import type { FieldKind } from './field-kind';
import { autodateKind, dateKind, editorKind, emailKind, passwordKind, textKind, urlKind } from './text-kinds';
import { boolKind, fileKind, geoPointKind, jsonKind, numberKind, relationKind, selectKind } from './value-kinds';

export const FIELD_KINDS: Readonly<Record<FieldType, FieldKind>> = {
  text: textKind,
  number: numberKind,
  bool: boolKind,
  email: emailKind,
  url: urlKind,
  editor: editorKind,
  date: dateKind,
  autodate: autodateKind,
  select: selectKind,
  json: jsonKind,
  relation: relationKind,
  file: fileKind,
  password: passwordKind,
  geoPoint: geoPointKind,
};

export function isFieldType(type: unknown): type is FieldType {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(FIELD_KINDS, type);
}
