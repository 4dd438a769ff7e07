// Moved to test/support/catalog-fixtures.ts (shared by every test folder); kept so imports elsewhere work.
export * from '../support/catalog-fixtures.ts';
