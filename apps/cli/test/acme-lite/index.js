// A third-party dialect as its author would publish it: a package whose default export is a
// dialect descriptor. It reuses SQLite's under another name, so the CLI and the test kit can
// prove that nothing in them needs a built-in dialect's name.
import { sqliteDescriptor } from '@cairn/sqlite';

/** @type {import('@cairn/core').DialectDescriptor} */
const acmeLite = {
  ...sqliteDescriptor,
  name: 'acme-lite',
  title: 'Acme Lite',
  exampleUrl: 'sqlite:./acme.db',
  options: {
    journal: {
      description: 'the journal mode Acme Lite runs in',
      check: (value) => (value === 'wal' || value === 'delete' ? undefined : `must be 'wal' or 'delete'`),
    },
  },
  async create(settings) {
    return { ...(await sqliteDescriptor.create(settings)), name: 'acme-lite' };
  },
};

export default acmeLite;
