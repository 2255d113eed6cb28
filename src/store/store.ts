// The store's entry points, for the CLI and the daemon (see store-db.ts for the schema).

export { engineVersion, isStoreFile, openStoreDb, storePath, STORE_SCHEMA_VERSION, type StoreDb } from './store-db.js';
export { addBatch, addMessage, getCheckpoint, setCheckpoint, type BatchCounts, type IncomingMessage } from './message-store.js';
export { rethreadPending } from './threading.js';
export { dirtyThreads, latestVerdict, markJudged, recordPost, recordVerdict, threadMessages, verdictHistory, wasPosted } from './verdict-store.js';
export { normaliseMessageId, reparsedThread, storedThread } from './stored-thread.js';
export { listThreads, type ThreadFilter, type ThreadSummary } from './thread-list.js';
