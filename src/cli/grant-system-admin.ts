// Makes an existing account a system admin: the way in for the first admin of a new installation.
//   npm run grant-system-admin -- someone@example.org
import { loadConfig } from '../platform/config.ts';
import { openDatabase } from '../platform/db/engine.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { createServices } from '../services.ts';
import { systemClock } from '../platform/clock.ts';

const email = process.argv[2];
if (!email) {
  console.error('Usage: npm run grant-system-admin -- EMAIL (the account must exist: sign up first)');
  process.exit(2);
}
const config = loadConfig();
const database = await openDatabase(config);
try {
  await migrateToLatest(database.db);
  const { accounts } = createServices({ db: database.db, clock: systemClock, config });
  const outcome = await accounts.bootstrapSystemAdmin(email);
  if (!outcome.ok) {
    console.error(Object.values(outcome.errors).join('\n'));
    process.exitCode = 1;
  } else {
    console.error(`${email} is a system admin. It must set up two-factor sign-in before the role is in force.`);
  }
} finally {
  await database.close();
}
