import { onBeforeUnmount, ref, watch, type Ref } from 'vue';
import type { CollectionModel, RecordModel, UnsubscribeFunc } from 'pocketbase';
import { pb } from '../pb';
import { readFailure } from '../lib/errors';
import { searchFields, searchFilter } from '../lib/filter-completions';

/**
 * One page of a collection's records with sort, filter and live updates (realtime subscription); `expand`
 * names the relations to expand (the visible relation columns).
 */
export function useRecords(collection: CollectionModel, expand: Readonly<Ref<string>> = ref('')) {
  const items = ref<RecordModel[]>([]);
  const page = ref(1);
  const perPage = ref(30);
  const totalItems = ref(0);
  const totalPages = ref(1);
  const sort = ref(collection.fields.some((f) => f.name === 'created') ? '-created' : '');
  const filter = ref('');
  const filterError = ref('');
  const loading = ref(false);
  let unsubscribe: UnsubscribeFunc | null = null;
  let generation = 0;

  async function load() {
    const mine = ++generation;
    loading.value = true;
    try {
      const result = await pb.collection(collection.id).getList(page.value, perPage.value, {
        sort: sort.value || undefined,
        filter: searchFilter(filter.value, searchFields(collection.fields)) || undefined,
        expand: expand.value || undefined,
      });
      if (mine !== generation) {
        return;
      }
      items.value = result.items;
      totalItems.value = result.totalItems;
      totalPages.value = Math.max(1, result.totalPages);
      filterError.value = '';
    } catch (e) {
      if (mine === generation) {
        filterError.value = readFailure(e).message;
        items.value = [];
        totalItems.value = 0;
      }
    } finally {
      if (mine === generation) {
        loading.value = false;
      }
    }
  }

  async function subscribe() {
    if (collection.type === 'view') {
      return;
    }
    unsubscribe = await pb
      .collection(collection.id)
      .subscribe('*', () => void load())
      .catch(() => null);
  }

  watch([page, perPage, expand], () => void load());
  watch([sort, filter], () => {
    if (page.value === 1) {
      void load();
    }
    page.value = 1;
  });
  void load();
  void subscribe();
  onBeforeUnmount(() => {
    void unsubscribe?.();
  });

  return { items, page, perPage, totalItems, totalPages, sort, filter, filterError, loading, load };
}
