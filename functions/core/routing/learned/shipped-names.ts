// Names of the weights files shipped in catalog/ (kept apart from the weights themselves so the
// catalog check does not pull the weights into bundles that never route).

export const SHIPPED_WEIGHTS = ['router-weights.v2'] as const;
export type ShippedWeightsName = (typeof SHIPPED_WEIGHTS)[number];

export const isShippedWeights = (name: string): name is ShippedWeightsName => (SHIPPED_WEIGHTS as readonly string[]).includes(name);
