/**
 * The behaviour every Store implementation keeps, as one jest suite. Each implementation's test
 * file calls `describeStoreContract` with a factory; every test gets a fresh, empty store.
 * Times are real epoch milliseconds (Redis TTLs run on the wall clock), moved forward by hand.
 * The tests themselves live in ./store-contract/, one file per topic; shared helpers in helpers.ts.
 */
import type { Store } from '../../server/store/types';
import { describeAccountsAndSessions } from './store-contract/accounts-sessions';
import { describeAssignment } from './store-contract/assignment';
import { describeCannedAndLimits } from './store-contract/canned-and-limits';
import { describeConversationsAndQueue } from './store-contract/conversations-and-queue';
import { describeEndingAndFeedback } from './store-contract/ending-and-feedback';
import type { FixtureAccessor } from './store-contract/helpers';
import { describeMessages } from './store-contract/messages';
import { describeNodes } from './store-contract/nodes';
import { describePresence } from './store-contract/presence';
import { describeProfilesAndSecrets } from './store-contract/profiles-secrets';
import { describeRequeueAndTransfer } from './store-contract/requeue-transfer';
import { describeStatsAndTimers } from './store-contract/stats-and-timers';
import { describeStatsSamples } from './store-contract/stats-samples';
import { describeVisitorsAndStart } from './store-contract/visitors-and-start';

/** Declares the contract suite for one Store implementation. `cleanup` defaults to close(). */
export function describeStoreContract(name: string, makeStore: () => Promise<Store>, cleanup?: (s: Store) => Promise<void>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let t0: number;

    beforeEach(async () => {
      store = await makeStore();
      t0 = Date.now();
    });

    afterEach(async () => {
      await (cleanup ? cleanup(store) : store.close());
    });

    const fx: FixtureAccessor = () => ({ store, t0 });

    describeVisitorsAndStart(fx);
    describeConversationsAndQueue(fx);
    describeMessages(fx);
    describeAssignment(fx);
    describeRequeueAndTransfer(fx);
    describeEndingAndFeedback(fx);
    describePresence(fx);
    describeNodes(fx);
    describeProfilesAndSecrets(fx);
    describeAccountsAndSessions(fx);
    describeStatsAndTimers(fx);
    describeStatsSamples(fx);
    describeCannedAndLimits(fx);
  });
}
