// placeholder until the batch-worker work lands
export const handler = async (): Promise<void> => {};
