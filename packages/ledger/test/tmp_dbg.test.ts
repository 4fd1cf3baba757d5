import { it } from 'vitest';
import { checkBundle } from '../src/index.ts';
it('dbg', async () => {
  console.log(await checkBundle('/tmp/dbg.xlsx'));
});
