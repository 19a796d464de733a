/**
 * The scenario's `intermediary` key: what stands between the clients and the server besides the
 * link. Today an idle timeout, which the shaping proxy enforces as a load balancer does; the
 * output is a tagged union so that other intermediaries (a real nginx) join as new kinds.
 */
import { duration, strictMapping } from '../scenario/fields.js';

export type Intermediary = {
  kind: 'idle-timeout';
  /** A connection with no byte in either direction for this long is cut, ms. */
  idleTimeoutMs: number;
};

export function intermediaryField() {
  return strictMapping(
    {
      idleTimeout: duration({ min: 100, max: 3_600_000, minText: '100ms', maxText: '1h' }).meta({
        description: 'Cut a connection that carried no byte either way for this long, as load balancers do (AWS ALB: 60s by default).',
      }),
    },
    '{ idleTimeout: 60s }',
  )
    .transform((file): Intermediary => ({ kind: 'idle-timeout', idleTimeoutMs: file.idleTimeout }))
    .meta({ description: 'An intermediary between clients and server: { idleTimeout: 60s } cuts connections idle that long (both sides get a FIN).' });
}
