// Loaded into the benches' BFF processes (node --require): on SIGUSR2, one line with the heap the
// last major (mark-compact) collection left, the heap V8 holds, the memory outside it (buffers),
// and the RSS — a leak check that reads live memory
// without forcing a collection. A forced full collection shrinks V8's heap, and the next burst
// paid for growing it back (the first second of the round after one answered takes in 150 ms
// instead of 10), which is not how the service runs.
const { constants } = require('node:perf_hooks');

let afterMajor = null;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    if (entry.detail && entry.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR)
      afterMajor = process.memoryUsage().heapUsed;
}).observe({ entryTypes: ['gc'] });

process.on('SIGUSR2', () => {
  const m = process.memoryUsage();
  process.stderr.write(
    `MEMORY ${JSON.stringify({ rss: m.rss, heapUsed: afterMajor ?? m.heapUsed, heapTotal: m.heapTotal, external: m.external })}\n`,
  );
});
