import pl from 'nodejs-polars';
const df = pl.readCSV('/tmp/b-small/loans.csv', { inferSchemaLength: 0 });
console.log(df.schema, df.height);
const x = df.select(
  pl.col('amount').str.extract(/^(-?\d+)/, 1).cast(pl.Int64).alias('i'),
  pl.col('amount').str.extract(/\.(\d+)$/, 1).str.padEnd(2, '0').cast(pl.Int64).alias('f'),
  pl.col('start_date').str.strptime(pl.Date, '%Y-%m-%d').alias('d'),
  pl.col('products').str.contains('first_loan').alias('fl'),
);
console.log(x.head(3).toString());
const g = x.groupBy('fl').agg(pl.col('i').sum(), pl.col('i').count().alias('n'));
console.log(g.toString(), g.getColumn('i').dtype);
console.log(g.toRecords());
