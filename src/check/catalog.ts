/**
 * The one list of conformance rules, in the order they run and are printed: the control
 * endpoints and chat rooms first, then each transport, then gap markers past retention (they publish the
 * most). docs/targets.md lists them (a test keeps it in step).
 */
import { chatRules } from './chat.js';
import { controlRules } from './control.js';
import { httpStreamRules } from './http-stream.js';
import { longPollingRules } from './long-polling.js';
import { pollingRules } from './polling.js';
import { retentionRules } from './retention.js';
import type { Rule } from './rule.js';
import { sseRules } from './sse.js';
import { websocketRules } from './websocket.js';

export const RULES: readonly Rule[] = [
  ...controlRules,
  ...chatRules,
  ...pollingRules,
  ...longPollingRules,
  ...sseRules,
  ...httpStreamRules,
  ...websocketRules,
  ...retentionRules,
];
