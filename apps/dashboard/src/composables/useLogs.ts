import { ref, watch } from 'vue';
import type { LogModel } from 'pocketbase';
import { pb } from '../pb';
import { readFailure } from '../lib/errors';
import { hourlyBars, logsFilter, windowStart, type HourBar } from '../lib/logs';

const CHART_HOURS = 24;

/** One page of request/app logs with filter and sort, and the hourly chart of the last day over the same filter. */
export function useLogs() {
  const items = ref<LogModel[]>([]);
  const page = ref(1);
  const totalItems = ref(0);
  const totalPages = ref(1);
  const sort = ref('-created');
  const filter = ref('');
  const withSuperusers = ref(false);
  const filterError = ref('');
  const loading = ref(false);
  const bars = ref<HourBar[]>([]);
  let generation = 0;

  async function load() {
    const mine = ++generation;
    loading.value = true;
    const now = new Date();
    try {
      const [list, stats] = await Promise.all([
        pb.logs.getList(page.value, 40, {
          sort: sort.value,
          filter: logsFilter(filter.value, withSuperusers.value) || undefined,
        }),
        pb.logs.getStats({ filter: logsFilter(filter.value, withSuperusers.value, windowStart(now, CHART_HOURS)) }),
      ]);
      if (mine === generation) {
        items.value = list.items;
        totalItems.value = list.totalItems;
        totalPages.value = Math.max(1, list.totalPages);
        bars.value = hourlyBars(stats, now, CHART_HOURS);
        filterError.value = '';
      }
    } catch (e) {
      if (mine === generation) {
        filterError.value = readFailure(e).message;
        items.value = [];
        totalItems.value = 0;
        bars.value = hourlyBars([], now, CHART_HOURS);
      }
    } finally {
      if (mine === generation) {
        loading.value = false;
      }
    }
  }

  watch([page, sort], () => void load());
  watch([filter, withSuperusers], () => {
    if (page.value === 1) {
      void load();
    }
    page.value = 1;
  });
  void load();

  return { items, page, totalItems, totalPages, sort, filter, withSuperusers, filterError, loading, bars, load };
}
