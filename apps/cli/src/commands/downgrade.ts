import { migrationCommand } from '../migration-command.js';

/** `cairn downgrade [TARGET]`: reverts migrations down to TARGET (default `-1`). */
export default migrationCommand('down');
