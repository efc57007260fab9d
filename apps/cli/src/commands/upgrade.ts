import { migrationCommand } from '../migration-command.js';

/** `cairn upgrade [TARGET]`: applies migrations up to TARGET (default `head`). */
export default migrationCommand('up');
