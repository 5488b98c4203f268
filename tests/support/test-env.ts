/** Environment for integration tests: their own database, Redis db index and queue prefix. */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/osiriscare_test";

export const testEnv = {
  NODE_ENV: "test",
  DATABASE_URL: TEST_DATABASE_URL,
  REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/1",
  QUEUE_PREFIX: "osiris-test",
  PUBLIC_URL: "http://127.0.0.1:3999",
  AUTH_SECRET: "integration-test-auth-secret-0123456789abcdef",
  TOKEN_HMAC_KEY: "integration-test-hmac-key-0123456789abcdef01",
  CREDENTIALS_KEYRING: JSON.stringify({
    current: "t1",
    keys: { t1: Buffer.alloc(32, 7).toString("base64"), t2: Buffer.alloc(32, 9).toString("base64") },
  }),
  LOG_LEVEL: "silent",
} as const;
