/** What pg-boss needs to run SQL: on the shared pool, or inside one of our transactions. */
export interface SqlExecutor {
  // biome-ignore lint/suspicious/noExplicitAny: pg-boss's own Db interface types rows as any[]
  executeSql(text: string, values: unknown[]): Promise<{ rows: any[] }>;
}
