export async function main(argv: string[]): Promise<number> {
  console.log('caijin', argv);
  return 0;
}
