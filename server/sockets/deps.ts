/** What the namespace modules share. */
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Accounts } from '../domain/accounts';
import type { Domain } from '../domain';
import type { Metrics } from '../metrics';
import type { Schemas } from '../../shared/schemas';
import type { Inflight } from './handler';
import type { SocketLimits } from './limits';

export interface SocketDeps {
  config: Config;
  domain: Domain;
  accounts: Accounts;
  schemas: Schemas;
  limits: SocketLimits;
  metrics: Metrics;
  logger: Logger;
  inflight: Inflight;
}
