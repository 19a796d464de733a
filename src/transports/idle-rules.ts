/**
 * Scenario checks for connections that an intermediary closes when they stay silent (an idle
 * timeout, nginx's read timeout): settings that look like they keep a connection alive but
 * cannot. A missing heartbeat is not flagged: showing what it costs is a legitimate run.
 */
import { formatDuration } from '../units/units.js';
import type { TransportFinding, Workload } from './module.js';

/** A heartbeat at or above the intermediary's idle cut does not keep the connection. */
export function heartbeatFindings(heartbeatMs: number | null, workload: Workload): TransportFinding[] {
  if (heartbeatMs === null || workload.idleCutMs === null || heartbeatMs < workload.idleCutMs) return [];
  return [
    {
      severity: 'warning',
      path: ['heartbeat'],
      message: `a heartbeat every ${formatDuration(heartbeatMs)} does not keep a connection through an intermediary that closes it after ${formatDuration(workload.idleCutMs)} of silence; use a heartbeat well below that`,
    },
  ];
}

/** A request held at least as long as the intermediary's idle cut is cut before its own timeout answers it. */
export function holdFindings(timeoutMs: number, workload: Workload): TransportFinding[] {
  if (workload.idleCutMs === null || timeoutMs < workload.idleCutMs) return [];
  return [
    {
      severity: 'warning',
      path: ['timeout'],
      message: `a request held up to ${formatDuration(timeoutMs)} is cut by the intermediary after ${formatDuration(workload.idleCutMs)} of silence, before it times out (nginx answers such a request 504); use a timeout below that`,
    },
  ];
}
