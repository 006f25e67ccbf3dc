import { OutcomeNotifications } from './ports/outcome-notifications.port';

/**
 * Waits up to `waitMs` for what `read` finds of `resourceId` to be settled, woken by its
 * notifications and looking first (the change may have been made before the watch began). The
 * wait's last look at the read model is the answer; only a wait that never looked reads again.
 */
export async function awaitSettled<T>(
  notifications: OutcomeNotifications,
  resourceId: string,
  waitMs: number,
  read: () => Promise<T>,
  isSettled: (latest: T) => boolean,
): Promise<T> {
  let looked = false;
  let latest: T | undefined;
  const settled = async () => {
    looked = true;
    latest = await read();
    return isSettled(latest);
  };
  const watch = notifications.watch(resourceId);
  try {
    await watch.wait(waitMs, settled, { lookFirst: true });
  } finally {
    watch.close();
  }
  return looked ? (latest as T) : read();
}
