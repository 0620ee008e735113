/**
 * A y-indexeddb database read directly, value by value, so that a damaged one is reported with
 * what in it could not be read instead of failing the load (sync.ts). The layout is y-indexeddb's:
 * an `updates` store of Yjs updates under increasing keys, and a `custom` store.
 */

export interface StoredUpdates {
  updates: Uint8Array[]
  /** Values in the store that are not updates at all. */
  unreadable: number
  /** The database exists but its object stores are gone. */
  missingStore: boolean
  /** The highest key read, so y-indexeddb can start after what is already applied. */
  lastKey: number
}

/** Every value in a y-indexeddb database's update log; creates the database as y-indexeddb would. */
export function readStoredUpdates(dbName: string): Promise<StoredUpdates> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(dbName)
    request.onupgradeneeded = () => {
      // A new database: the same layout y-indexeddb creates.
      const db = request.result
      db.createObjectStore('updates', { autoIncrement: true })
      db.createObjectStore('custom')
    }
    request.onerror = () => reject(request.error)
    request.onblocked = () => reject(new Error('the database is blocked by another tab'))
    request.onsuccess = () => {
      const db = request.result
      if (!db.objectStoreNames.contains('updates')) {
        db.close()
        resolve({ updates: [], unreadable: 0, missingStore: true, lastKey: -1 })
        return
      }
      const store = db.transaction(['updates'], 'readonly').objectStore('updates')
      const get = store.getAll()
      const keys = store.getAllKeys()
      keys.onerror = get.onerror = () => {
        db.close()
        reject(get.error ?? keys.error)
      }
      keys.onsuccess = () => {
        db.close()
        const updates: Uint8Array[] = []
        let unreadable = 0
        for (const value of get.result as unknown[]) {
          if (value instanceof Uint8Array) updates.push(value)
          else unreadable++
        }
        const lastKey = (keys.result as unknown[]).reduce<number>(
          (max, k) => (typeof k === 'number' && k > max ? k : max),
          -1,
        )
        resolve({ updates, unreadable, missingStore: false, lastKey })
      }
    }
  })
}
