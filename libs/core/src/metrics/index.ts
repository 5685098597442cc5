export { Counter, Gauge, Histogram, DURATION_BUCKETS } from './instruments';
export type { CounterChild, GaugeChild, GaugeSource, HistogramChild, Labels } from './instruments';
export { MetricsRegistry, metrics } from './metrics-registry';
export { NB_METRICS } from './nb-metrics';
export { installMetrics, METRICS_PATH } from './http-metrics';
