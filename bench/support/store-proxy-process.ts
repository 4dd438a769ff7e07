// The store proxy (store-proxy.ts) in a process of its own, so the CPU it spends forwarding every
// store call is not counted as the router's. Started by overhead-router.ts with the stand-in's
// endpoint in STORE_TARGET; answers 'calls' with the calls noted since the last ask.
import { startStoreProxy } from './store-proxy.ts';

const proxy = await startStoreProxy(process.env['STORE_TARGET']!);
process.on('message', (message) => {
  if (message === 'calls') process.send?.({ calls: proxy.calls.splice(0) });
  if (message === 'close') void proxy.close().finally(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
process.send?.({ url: proxy.url });
