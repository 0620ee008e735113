export * from './config.ts'
export * from './policy.ts'
export * from './run.ts'
export * from './view.ts'
