// Validates Kubernetes objects two ways with `kubernetes-models` (the API's OpenAPI schemas, generated):
// - its runtime validators (ajv): required fields, types, formats, enums;
// - its type declarations, through the TypeScript compiler: each object becomes a typed object literal, so
//   excess-property checks reject unknown fields at any depth (a typo such as `readinesProbe`), which the
//   runtime schemas let through.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as ts from 'typescript';

import { K8sObject, ROOT } from './deploy-files';

const load = createRequire(join(ROOT, 'package.json'));

interface Model {
  validate(): void;
}
type ModelClass = new (data: object) => Model;

/** `kubernetes-models/<apiVersion>/<Kind>`, e.g. kubernetes-models/apps/v1/Deployment. */
function modelPath(obj: K8sObject): string {
  if (!/^[a-z0-9.]*\/?v[0-9a-z]+$/.test(String(obj.apiVersion)) || !/^[A-Z][A-Za-z]+$/.test(String(obj.kind))) {
    throw new Error(`not a Kubernetes object: apiVersion ${String(obj.apiVersion)}, kind ${String(obj.kind)}`);
  }
  return `kubernetes-models/${obj.apiVersion}/${obj.kind}`;
}

function describe(obj: K8sObject): string {
  return `${obj.apiVersion} ${obj.kind} ${obj.metadata?.name ?? '(no name)'}`;
}

/** Throws with the schema's message when `obj` doesn't validate (or its apiVersion/kind is unknown). */
export function validateObject(obj: K8sObject): void {
  let Model: ModelClass;
  try {
    Model = (load(modelPath(obj)) as Record<string, ModelClass>)[obj.kind];
  } catch (error) {
    throw new Error(`${describe(obj)}: unknown apiVersion/kind`, { cause: error });
  }
  try {
    new Model(obj).validate();
  } catch (error) {
    throw new Error(`${describe(obj)}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** Type-checks every object against its declared interface; returns one message per problem (none: all fit). */
export function typecheckObjects(objects: K8sObject[]): string[] {
  const file = join(ROOT, '__deploy_manifests_check__.ts');
  const source = objects
    .map(
      (obj, i) =>
        `export const m${i}: import(${JSON.stringify(modelPath(obj))}).I${obj.kind} = ${JSON.stringify(obj)};`,
    )
    .join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    types: [],
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    ignoreDeprecations: '6.0',
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion, ...rest) =>
    name === file ? ts.createSourceFile(name, source, languageVersion) : getSourceFile(name, languageVersion, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (d.file?.fileName === file && d.start !== undefined) {
      const line = d.file.getLineAndCharacterOfPosition(d.start).line;
      return `${describe(objects[line])}: ${message}`;
    }
    return message;
  });
}
