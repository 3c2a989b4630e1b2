// The provider's side of the filing journeys: `kaifang review` on a server's intake database.
import { execFile } from 'node:child_process';

export const BIN = process.env.KAIFANG_BIN;

/** `kaifang review …` on `server` ({ data, catalog }); answers the JSON it prints. */
export function review(server, args) {
  return new Promise((resolve, reject) => {
    execFile(BIN, ['review', '--database', `sqlite:${server.data}/intake.sqlite`, '--catalog', server.catalog, ...args],
      { timeout: 60_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`review ${args.join(' ')} failed: ${stderr || err.message}`));
        else resolve(JSON.parse(stdout));
      });
  });
}
