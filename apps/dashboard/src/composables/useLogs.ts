import { ref, watch } from 'vue';
import type { LogModel } from 'pocketbase';
import { pb } from '../pb';
import { readFailure } from '../lib/errors';
import { searchFilter } from '../lib/filter-completions';
import {
  bucketHours,
  CHART_RANGES,
  hourlyBars,
  logsFilter,
  rangeHours,
  windowStart,
  type ChartRange,
  type HourBar,
} from '../lib/logs';

/** Where a plain search term (no operator) is looked for. */
const LOG_SEARCH_FIELDS = ['message', 'data.url', 'data.error'];

/** The chart's bars over `range` for the API's hourly buckets. */
function chartBars(stats: { total: number; date: string }[], now: Date, range: ChartRange): HourBar[] {
  const hours = rangeHours(range, stats, now);
  return hourlyBars(stats, now, hours, bucketHours(hours));
}

/**
 * One page of request/app logs with filter and sort, and the chart of the chosen window (`range`: the last day,
 * week, or all kept logs) over the same filter.
 */
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
  const range = ref<ChartRange>('24h');
  const bars = ref<HourBar[]>(chartBars([], new Date(), range.value));
  let generation = 0;

  async function load() {
    const mine = ++generation;
    loading.value = true;
    const now = new Date();
    const hours = CHART_RANGES.find((r) => r.key === range.value)?.hours;
    const since = hours ? windowStart(now, hours) : undefined;
    const typed = searchFilter(filter.value, LOG_SEARCH_FIELDS);
    try {
      const [list, stats] = await Promise.all([
        pb.logs.getList(page.value, 40, {
          sort: sort.value,
          filter: logsFilter(typed, withSuperusers.value) || undefined,
        }),
        pb.logs.getStats({ filter: logsFilter(typed, withSuperusers.value, since) || undefined }),
      ]);
      if (mine === generation) {
        items.value = list.items;
        totalItems.value = list.totalItems;
        totalPages.value = Math.max(1, list.totalPages);
        bars.value = chartBars(stats, now, range.value);
        filterError.value = '';
      }
    } catch (e) {
      if (mine === generation) {
        filterError.value = readFailure(e).message;
        items.value = [];
        totalItems.value = 0;
        bars.value = chartBars([], now, range.value);
      }
    } finally {
      if (mine === generation) {
        loading.value = false;
      }
    }
  }

  watch([page, sort, range], () => void load());
  watch([filter, withSuperusers], () => {
    if (page.value === 1) {
      void load();
    }
    page.value = 1;
  });
  void load();

  return { items, page, totalItems, totalPages, sort, filter, withSuperusers, filterError, loading, bars, range, load };
}
