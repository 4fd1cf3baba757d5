import { add } from '@caijin/core';
export async function main(argv: string[]): Promise<number> {
  console.log('caijin', argv, add(1, 2));
  return 0;
}
