// What a phone keeps for working offline, in IndexedDB: the pinned platform key, the last trust
// bundle, scans waiting to be sent (each under its idempotency key), and the worker's last badge.
const DB_NAME = "attest-offline";

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      req.result.createObjectStore("kv");
      req.result.createObjectStore("scans", { keyPath: "scan_id" });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error("IndexedDB is not available"));
  });
}

async function run<T>(store: string, mode: IDBTransactionMode, action: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(store, mode);
      const req = action(tx.objectStore(store));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error ?? new Error("IndexedDB failed"));
      tx.onabort = () => reject(tx.error ?? new Error("IndexedDB aborted"));
    });
  } finally {
    db.close();
  }
}

export function getItem<T>(key: string): Promise<T | undefined> {
  return run("kv", "readonly", (s) => s.get(key) as IDBRequest<T | undefined>);
}

export async function setItem(key: string, value: unknown): Promise<void> {
  await run("kv", "readwrite", (s) => s.put(value, key));
}

export async function removeItem(key: string): Promise<void> {
  await run("kv", "readwrite", (s) => s.delete(key));
}

/** A scan verified on the phone, waiting to be recorded by the server. */
export interface QueuedScan {
  scan_id: string;
  payload: string;
  scanned_at: string;
  location: string | null;
  valid: boolean;
  reason_code: string | null;
}

export async function queueScan(scan: QueuedScan): Promise<void> {
  await run("scans", "readwrite", (s) => s.put(scan));
}

export function queuedScans(): Promise<QueuedScan[]> {
  return run("scans", "readonly", (s) => s.getAll() as IDBRequest<QueuedScan[]>);
}

export async function forgetScan(scanId: string): Promise<void> {
  await run("scans", "readwrite", (s) => s.delete(scanId));
}
