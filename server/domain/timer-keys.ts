/** Names of the cluster-wide timers (see lifecycle.ts); defined by the store, which starts some itself. */
export { timerKeys } from '../store/timer-keys';
