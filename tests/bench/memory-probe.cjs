// Loaded into the benches' BFF processes (node --expose-gc --require): on SIGUSR2, a full
// garbage collection, then one line with the memory it left — for a leak check that reads
// live memory, not how far the heap happened to have grown.
process.on('SIGUSR2', () => {
  global.gc();
  const m = process.memoryUsage();
  process.stderr.write(
    `MEMORY ${JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers })}\n`,
  );
});
