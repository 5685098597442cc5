import { computed, ref } from 'vue';
import type { CollectionModel } from 'pocketbase';
import { pb } from '../pb';

const collections = ref<CollectionModel[]>([]);
const loaded = ref(false);
let loading: Promise<void> | null = null;

async function reload(): Promise<void> {
  const list = await pb.collections.getFullList({ sort: 'name', batch: 500 });
  collections.value = list;
  loaded.value = true;
}

/** The collections of the database (loaded once, reloaded after each change made in the dashboard). */
export function useCollections() {
  if (!loaded.value && !loading) {
    loading = reload()
      .catch(() => undefined)
      .finally(() => {
        loading = null;
      });
  }
  return {
    collections,
    loaded,
    reload,
    byIdOrName: (idOrName: string) => collections.value.find((c) => c.id === idOrName || c.name === idOrName) ?? null,
    userCollections: computed(() => collections.value.filter((c) => !c.system)),
    systemCollections: computed(() => collections.value.filter((c) => c.system)),
  };
}
