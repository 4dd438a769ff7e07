// placeholder until the health-check work lands
export const handler = async (): Promise<void> => {};
