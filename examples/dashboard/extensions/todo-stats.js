// A custom dashboard page: copy this file to <dataDir>/public/extensions/ (e.g. pb_data/public/extensions/)
// and reload the dashboard; it appears in the left navigation as "Todo stats" at #/ext/todo-stats.
//
// The default export is either { title, icon, component } or, as here, a function that receives the
// dashboard's own Vue (use it: a second copy of Vue would not work) and the signed-in SDK client `pb`.
export default function ({ vue, pb }) {
  const { defineComponent, h, onMounted, ref } = vue;
  const TodoStats = defineComponent({
    name: 'TodoStats',
    setup() {
      const rows = ref([]);
      const error = ref('');
      onMounted(async () => {
        try {
          const collections = await pb.collections.getFullList({ sort: 'name' });
          rows.value = await Promise.all(
            collections
              .filter((c) => c.type !== 'view')
              .map(async (c) => ({ name: c.name, total: (await pb.collection(c.name).getList(1, 1)).totalItems })),
          );
        } catch (e) {
          error.value = String(e?.message ?? e);
        }
      });
      return () =>
        h('section', { class: 'card stack' }, [
          h('h2', 'Records per collection'),
          error.value ? h('p', { class: 'form-error', role: 'alert' }, error.value) : null,
          h('table', { class: 'records-table', 'aria-label': 'Records per collection' }, [
            h('thead', h('tr', [h('th', 'Collection'), h('th', 'Records')])),
            h(
              'tbody',
              rows.value.map((r) => h('tr', { key: r.name }, [h('td', r.name), h('td', String(r.total))])),
            ),
          ]),
        ]);
    },
  });
  return { title: 'Todo stats', icon: '∑', component: TodoStats };
}
