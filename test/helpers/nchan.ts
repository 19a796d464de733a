/** Whether this machine has nginx and its nchan module, for the tests that start a real nchan (skipped only outside CI when it has not). */
import { findNchanModule } from '../../src/runner/nchan-process.js';
import { findNginx } from '../../src/runner/nginx-process.js';

export function nchanInstalled(): boolean {
  try {
    findNginx();
    findNchanModule();
    return true;
  } catch {
    return false;
  }
}
