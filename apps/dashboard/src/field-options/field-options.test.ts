import { describe, expect, it } from 'vitest';
import { createSSRApp, h, ref } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { newField, type FieldModel } from '../lib/field-types';
import { FIELD_OPTIONS } from '.';

/** Renders the options form of a new field of `type` and returns the HTML and the (edited) field. */
async function render(type: string, edit?: (field: FieldModel) => void) {
  const field = ref(newField(type, []));
  edit?.(field.value);
  const app = createSSRApp({
    render: () =>
      h(FIELD_OPTIONS[type], {
        modelValue: field.value,
        'onUpdate:modelValue': (v: FieldModel) => (field.value = v),
      }),
  });
  return { html: await renderToString(app), field };
}

const labels = (html: string) => [...html.matchAll(/<label[^>]*>([^<]+)<\/label>/g)].map((m) => m[1].trim());

describe('field option forms', () => {
  it('renders the options of each type as labelled inputs', async () => {
    expect(labels((await render('text')).html)).toEqual([
      'Min length',
      'Max length',
      'Validation pattern',
      'Autogenerate pattern',
    ]);
    expect(labels((await render('number')).html)).toEqual(['Min', 'Max', 'No decimals']);
    expect(labels((await render('select')).html)).toEqual(['Choices', 'Max select']);
    expect(labels((await render('relation')).html)).toEqual([
      'Related collection',
      'Min select',
      'Max select',
      'Cascade delete',
    ]);
    expect(labels((await render('file')).html)).toEqual([
      'Max files',
      'Max file size (bytes)',
      'Allowed MIME types',
      'Thumb sizes',
      'Protected (needs a file token)',
    ]);
    expect(labels((await render('autodate')).html)).toEqual(['Set on create', 'Set on update']);
    expect((await render('bool')).html).toContain('no extra options');
  });

  it('shows the current option values', async () => {
    const { html } = await render('select', (f) => {
      f.values = ['draft', 'published'];
      f.maxSelect = 2;
    });
    expect(html).toContain('value="draft, published"');
    expect(html).toContain('value="2"');
    const file = await render('file', (f) => (f.protected = true));
    expect(file.html).toMatch(/<input[^>]*type="checkbox"[^>]*checked/);
  });
});
